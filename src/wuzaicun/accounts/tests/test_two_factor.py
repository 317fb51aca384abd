"""双因素认证: the login's second step, enrolment with recovery codes shown once, the per-role requirement, the
security administrator's reset, the API token, and wrong codes counting toward the lockout."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from wuzaicun.accounts.models import ApiToken, RecoveryCode, User, UserSession
from wuzaicun.accounts.services import issue_api_token, update_policy
from wuzaicun.audit.models import AuditEntry
from wuzaicun.testing.twofa import code_for, device_from_page, log_in
from wuzaicun.testing.world import PASSWORD

VERIFY = "/accounts/2fa/verify/"
ENROL = "/accounts/2fa/enrol/"


def _summaries(username: str) -> list[str]:
    return list(AuditEntry.objects_unscoped.filter(actor_name=username).order_by("id").values_list("summary", flat=True))


def test_an_administrator_reaches_nothing_between_the_password_and_the_code(world):
    client = Client()
    client.post("/accounts/login/", {"username": "sysadmin", "password": PASSWORD})
    for path in ("/", "/accounts/users/", "/accounts/profile/", "/accounts/password/", ENROL):
        assert client.get(path)["Location"] == VERIFY, path
    assert client.get("/api/auth/me").status_code == 401
    page = client.get(VERIFY)
    assert "输入动态验证码" in page.text and "恢复码" in page.text
    response = client.post(VERIFY, {"code": code_for(world.users["sysadmin"])})
    assert response["Location"] == "/"
    assert client.get("/accounts/users/").status_code == 200
    assert client.get("/api/auth/me").json()["username"] == "sysadmin"
    assert _summaries("sysadmin")[-2:] == ["密码验证通过，待输入动态验证码", "双因素认证通过（身份验证器）"]


def test_a_code_is_accepted_once(world):
    user = world.users["auditor"]
    first = Client()
    first.post("/accounts/login/", {"username": "auditor", "password": PASSWORD})
    code = code_for(user)
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    second = Client()
    second.post("/accounts/login/", {"username": "auditor", "password": PASSWORD})
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200 and "动态验证码错误" in response.text
    assert second.get("/")["Location"] == VERIFY


def test_wrong_codes_count_toward_the_lockout_and_a_new_password_step_does_not_clear_them(world):
    client = Client()
    client.post("/accounts/login/", {"username": "security", "password": PASSWORD})
    for _ in range(3):
        assert "动态验证码错误" in client.post(VERIFY, {"code": "000000"}).text
    # signing in with the password again does not wipe the failures (else the code could be guessed forever)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "security", "password": PASSWORD})
    client.post(VERIFY, {"code": "000001"})
    locked = client.post(VERIFY, {"code": "000002"})
    assert locked.status_code == 429 and "账号已锁定" in locked.text
    assert client.get("/")["Location"].startswith("/accounts/login/")  # the session ended
    assert Client().post("/accounts/login/", {"username": "security", "password": PASSWORD}).status_code == 429
    failed = AuditEntry.objects_unscoped.filter(actor_name="security", action="login_failed",
                                                summary="登录失败（动态验证码错误）")
    assert failed.count() >= 5
    assert AuditEntry.objects_unscoped.filter(actor_name="security", action="lockout").exists()


def test_a_complete_login_clears_earlier_failures(world):
    from axes.models import AccessAttempt

    Client().post("/accounts/login/", {"username": "auditor_a", "password": "wrong-password"})
    assert AccessAttempt.objects.filter(username="auditor_a").exists()
    client = Client()
    client.post("/accounts/login/", {"username": "auditor_a", "password": PASSWORD})
    assert AccessAttempt.objects.filter(username="auditor_a").exists()  # not yet: the code is owed
    client.post(VERIFY, {"code": code_for(world.users["auditor_a"])})
    assert not AccessAttempt.objects.filter(username="auditor_a").exists()


def _require_county_admins() -> None:
    update_policy(actor=User.objects_unscoped.get(username="security"),
                  changes={"require_2fa_roles": ["system_admin", "security_admin", "audit_admin", "county_admin"]})


def _secret_code(page_text: str, user: User) -> str:
    """What the phone would show after the key on the page was typed in."""
    assert "<svg" in page_text  # the QR code, drawn here
    return code_for(user, device=device_from_page(user, page_text))


def test_showing_the_enrolment_page_writes_nothing_and_keeps_its_key_until_confirmed(world):
    _require_county_admins()
    user = world.users["county_a"]
    client = Client()
    client.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})
    entries = AuditEntry.objects_unscoped.count()
    first = client.get(ENROL)
    again = client.get(ENROL)
    assert first.status_code == 200 and not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects_unscoped.count() == entries
    assert device_from_page(user, first.text).key == device_from_page(user, again.text).key  # the phone's key holds
    assert "动态验证码不正确" in client.post(ENROL, {"code": "123456"}).text
    assert not TOTPDevice.objects.filter(user=user).exists()
    client.post(ENROL, {"code": _secret_code(again.text, user)})
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == device_from_page(user, first.text).key


def test_a_role_that_requires_it_enrols_right_after_login_and_sees_ten_recovery_codes_once(world):
    _require_county_admins()
    assert "县级管理员" in AuditEntry.objects_unscoped.filter(object_type="security_policy").order_by("id").last().summary
    user = world.users["county_a"]
    client = Client()
    client.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})
    assert client.get("/")["Location"] == ENROL
    assert client.get("/registry/households/")["Location"] == ENROL
    assert client.get("/api/households").status_code == 401
    page = client.get(ENROL)
    assert "必须使用双因素认证" in page.text
    wrong = client.post(ENROL, {"code": "123456"})
    assert "动态验证码不正确" in wrong.text
    page = client.get(ENROL)
    done = client.post(ENROL, {"code": _secret_code(page.text, user)})
    codes = re.findall(r"<li class=\"col\">([A-Z0-9]{5}-[A-Z0-9]{5})</li>", done.text)
    assert len(codes) == 10 and len(set(codes)) == 10 and "只显示这一次" in done.text
    stored = list(RecoveryCode.objects_unscoped.filter(user=user).values_list("digest", flat=True))
    assert len(stored) == 10 and not {c.replace("-", "") for c in codes} & set(stored)
    assert client.get("/registry/households/").status_code == 200
    assert "启用双因素认证，并生成10个恢复码（其他会话和接口令牌已结束）" in _summaries("county_a")
    # the codes are never shown again
    assert codes[0] not in client.get("/accounts/2fa/").text

    # a recovery code signs in once, in place of the authenticator
    other = Client()
    other.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})
    assert other.get("/")["Location"] == VERIFY
    assert other.post(VERIFY, {"code": codes[0].lower()})["Location"] == "/"
    again = Client()
    again.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})
    assert "动态验证码错误" in again.post(VERIFY, {"code": codes[0]}).text
    assert "使用恢复码，剩余9个" in _summaries("county_a")[-3]

    # regenerating voids the old ones
    regenerated = client.post("/accounts/2fa/recovery-codes/", {"code": code_for(user)})
    fresh = re.findall(r"<li class=\"col\">([A-Z0-9]{5}-[A-Z0-9]{5})</li>", regenerated.text)
    assert len(fresh) == 10 and "原来的恢复码已全部作废" in regenerated.text
    assert "动态验证码错误" in again.post(VERIFY, {"code": codes[1]}).text
    assert again.post(VERIFY, {"code": fresh[1]})["Location"] == "/"


def test_other_roles_may_turn_it_on_and_off(world):
    user = world.users["leader_a"]
    client = Client()
    log_in(client, "leader_a")
    assert "未启用" in client.get("/accounts/2fa/").text
    page = client.get(ENROL)
    assert "必须使用" not in page.text
    client.post(ENROL, {"code": _secret_code(page.text, user)})
    assert "已启用" in client.get("/accounts/2fa/").text
    fresh = Client()
    assert log_in(fresh, "leader_a")["Location"] == "/"  # through the code page
    client.post("/accounts/2fa/disable/", {"code": code_for(user)})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert _summaries("leader_a")[-1] == "关闭双因素认证"
    # an administrator cannot turn it off
    admin = Client()
    log_in(admin, "sysadmin")
    admin.post("/accounts/2fa/disable/", {"code": code_for(world.users["sysadmin"])})
    assert TOTPDevice.objects.filter(user=world.users["sysadmin"]).exists()


def test_the_security_administrator_resets_a_users_second_factor_and_it_is_audited(world, client_for):
    target = world.users["sysadmin"]
    held = Client()
    log_in(held, "sysadmin")
    page = client_for("security").get("/accounts/2fa/users/")
    assert "sysadmin" in page.text and "已启用" in page.text and "必须" in page.text
    security = client_for("security")
    response = security.post(f"/accounts/2fa/users/{target.pk}/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert held.get("/")["Location"].startswith("/accounts/login/")  # the user's sessions ended
    assert AuditEntry.objects_unscoped.filter(actor_name="security", action="update",
                                              summary__startswith="重置用户 sysadmin 的双因素认证").exists()
    # at the next login the administrator must enrol again
    again = Client()
    again.post("/accounts/login/", {"username": "sysadmin", "password": PASSWORD})
    assert again.get("/")["Location"] == ENROL
    # nobody resets their own; other roles may not reset at all
    own = security.post(f"/accounts/2fa/users/{world.users['security'].pk}/reset/")
    assert own.status_code == 400 and TOTPDevice.objects.filter(user=world.users["security"]).exists()
    assert client_for("county_a").post(f"/accounts/2fa/users/{world.users['auditor'].pk}/reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=world.users["auditor"]).exists()


def test_the_command_line_resets_a_second_factor(world, capsys):
    call_command("user", "reset-2fa", "auditor_b")
    assert not TOTPDevice.objects.filter(user=world.users["auditor_b"]).exists()
    assert "已重置 auditor_b 的双因素认证" in capsys.readouterr().err
    assert AuditEntry.objects_unscoped.filter(actor_name="系统", summary__startswith="重置用户 auditor_b").exists()


def _token(body: dict[str, str]) -> tuple[int, dict[str, str]]:
    response = Client().post("/api/auth/token", data=json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_the_api_token_needs_the_dynamic_code_of_a_user_who_has_one(world):
    status, body = _token({"username": "auditor", "password": PASSWORD})
    assert status == 401 and body["message"] == "需要动态验证码"
    status, body = _token({"username": "auditor", "password": PASSWORD, "otp": "000000"})
    assert status == 401 and body["message"] == "动态验证码错误"
    status, body = _token({"username": "auditor", "password": PASSWORD, "otp": code_for(world.users["auditor"])})
    assert status == 200 and body["token"]
    status, body = _token({"username": "county_a", "password": PASSWORD})  # no authenticator, not required
    assert status == 200


def test_a_user_required_to_enrol_gets_no_token_before_enrolling(world):
    _require_county_admins()
    status, body = _token({"username": "county_a", "password": PASSWORD})
    assert status == 400 and "请先登录网页设置身份验证器" in body["message"]


def test_the_policy_keeps_the_three_administrators_and_audits_changes(world, client_for):
    security = client_for("security")
    page = security.get("/accounts/security/")
    assert "须使用双因素认证的角色" in page.text
    from dataclasses import asdict

    from wuzaicun.accounts import policy

    form = {k: v for k, v in asdict(policy.current()).items() if k != "require_2fa_roles"}
    kept = security.post("/accounts/security/", {**form, "require_2fa_roles": ["security_admin", "audit_admin"]})
    assert kept.status_code == 302 and "system_admin" in policy.current().require_2fa_roles  # cannot be unticked
    assert "county_admin" not in policy.current().require_2fa_roles
    saved = security.post("/accounts/security/", {
        **form, "require_2fa_roles": ["system_admin", "security_admin", "audit_admin", "township_admin"]})
    assert saved.status_code == 302
    assert "township_admin" in policy.current().require_2fa_roles
    row = AuditEntry.objects_unscoped.filter(object_type="security_policy").order_by("id").last()
    assert row is not None
    assert "须使用双因素认证的角色 审计管理员、安全管理员、系统管理员→审计管理员、安全管理员、系统管理员、乡镇管理员" in row.summary


@pytest.mark.parametrize("value", ["security_admin,audit_admin", "system_admin,security_admin,audit_admin,nobody"])
def test_the_command_line_refuses_a_policy_without_an_administrator_or_with_an_unknown_role(world, value):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("security", "set", f"require_2fa_roles={value}")


def _codes_on(page_text: str) -> list[str]:
    return re.findall(r"<li class=\"col\">([A-Z0-9]{5}-[A-Z0-9]{5})</li>", page_text)


def test_enrolling_ends_the_users_other_sessions_and_api_tokens_but_not_this_one(world):
    user = world.users["leader_a"]
    here, there = Client(), Client()
    log_in(here, "leader_a")
    log_in(there, "leader_a")
    issue_api_token(user=user)
    page = here.get(ENROL)
    done = here.post(ENROL, {"code": _secret_code(page.text, user)})
    assert len(_codes_on(done.text)) == 10 and "其他设备上的会话和接口令牌将全部结束" in page.text
    assert here.get("/").status_code == 200  # this session goes on, verified
    assert there.get("/")["Location"].startswith("/accounts/login/")  # the other one ended
    assert not ApiToken.objects_unscoped.filter(user=user).exists()
    assert UserSession.objects_unscoped.filter(user=user).count() == 1
    assert _summaries("leader_a")[-1] == "启用双因素认证，并生成10个恢复码（其他会话和接口令牌已结束）"


def test_replacing_the_authenticator_needs_a_current_code_and_ends_the_other_sessions(world):
    user = world.users["sysadmin"]
    old_key = TOTPDevice.objects.get(user=user).key
    thief, other = Client(), Client()
    log_in(thief, "sysadmin")
    log_in(other, "sysadmin")
    page = thief.get(ENROL)
    assert "更换身份验证器" in page.text and "当前动态验证码" in page.text
    new_code = _secret_code(page.text, user)
    # a session alone (no current code, or a wrong one) cannot rebind the second factor
    missing = thief.post(ENROL, {"code": new_code})
    assert missing.status_code == 200 and TOTPDevice.objects.get(user=user).key == old_key
    refused = thief.post(ENROL, {"current_code": "000000", "code": new_code})
    assert refused.status_code == 200 and "更换身份验证器须先验证当前的双因素认证" in refused.text
    assert TOTPDevice.objects.get(user=user).key == old_key
    assert AuditEntry.objects_unscoped.filter(actor_name="sysadmin", action="login_failed",
                                              summary="登录失败（更换身份验证器时当前动态验证码错误）").exists()
    # with the old authenticator's current code it is replaced; the other session ends
    done = thief.post(ENROL, {"current_code": code_for(user), "code": new_code})
    assert len(_codes_on(done.text)) == 10
    new = TOTPDevice.objects.get(user=user)
    assert new.key != old_key and new.key == device_from_page(user, page.text).key
    assert thief.get("/accounts/users/").status_code == 200
    assert other.get("/")["Location"].startswith("/accounts/login/")
    assert _summaries("sysadmin")[-1].startswith("更换双因素认证的身份验证器")


def test_a_lost_phone_is_replaced_with_a_recovery_code(world):
    user = world.users["leader_a"]
    client = Client()
    log_in(client, "leader_a")
    page = client.get(ENROL)
    codes = _codes_on(client.post(ENROL, {"code": _secret_code(page.text, user)}).text)
    first_key = TOTPDevice.objects.get(user=user).key
    page = client.get(ENROL)
    done = client.post(ENROL, {"current_code": codes[0], "code": _secret_code(page.text, user)})
    assert len(_codes_on(done.text)) == 10 and TOTPDevice.objects.get(user=user).key != first_key


def test_regenerating_recovery_codes_needs_a_current_code(world, client_for):
    user = world.users["auditor"]
    client = client_for("auditor")
    home = client.get("/accounts/2fa/")
    assert "当前动态验证码" in home.text
    before = set(RecoveryCode.objects_unscoped.filter(user=user).values_list("digest", flat=True))
    refused = client.post("/accounts/2fa/recovery-codes/", {"code": "000000"}, follow=True)
    assert "重新生成恢复码须先验证当前的双因素认证" in refused.text and not _codes_on(refused.text)
    missing = client.post("/accounts/2fa/recovery-codes/", {}, follow=True)
    assert "须先输入当前的动态验证码" in missing.text and not _codes_on(missing.text)
    assert set(RecoveryCode.objects_unscoped.filter(user=user).values_list("digest", flat=True)) == before
    assert AuditEntry.objects_unscoped.filter(actor_name="auditor", action="login_failed",
                                              summary="登录失败（重新生成恢复码时当前动态验证码错误）").exists()
    done = client.post("/accounts/2fa/recovery-codes/", {"code": code_for(user)})
    assert len(_codes_on(done.text)) == 10
    assert _summaries("auditor")[-1] == "重新生成双因素认证恢复码（原恢复码作废）"
