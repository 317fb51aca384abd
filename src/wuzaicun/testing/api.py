"""An API client holding a bearer token, as a script would use the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from wuzaicun.accounts.services import issue_api_token

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


@contextmanager
def wsgi_bearer(user: Any) -> Iterator[dict[str, str]]:
    """Headers with `user`'s API token for requests sent straight to the WSGI application (schemathesis), which
    keep the test's database connection as Django's test client does (the handler would otherwise close it after
    each request, ending the test's transaction)."""
    headers = {"Authorization": f"Bearer {issue_api_token(user=user)}"}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield headers
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
