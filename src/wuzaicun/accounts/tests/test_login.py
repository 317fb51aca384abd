"""Login, lockout after 5 failures, idle and absolute session limits, audit of each attempt."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wuzaicun.audit.models import AuditEntry
from wuzaicun.testing.world import PASSWORD


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_succeeds_and_is_audited(world):
    client = Client()
    response = _login(client, "county_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEntry.objects_unscoped.filter(action="login", actor_name="county_a").exists()


def test_five_failures_lock_the_account_for_fifteen_minutes(world):
    client = Client()
    for _ in range(4):
        response = _login(client, "county_a", "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码错误" in response.text
    response = _login(client, "county_a", "wrong-password")
    assert response.status_code == 429
    # Even the right password is refused while locked.
    response = _login(client, "county_a", PASSWORD)
    assert response.status_code == 429
    assert "锁定15分钟" in response.text
    assert AuditEntry.objects_unscoped.filter(action="login_failed", actor_name="county_a").count() >= 5
    # Another account from the same address is not locked.
    assert _login(Client(), "county_b", PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(world):
    client = Client()
    for _ in range(4):
        _login(client, "county_a", "wrong-password")
    assert _login(client, "county_a", PASSWORD).status_code == 302
    other = Client()
    for _ in range(4):
        assert _login(other, "county_a", "wrong-password").status_code == 200


def _later(monkeypatch, seconds):
    """Move both clocks the session code reads (time.time and Django's timezone.now) forward."""
    from django.utils import timezone

    real_time, real_now = time.time, timezone.now
    monkeypatch.setattr(time, "time", lambda: real_time() + seconds)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(seconds=seconds))


def _session_writes(client, path="/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_page_views_do_not_write_the_session_row_every_time(world):
    client = Client()
    _login(client, "county_a", PASSWORD)
    client.get("/")

    assert [_session_writes(client) for _ in range(5)] == [[]] * 5


def test_an_active_session_lives_on_and_thirty_idle_minutes_end_it(world, monkeypatch):
    assert settings.SESSION_COOKIE_AGE == 1800
    client = Client()
    _login(client, "county_a", PASSWORD)
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date

    _later(monkeypatch, 25 * 60)  # 25 minutes later the user is still working: the expiry moves on
    assert _session_writes(client) != []
    assert Session.objects.get(session_key=key).expire_date >= first + dt.timedelta(minutes=24)
    monkeypatch.undo()

    _later(monkeypatch, 25 * 60 + 29 * 60)  # 29 idle minutes: still signed in
    assert client.get("/").status_code == 200
    monkeypatch.undo()

    _later(monkeypatch, 25 * 60 + 29 * 60 + 31 * 60)  # then 31 idle minutes: signed out
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_sessions_end_after_twelve_hours_whatever_the_activity(world, monkeypatch):
    client = Client()
    _login(client, "county_a", PASSWORD)
    assert client.get("/").status_code == 200
    started = time.time()
    monkeypatch.setattr(time, "time", lambda: started + 12 * 3600 + 5)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_logout_deletes_the_session_server_side(world):
    client = Client()
    _login(client, "county_a", PASSWORD)
    key = client.session.session_key
    client.post("/accounts/logout/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("path", ["/", "/registry/households/", "/audit/"])
def test_pages_need_a_login(world, path):
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_initial_password_must_be_changed_before_anything_else(world):
    from wuzaicun.accounts.services import create_user

    create_user(actor=world.users["county_a"], username="newbie", role="township_admin", scope="520302001",
                password="Initial@2016x")
    client = Client()
    assert _login(client, "newbie", "Initial@2016x").status_code == 302
    response = client.get("/registry/households/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    changed = client.post("/accounts/password/", {"old_password": "Initial@2016x", "new_password": "Better@2016xy",
                                                   "new_password2": "Better@2016xy"})
    assert changed.status_code == 302
    assert client.get("/registry/households/").status_code == 200
