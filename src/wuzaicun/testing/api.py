"""An API client holding a bearer token, as a script would use the API."""

from __future__ import annotations

import json

from django.test import Client

from .world import PASSWORD


def token_for(username: str) -> str:
    """A token as a script gets it: user name and password, and the authenticator's code for a user who has one."""
    from wuzaicun.accounts import twofa
    from wuzaicun.accounts.models import User

    from .twofa import code_for

    body = {"username": username, "password": PASSWORD}
    user = User.objects_unscoped.filter(username=username).first()
    if user is not None and twofa.device_for(user) is not None:
        body["otp"] = code_for(user)
    response = Client().post("/api/auth/token", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    token: str = response.json()["token"]
    return token


def api_client(username: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_for(username)}"})
