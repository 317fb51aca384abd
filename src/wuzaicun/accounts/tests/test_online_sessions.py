"""在线会话: the security administrator sees who is signed in, from where, since and last seen, and ends a session;
a changed password, a disabled account or a new role or scope ends the user's sessions and API tokens."""

from __future__ import annotations

from django.test import Client

from wuzaicun.accounts.models import ApiToken, UserSession
from wuzaicun.accounts.services import create_user, issue_api_token, set_user_active, update_user
from wuzaicun.audit.models import AuditEntry
from wuzaicun.testing.world import PASSWORD

STRONG = "Strong@2016x"


def _signed_in(username: str, ip: str) -> Client:
    client = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT="Mozilla/5.0 (测试浏览器)")
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200
    return client


def test_the_security_administrator_sees_sessions_and_ends_one(world, client_for):
    office, phone = _signed_in("county_a", "10.0.0.8"), _signed_in("county_a", "10.0.0.9")
    _signed_in("county_b", "10.0.0.10")
    security = client_for("security")
    page = security.get("/accounts/sessions/").text
    assert page.count("<td>county_a</td><td>") == 2 and "10.0.0.8" in page and "10.0.0.9" in page and "county_b" in page
    assert "测试浏览器" in page and "县级管理员" in page
    key = phone.session.session_key
    assert key not in page and office.session.session_key not in page  # a key would let its holder sign in
    handle = UserSession.objects_unscoped.get(session_id=key).handle
    done = security.post(f"/accounts/sessions/{handle}/end/", follow=True)
    assert "已强制退出“county_a”的会话" in done.text
    assert phone.get("/").status_code == 302 and office.get("/").status_code == 200
    entry = AuditEntry.objects_unscoped.filter(summary__startswith="强制退出").get()
    assert "county_a" in entry.summary and "10.0.0.9" in entry.summary and entry.actor_name == "security"
    # an administrator's act: the audit administrator finds it in 操作日志, not among the user's own logouts
    assert entry.action == "update" and entry.summary in client_for("auditor").get("/audit/operations/").text
    # nobody but the security administrator ends a session
    other = UserSession.objects_unscoped.get(session_id=office.session.session_key).handle
    assert client_for("sysadmin").post(f"/accounts/sessions/{other}/end/").status_code == 403
    assert office.get("/").status_code == 200


def test_a_security_administrator_of_one_county_sees_only_its_sessions(world, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    from wuzaicun.testing.twofa import enrol, log_in

    enrol(create_user(actor=None, username="sec_b", role="security_admin", scope="520303", password=STRONG,
                      must_change_password=False))
    a, b = _signed_in("county_a", "10.0.0.8"), _signed_in("county_b", "10.0.0.10")
    sec_b = Client()
    log_in(sec_b, "sec_b", STRONG)
    page = sec_b.get("/accounts/sessions/").text
    assert "county_b" in page and "county_a" not in page
    handle = UserSession.objects_unscoped.get(session_id=a.session.session_key).handle
    assert sec_b.post(f"/accounts/sessions/{handle}/end/").status_code == 404
    assert a.get("/").status_code == 200 and b.get("/").status_code == 200


def test_a_password_change_ends_the_other_sessions_and_the_tokens_but_not_this_one(world):
    here, there = _signed_in("county_a", "10.0.0.8"), _signed_in("county_a", "10.0.0.9")
    issue_api_token(user=world.users["county_a"])
    changed = here.post("/accounts/password/", {"old_password": PASSWORD, "new_password": STRONG,
                                                "new_password2": STRONG, "confirm_password": STRONG}, follow=True)
    assert "密码修改成功" in changed.text, changed.text[-2000:]
    assert here.get("/").status_code == 200 and there.get("/").status_code == 302
    assert not ApiToken.objects_unscoped.filter(user=world.users["county_a"]).exists()
    assert UserSession.objects_unscoped.filter(user=world.users["county_a"]).count() == 1  # this one, re-keyed


def test_disabling_or_a_new_role_or_scope_ends_every_session_and_token(world):
    user = world.users["township_a"]
    client = _signed_in("township_a", "10.0.0.8")
    issue_api_token(user=user)
    update_user(actor=world.users["county_a"], user_id=user.pk, full_name="乡镇甲", role="township_admin",
                scope="520302001")  # nothing of the grant changed: the session goes on
    assert client.get("/").status_code == 200
    update_user(actor=world.users["county_a"], user_id=user.pk, full_name="乡镇甲", role="village_reporter",
                scope="520302001001")
    assert client.get("/").status_code == 302
    assert not ApiToken.objects_unscoped.filter(user=user).exists()
    leader = _signed_in("leader_a", "10.0.0.9")
    issue_api_token(user=world.users["leader_a"])
    set_user_active(actor=world.users["county_a"], user_id=world.users["leader_a"].pk, active=False)
    assert leader.get("/").status_code == 302
    assert not ApiToken.objects_unscoped.filter(user=world.users["leader_a"]).exists()
    assert not UserSession.objects_unscoped.filter(user__in=[user, world.users["leader_a"]]).exists()
