"""The user list's 操作: 修改, 停用/启用 and 重置密码, within the actor's grants, each audited."""

import pytest

from wuzaicun.accounts.models import User
from wuzaicun.accounts.services import initial_password, reset_password, set_user_active, update_user
from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, NotFound, PermissionDenied


def test_the_user_list_offers_the_actions_on_users_the_actor_manages(world, client_for):
    text = client_for("county_a").get("/accounts/users/").text
    township = world.users["township_a"]
    assert f"/accounts/users/{township.pk}/edit/" in text and f"/accounts/users/{township.pk}/password/" in text
    assert f"/accounts/users/{world.users['county_a'].pk}/edit/" not in text  # not oneself
    assert "county_b" not in text


def test_a_user_is_edited_within_the_grant_rules(world, client_for):
    township = world.users["township_a"]
    client = client_for("county_a")
    assert client.get(f"/accounts/users/{township.pk}/edit/").status_code == 200
    done = client.post(f"/accounts/users/{township.pk}/edit/",
                       {"full_name": "李乡长", "role": "village_reporter", "scope": "520302001002"})
    assert done.status_code == 302
    township.refresh_from_db()
    assert (township.full_name, township.role, township.scope_id) == ("李乡长", "village_reporter", "520302001002")
    row = AuditEntry.objects_unscoped.get(action="grant", object_id=str(township.pk))
    assert row.changes["role"] == ["township_admin", "village_reporter"]
    refused = client.post(f"/accounts/users/{township.pk}/edit/",
                          {"full_name": "x", "role": "city_admin", "scope": "520302000000"})
    assert refused.status_code == 200 and User.objects_unscoped.get(pk=township.pk).role == "village_reporter"


def test_a_user_beyond_the_actors_scope_or_grants_is_refused(world, client_for):
    client = client_for("county_a")
    other = world.users["county_b"]
    assert client.get(f"/accounts/users/{other.pk}/edit/").status_code == 404
    assert client.post(f"/accounts/users/{other.pk}/password/").status_code == 404
    assert client.post(f"/accounts/users/{other.pk}/active/", {"active": "0"}).status_code == 404
    assert User.objects_unscoped.get(pk=other.pk).is_active
    with pytest.raises(NotFound):
        update_user(actor=world.users["county_a"], user_id=other.pk, full_name="", role="county_admin",
                    scope="520303000000")
    inspector = User.objects_unscoped.create(username="insp_t", role="inspector", scope=world.regions["520302001000"])
    with pytest.raises(PermissionDenied):  # in the township's scope, but a role it cannot grant
        reset_password(actor=world.users["township_a"], user_id=inspector.pk)
    with pytest.raises(PermissionDenied):  # no right to manage users at all
        set_user_active(actor=world.users["reporter_a"], user_id=world.users["reporter_a"].pk, active=False)
    with pytest.raises(PermissionDenied):
        update_user(actor=world.users["township_a"], user_id=world.users["reporter_a"].pk, full_name="",
                    role="county_admin", scope="520302000000")
    assert AuditEntry.objects_unscoped.filter(action="denied", object_type="user").exists()


def test_stopping_a_user_ends_sign_in_and_starting_again_restores_it(world, client_for):
    reporter = world.users["reporter_a"]
    own = client_for("reporter_a")
    client = client_for("county_a")
    assert client.post(f"/accounts/users/{reporter.pk}/active/", {"active": "0"}).status_code == 302
    assert not User.objects_unscoped.get(pk=reporter.pk).is_active
    assert own.get("/registry/people/").status_code == 302  # the open session no longer works
    assert client.post(f"/accounts/users/{reporter.pk}/active/", {"active": "1"}).status_code == 302
    assert User.objects_unscoped.get(pk=reporter.pk).is_active
    rows = AuditEntry.objects_unscoped.filter(action="update", object_id=str(reporter.pk)).values_list("summary", flat=True)
    assert sorted(rows) == sorted(["停用用户 reporter_a", "启用用户 reporter_a"])
    with pytest.raises(DomainError):
        set_user_active(actor=world.users["county_a"], user_id=world.users["county_a"].pk, active=False)


def test_a_reset_password_is_shown_once_forces_a_change_and_is_never_audited(world, client_for):
    reporter = world.users["reporter_a"]
    page = client_for("county_a").post(f"/accounts/users/{reporter.pk}/password/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    password = page.context["password"]
    assert password in page.text
    reporter.refresh_from_db()
    assert reporter.check_password(password) and reporter.must_change_password
    row = AuditEntry.objects_unscoped.get(action="update", object_id=str(reporter.pk))
    assert password not in row.summary and password not in str(row.changes)
    assert "重置" in row.summary


def test_initial_passwords_hold_every_character_class():
    for _ in range(50):
        value = initial_password()
        assert len(value) == 12
        assert any(c.isupper() for c in value) and any(c.islower() for c in value)
        assert any(c.isdigit() for c in value) and any(not c.isalnum() for c in value)
