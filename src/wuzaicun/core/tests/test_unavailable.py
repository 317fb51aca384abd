"""The database going away (D38): a 503 page in Chinese, JSON under /api/, never a trace; tests/replica/ stops
a real cluster under a real server and sees it recover."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

MESSAGE = "数据库暂时无法连接，请稍后重试"


def _gone(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@pytest.fixture
def county_a(client_for: Callable[[str], Client]) -> Client:
    client = client_for("county_a")
    client.raise_request_exception = False  # as a real server: the site's error handlers answer
    return client


def test_a_page_answers_503_when_the_session_cannot_be_read(county_a: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", _gone)
    response = county_a.get("/registry/households/")
    assert response.status_code == 503
    body = response.content.decode()
    assert MESSAGE in body and "Connection refused" not in body and "5432" not in body
    assert response["Retry-After"] == "5"


def test_a_view_query_failing_answers_503_and_the_next_request_is_served(county_a: Client,
                                                                         monkeypatch: Any) -> None:
    with monkeypatch.context() as patch:
        patch.setattr("wuzaicun.registry.views.households_for", _gone)
        assert county_a.get("/registry/households/").status_code == 503
    assert county_a.get("/registry/households/").status_code == 200


def test_the_api_answers_503_json(world: Any, monkeypatch: Any) -> None:
    from wuzaicun.testing.api import api_client

    client = api_client("county_a")
    client.raise_request_exception = False
    monkeypatch.setattr("wuzaicun.registry.api.households_for", _gone)
    response = client.get("/api/households")
    assert response.status_code == 503
    assert response.json() == {"code": "database_unavailable", "message": MESSAGE}


def test_other_errors_stay_500(county_a: Client, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr("wuzaicun.registry.views.households_for", broken)
    assert county_a.get("/registry/households/").status_code == 500
