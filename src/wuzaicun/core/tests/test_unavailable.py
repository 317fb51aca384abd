"""The database going away (D38): a 503 page in Chinese, JSON under /api/, never a trace; a statement's own
failure (a lock timeout) stays a 500. tests/replica/test_faults.py stops a real cluster under a real server and
sees it recover."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from wuzaicun.core.views import is_database_unavailable

MESSAGE = "数据库暂时无法连接，请稍后重试"


def _as_django(cause: Exception) -> OperationalError:
    """The driver's error as Django raises it (DatabaseErrorWrapper: same message, the driver's as cause)."""
    exc = OperationalError(*cause.args)
    exc.__cause__ = cause
    return exc


def _refused() -> psycopg.OperationalError:
    """A real libpq failure: nothing listens on port 1."""
    try:
        psycopg.connect("host=127.0.0.1 port=1 user=postgres connect_timeout=2")
    except psycopg.OperationalError as exc:
        return exc
    raise AssertionError("something listens on port 1")


def _sqlite_error(make: Callable[[Path], object], tmp: Path) -> sqlite3.Error:
    try:
        make(tmp)
    except sqlite3.Error as exc:
        return exc
    raise AssertionError("no error")


def _cannot_open(tmp: Path) -> object:
    return sqlite3.connect(tmp / "missing-folder" / "db.sqlite3")


def _locked(tmp: Path) -> object:
    holder = sqlite3.connect(tmp / "db.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        return sqlite3.connect(tmp / "db.sqlite3", timeout=0).execute("CREATE TABLE t (x)")
    finally:
        holder.close()


def _gone(*args: Any, **kwargs: Any) -> Any:
    raise _as_django(_refused())


@pytest.mark.parametrize(("cause", "unavailable"), [
    (lambda tmp: _refused(), True),                                                   # stopped, no server
    (lambda tmp: psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"),
     True),                                                                          # died under a kept connection
    (lambda tmp: psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True),
    (lambda tmp: psycopg.errors.CannotConnectNow("the database system is starting up"), True),
    (lambda tmp: psycopg.errors.TooManyConnections("sorry, too many clients already"), True),
    (lambda tmp: psycopg.errors.ConnectionFailure("connection failure"), True),      # class 08
    (lambda tmp: psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), False),
    (lambda tmp: psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),
    (lambda tmp: psycopg.errors.SerializationFailure("could not serialize access"), False),
    (lambda tmp: _sqlite_error(_cannot_open, tmp), True),                             # unable to open database file
    (lambda tmp: _sqlite_error(_locked, tmp), False),                                # database is locked
    (lambda tmp: sqlite3.OperationalError("no such table: x"), False),
])
def test_only_a_database_out_of_reach_counts_as_unavailable(cause: Callable[[Path], Exception], unavailable: bool,
                                                            tmp_path: Path) -> None:
    assert is_database_unavailable(_as_django(cause(tmp_path))) is unavailable


def test_a_connection_closed_under_the_request_counts_and_other_errors_do_not() -> None:
    assert is_database_unavailable(InterfaceError("connection already closed"))
    assert not is_database_unavailable(OperationalError("no driver cause"))
    assert not is_database_unavailable(RuntimeError("bug"))


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


def test_a_lock_timeout_is_a_500_not_a_503(county_a: Client, monkeypatch: Any) -> None:
    """Waiting too long for a lock is this request's failure: logged as an error, not hidden as an outage."""
    def timed_out(*args: Any, **kwargs: Any) -> Any:
        raise _as_django(psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"))

    monkeypatch.setattr("wuzaicun.registry.views.households_for", timed_out)
    response = county_a.get("/registry/households/")
    assert response.status_code == 500 and MESSAGE not in response.content.decode()


def test_other_errors_stay_500(county_a: Client, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr("wuzaicun.registry.views.households_for", broken)
    assert county_a.get("/registry/households/").status_code == 500
