"""安全设置: the security administrator's password, lockout and session policy, within MLPS bounds, audited old →
new, and in force at once: length, history, expiry, lockout threshold, idle and absolute session limits."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from wuzaicun.accounts import policy
from wuzaicun.accounts.models import PasswordHistory, User
from wuzaicun.accounts.services import change_password, issue_api_token, update_policy
from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, PermissionDenied
from wuzaicun.testing.world import PASSWORD

from .test_login import _later, _login


@pytest.mark.parametrize(("field", "value", "message"), [
    ("password_min_length", "8", None),
    ("password_min_length", "7", "密码最短长度须在 8–64位 之间（等保三级要求），收到 7"),
    ("password_max_age_days", 91, "密码有效期须在 1–90天 之间"),
    ("password_history", 4, "不得重复使用最近几次密码须在 5–24次 之间"),
    ("idle_minutes", "30", None),
    ("idle_minutes", "31", "无操作自动退出须在 5–30分钟 之间"),
    ("lockout_failures", "五", "连续登录失败锁定次数须为整数，收到“五”"),
    ("colour", 1, "没有名为“colour”的安全设置项"),
])
def test_each_setting_is_held_within_its_mlps_bound(field, value, message):
    found = policy.problem(field, value)
    assert (found is None) if message is None else (found is not None and message in found), found


def test_the_security_administrator_changes_the_policy_and_it_is_audited_old_to_new(world):
    now = update_policy(actor=world.users["security"], changes={"password_max_age_days": "60", "idle_minutes": 30})
    assert now.password_max_age_days == 60
    entry = AuditEntry.objects_unscoped.get(object_type="security_policy")
    assert "密码有效期 90→60天" in entry.summary and "无操作自动退出" not in entry.summary  # unchanged: not said
    assert entry.changes == {"password_max_age_days": [90, 60]}


def test_a_bad_change_names_every_problem_and_changes_nothing(world):
    with pytest.raises(DomainError) as caught:
        update_policy(actor=world.users["security"], changes={"idle_minutes": 45, "password_history": 2,
                                                              "lockout_failures": 4})
    assert "无操作自动退出" in caught.value.message and "不得重复使用最近几次密码" in caught.value.message
    policy.forget()
    assert policy.current() == policy.defaults()
    with pytest.raises(PermissionDenied):
        update_policy(actor=world.users["sysadmin"], changes={"idle_minutes": 10})
    assert not AuditEntry.objects_unscoped.filter(object_type="security_policy").exists()


def test_the_page_shows_the_policy_and_refuses_out_of_bounds_values(world, client_for):
    security = client_for("security")
    page = security.get("/accounts/security/").text
    assert "密码有效期（天）" in page and 'value="90"' in page and "等保三级要求 1–90天" in page
    values = dict(policy.defaults().__dict__) | {"idle_minutes": 45}
    refused = security.post("/accounts/security/", values)
    assert refused.status_code == 200 and "30" in refused.text and policy.current().idle_minutes == 30
    saved = security.post("/accounts/security/", values | {"idle_minutes": 15}, follow=True)
    assert "安全设置已保存" in saved.text and policy.current().idle_minutes == 15
    assert client_for("sysadmin").get("/accounts/security/").status_code == 403


def test_length_and_history_are_enforced_when_a_password_changes(world):
    user = world.users["county_a"]
    update_policy(actor=world.users["security"], changes={"password_min_length": 12})
    with pytest.raises(DomainError, match="密码长度至少 12 位"):
        change_password(actor=user, old_password=PASSWORD, new_password="Short@2016")
    change_password(actor=user, old_password=PASSWORD, new_password="Longer@2016abc")
    change_password(actor=user, old_password="Longer@2016abc", new_password="Another@2016xyz")
    with pytest.raises(DomainError, match="不能与最近 5 次使用过的密码相同"):
        change_password(actor=user, old_password="Another@2016xyz", new_password=PASSWORD)
    assert PasswordHistory.objects.filter(user=user).count() == 2


def test_an_expired_password_must_be_changed_before_anything_else(world):
    user = world.users["county_a"]
    User.objects_unscoped.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = Client()
    _login(client, "county_a", PASSWORD)
    response = client.get("/registry/households/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert "密码已超过 90 天未修改" in client.get("/accounts/password/").text
    update_policy(actor=world.users["security"], changes={"password_max_age_days": 90})
    User.objects_unscoped.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=89))
    assert client.get("/registry/households/").status_code == 200


def test_the_lockout_threshold_follows_the_policy(world):
    update_policy(actor=world.users["security"], changes={"lockout_failures": 3, "lockout_minutes": 60})
    client = Client()
    for _ in range(3):
        _login(client, "county_a", "wrong-password")
    locked = _login(client, "county_a", PASSWORD)
    assert locked.status_code == 429 and "账号已锁定60分钟" in locked.text


def test_idle_and_absolute_session_limits_follow_the_policy(world, monkeypatch):
    update_policy(actor=world.users["security"], changes={"idle_minutes": 10, "session_hours": 1})
    client = Client()
    _login(client, "county_a", PASSWORD)
    assert client.get("/").status_code == 200
    assert 9 * 60 < client.session.get_expiry_age() <= 10 * 60
    _later(monkeypatch, 11 * 60)  # eleven idle minutes: signed out
    assert client.get("/").status_code == 302
    monkeypatch.undo()
    client = Client()
    _login(client, "county_a", PASSWORD)
    for minutes in range(5, 65, 5):  # busy all along, yet an hour is the most a sign-in lasts
        monkeypatch.undo()
        _later(monkeypatch, minutes * 60)
        status = client.get("/").status_code
    assert status == 302


def test_the_command_line_and_the_api_set_the_same_policy(world):
    out = io.StringIO()
    call_command("security", "set", "idle_minutes=20", "reveal_daily_limit=10", stdout=out, stderr=io.StringIO())
    assert "idle_minutes" in out.getvalue() and policy.current().idle_minutes == 20
    with pytest.raises(CommandError, match="无操作自动退出须在 5–30分钟 之间"):
        call_command("security", "set", "idle_minutes=60", stdout=io.StringIO(), stderr=io.StringIO())
    shown = io.StringIO()
    call_command("security", "show", "--json", stdout=shown)
    assert json.loads(shown.getvalue())["reveal_daily_limit"] == 10

    def api(name: str) -> Client:
        return Client(headers={"Authorization": f"Bearer {issue_api_token(user=world.users[name])}"})

    answer = api("security").patch("/api/security/policy", {"password_history": 6}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["password_history"] == 6
    assert api("sysadmin").patch("/api/security/policy", {"password_history": 8},
                                 content_type="application/json").status_code == 403
    bad = api("security").patch("/api/security/policy", {"session_hours": 48}, content_type="application/json")
    assert bad.status_code == 400 and "单次登录最长须在 1–24小时 之间" in bad.json()["message"]
    assert api("auditor").get("/api/security/policy").status_code == 403
