"""退出所有设备 ends every session and API token of the user; 退出 with a token revokes that token only."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.test import Client

from wuzaicun.accounts.models import ApiToken
from wuzaicun.accounts.services import end_all_sessions
from wuzaicun.audit.models import AuditEntry
from wuzaicun.testing.api import token_for
from wuzaicun.testing.world import PASSWORD


def _browser(username: str) -> Client:
    browser = Client()
    assert browser.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    assert browser.get("/accounts/profile/").status_code == 200
    return browser


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_logout_all_from_the_profile_page_ends_every_session_and_token_of_the_user_only(world):
    office, phone, colleague = _browser("county_a"), _browser("county_a"), _browser("county_b")
    token, other_token = token_for("county_a"), token_for("county_b")
    api = Client()
    assert api.get("/api/auth/me", headers=_bearer(token)).status_code == 200
    assert "退出所有设备" in office.get("/accounts/profile/").text

    answer = office.post("/accounts/logout-all/")

    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    assert "已退出所有设备" in office.get(answer["Location"]).text
    assert office.get("/accounts/profile/").status_code == 302  # this browser is logged out
    assert phone.get("/accounts/profile/").status_code == 302   # and so is the other one
    assert api.get("/api/auth/me", headers=_bearer(token)).status_code == 401
    assert not ApiToken.objects_unscoped.filter(user=world.users["county_a"]).exists()
    mine = str(world.users["county_a"].pk)
    assert all(s.get_decoded().get("_auth_user_id") != mine for s in Session.objects.all())
    # Another user's session and token are untouched.
    assert colleague.get("/accounts/profile/").status_code == 200
    assert api.get("/api/auth/me", headers=_bearer(other_token)).status_code == 200
    entry = AuditEntry.objects_unscoped.get(actor=world.users["county_a"], summary__startswith="退出所有设备")
    assert entry.action == "logout" and "2个会话" in entry.summary and "1个接口令牌" in entry.summary


def test_a_session_missed_by_the_deletion_is_refused_all_the_same(world):
    """The session hash changes too, so a session kept elsewhere (another backend, a cache) ends as well."""
    phone = _browser("county_a")
    kept = list(Session.objects.all())
    end_all_sessions(actor=world.users["county_a"])
    Session.objects.bulk_create(kept)  # as if the deletion had not reached them
    assert phone.get("/accounts/profile/").status_code == 302


def test_api_logout_revokes_the_calling_token_and_logout_all_every_one(world):
    api = Client()
    first, second, third = token_for("county_a"), token_for("county_a"), token_for("county_a")
    assert api.post("/api/auth/logout", headers=_bearer(first)).status_code == 204
    assert api.get("/api/auth/me", headers=_bearer(first)).status_code == 401
    assert api.get("/api/auth/me", headers=_bearer(second)).status_code == 200
    browser = _browser("county_a")
    assert api.post("/api/auth/logout-all", headers=_bearer(second)).status_code == 204
    assert api.get("/api/auth/me", headers=_bearer(second)).status_code == 401
    assert api.get("/api/auth/me", headers=_bearer(third)).status_code == 401
    assert browser.get("/accounts/profile/").status_code == 302


def test_web_logout_ends_only_that_browser_session(world):
    office, phone = _browser("county_a"), _browser("county_a")
    token = token_for("county_a")
    office.post("/accounts/logout/")
    assert office.get("/accounts/profile/").status_code == 302
    assert phone.get("/accounts/profile/").status_code == 200
    assert Client().get("/api/auth/me", headers=_bearer(token)).status_code == 200
