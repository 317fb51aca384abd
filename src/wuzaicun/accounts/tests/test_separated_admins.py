"""三员分立 (MLPS level 3): the system, security and audit administrators hold disjoint powers, none of them is
granted or managed on a page, the security and audit administrators see no business data, and the security
administrator lifts lockouts."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import call_command
from django.test import Client

from wuzaicun.accounts.models import User
from wuzaicun.accounts.roles import ROLE_PERMS, SEPARATED_ADMINS, Perm, Role
from wuzaicun.accounts.services import create_user, reset_password, set_user_active, update_user
from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import PermissionDenied
from wuzaicun.testing.world import PASSWORD

STRONG = "Strong@2016x"


def test_the_three_administrators_hold_disjoint_powers():
    for one, other in itertools.combinations(SEPARATED_ADMINS, 2):
        assert not ROLE_PERMS[one] & ROLE_PERMS[other], (one, other)
    assert Perm.VIEW_AUDIT not in ROLE_PERMS[Role.SYSTEM_ADMIN]
    assert Perm.MANAGE_SECURITY not in ROLE_PERMS[Role.SYSTEM_ADMIN]
    assert ROLE_PERMS[Role.SECURITY_ADMIN] == {Perm.MANAGE_SECURITY}
    assert ROLE_PERMS[Role.AUDIT_ADMIN] == {Perm.VIEW_AUDIT}
    business = set(Role.values) - SEPARATED_ADMINS
    assert all(Perm.MANAGE_SECURITY not in ROLE_PERMS[r] for r in business)


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_no_page_grants_an_administrator_role_only_the_command_line_does(world, role, monkeypatch):
    with pytest.raises(PermissionDenied, match="不能授予"):
        create_user(actor=world.users["sysadmin"], username=f"new_{role}", role=role, scope="52", password=STRONG)
    assert not User.objects_unscoped.filter(username=f"new_{role}").exists()
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    call_command("user", "add", f"cli_{role}", "--role", role, "--scope", "52", "--password-stdin",
                 stderr=io.StringIO())
    assert User.objects_unscoped.get(username=f"cli_{role}").role == role


def test_the_system_administrator_cannot_take_over_the_other_two(world):
    sysadmin = world.users["sysadmin"]
    for name in ("auditor", "security"):
        target = world.users[name]
        with pytest.raises(PermissionDenied):
            reset_password(actor=sysadmin, user_id=target.pk)
        with pytest.raises(PermissionDenied):
            set_user_active(actor=sysadmin, user_id=target.pk, active=False)
        with pytest.raises(PermissionDenied):
            update_user(actor=sysadmin, user_id=target.pk, full_name="x", role="leader", scope="52")
        target.refresh_from_db()
        assert target.is_active and target.role in SEPARATED_ADMINS
    # a business account is still the system administrator's to manage
    assert set_user_active(actor=sysadmin, user_id=world.users["leader_a"].pk, active=False).is_active is False


@pytest.mark.parametrize(("user", "allowed", "refused"), [
    ("sysadmin", ["/accounts/users/", "/registry/households/"], ["/audit/", "/accounts/lockouts/"]),
    ("security", ["/accounts/lockouts/"], ["/audit/", "/accounts/users/", "/registry/households/"]),
    ("auditor", ["/audit/"], ["/accounts/lockouts/", "/accounts/users/", "/registry/households/"]),
])
def test_each_administrator_opens_only_its_own_pages(world, client_for, user, allowed, refused):
    client = client_for(user)
    for url in allowed:
        assert client.get(url).status_code == 200, url
    for url in refused:
        assert client.get(url).status_code == 403, url


def test_the_menu_shows_each_administrator_its_own_items(world, client_for):
    home = client_for("security").get("/").text
    assert "账号锁定" in home and "操作日志" not in home and "用户管理" not in home
    home = client_for("auditor").get("/").text
    assert "操作日志" in home and "账号锁定" not in home and "用户管理" not in home


def test_the_security_administrator_lifts_a_lockout_and_it_is_audited(world, client_for):
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "county_a", "password": "wrong-password"})
    Client().post("/accounts/login/", {"username": "nobody_here", "password": "wrong-password"})
    assert Client().post("/accounts/login/", {"username": "county_a", "password": PASSWORD}).status_code == 429
    security = client_for("security")
    page = security.get("/accounts/lockouts/").text
    assert "county_a" in page and "已锁定" in page and "县级管理员" in page
    assert "nobody_here" in page and "无此账号" in page  # the whole deployment's security administrator
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="county_a")
    response = security.post(f"/accounts/lockouts/{attempt.pk}/unlock/", follow=True)
    assert "已解除账号“county_a”的锁定" in response.text
    entry = AuditEntry.objects_unscoped.get(object_type="lockout")
    assert entry.actor_name == "security" and "county_a" in entry.summary and entry.region_code == "520302000000"
    assert Client().post("/accounts/login/", {"username": "county_a", "password": PASSWORD}).status_code == 302
    # nobody else lifts a lockout
    other = AccessAttempt.objects.get(username="nobody_here")
    assert client_for("sysadmin").post(f"/accounts/lockouts/{other.pk}/unlock/").status_code == 403
    assert AccessAttempt.objects.filter(username="nobody_here").exists()


def test_the_audit_and_security_administrators_read_no_business_data_through_the_api(world):
    from wuzaicun.accounts.services import issue_api_token

    for name in ("auditor", "security"):
        client = Client(headers={"Authorization": f"Bearer {issue_api_token(user=world.users[name])}"})
        for url in ("/api/households", "/api/people", "/api/villages"):  # the names of places are not business data
            response = client.get(url)
            assert response.status_code in (403, 404) or response.json().get("count") == 0, (name, url)


def test_the_administrators_home_lists_their_tools_and_no_business_figures(world, client_for):
    home = client_for("security").get("/").text
    assert 'id="admin-tools"' in home and "在线会话" in home and "贫困村" not in home and "建档立卡户" not in home
    assert "/responsibility/" not in home and "/verification/" not in home
    business = client_for("county_a").get("/").text
    assert "贫困村" in business and 'id="admin-tools"' not in business and "建设中" not in business
