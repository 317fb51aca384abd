"""Granting roles and scopes, passwords, the command line `user add`."""

import io

import pytest
from django.core.management import CommandError, call_command

from wuzaicun.accounts.models import User
from wuzaicun.accounts.services import create_user, grant_problem
from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, PermissionDenied

STRONG = "Strong@2016x"


@pytest.mark.parametrize(
    ("grantor", "role", "scope", "allowed"),
    [
        ("city", "county_admin", "520302000000", True),
        ("city", "system_admin", "520302000000", False),  # above own role
        ("county_a", "township_admin", "520302001000", True),
        ("county_a", "township_admin", "520303100000", False),  # other county
        ("county_a", "county_admin", "520300000000", False),  # wider than own scope
        ("county_a", "city_admin", "520302000000", False),
        ("township_a", "village_reporter", "520302001001", True),
        ("township_a", "county_admin", "520302000000", False),
        ("reporter_a", "village_reporter", "520302001001", False),  # no right to grant
        ("county_a", "village_reporter", "520302001000", False),  # a reporter's scope is one village
    ],
)
def test_a_user_grants_at_most_their_own_role_and_scope(world, grantor, role, scope, allowed):
    problem = grant_problem(world.users[grantor], role, scope)
    assert (problem is None) is allowed, problem


def test_create_user_is_audited_and_refusal_changes_nothing(world):
    county_a = world.users["county_a"]
    user = create_user(actor=county_a, username="zhang", role="township_admin", scope="520302001", password=STRONG)
    assert user.scope_id == "520302001000"
    assert AuditEntry.objects_unscoped.filter(action="grant", object_id=str(user.pk)).exists()
    with pytest.raises(PermissionDenied):
        create_user(actor=county_a, username="li", role="township_admin", scope="520303100", password=STRONG)
    assert not User.objects_unscoped.filter(username="li").exists()
    assert AuditEntry.objects_unscoped.filter(action="denied", result="refused").exists()


@pytest.mark.parametrize("password", ["short1A", "alllowercase", "12345678", "Password"])
def test_weak_passwords_are_refused_in_chinese(world, password):
    with pytest.raises(DomainError) as caught:
        create_user(actor=world.users["city"], username="wang", role="leader", scope="5203", password=password)
    assert caught.value.message.startswith("密码不符合要求")


def test_passwords_are_hashed_with_argon2(world):
    user = create_user(actor=None, username="zhao", role="leader", scope="5203", password=STRONG)
    assert user.password.startswith("argon2")


def test_user_add_command_reads_the_password_from_stdin(world, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    err = io.StringIO()
    call_command("user", "add", "qian", "--role", "county_admin", "--scope", "520303", "--password-stdin", stderr=err)
    user = User.objects_unscoped.get(username="qian")
    assert user.role == "county_admin" and user.scope_id == "520303000000" and user.check_password(STRONG)
    assert "已创建用户" in err.getvalue()


def test_user_add_command_refuses_an_unknown_scope(world, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    with pytest.raises(CommandError, match="区划不存在"):
        call_command("user", "add", "sun", "--role", "county_admin", "--scope", "520399", "--password-stdin")
