"""An API client holding a bearer token, as a script would use the API."""

from __future__ import annotations

import json

from django.test import Client

from .world import PASSWORD


def token_for(username: str) -> str:
    response = Client().post("/api/auth/token", data=json.dumps({"username": username, "password": PASSWORD}),
                             content_type="application/json")
    assert response.status_code == 200, response.content
    token: str = response.json()["token"]
    return token


def api_client(username: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_for(username)}"})
