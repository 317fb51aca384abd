"""The audit trail: written with the change, rolled back with it, append-only, masked, scoped."""

import pytest
from django.db import transaction

from wuzaicun.audit.models import AuditEntry
from wuzaicun.audit.services import record
from wuzaicun.registry.services import save_household
from wuzaicun.testing.factories import next_resident_id


def _household_values(region="520302001001", **overrides):
    values = dict(region_code=region, head_name="张三", resident_id=next_resident_id("520302"), members=3,
                  status="未脱贫", identified_year=2015, exit_year=None, cause="因病", income_per_head=None)
    return values | overrides


def test_a_change_leaves_an_audit_row_with_masked_ids(world):
    actor = world.users["county_a"]
    values = _household_values()
    household = save_household(actor=actor, **values)
    entry = AuditEntry.objects_unscoped.get(action="create", object_type="household", object_id=str(household.pk))
    assert entry.actor == actor and entry.region_code == "520302001001"
    assert values["resident_id"] not in str(entry.changes)
    assert household.resident_id_masked in str(entry.changes)


def test_the_audit_row_rolls_back_with_the_change(world):
    before = AuditEntry.objects_unscoped.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=world.users["county_a"], action="update", summary="x")
        raise RuntimeError
    assert AuditEntry.objects_unscoped.count() == before


def test_entries_cannot_be_changed_or_deleted_through_the_application(world):
    entry = record(actor=world.users["county_a"], action="update", summary="原摘要")
    entry.summary = "改过的摘要"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects_unscoped.get(pk=entry.pk).summary == "原摘要"


def test_a_refused_write_is_audited_as_refused(world, client_for):
    client = client_for("leader_a")
    response = client.get("/registry/households/new/")
    assert response.status_code == 403
    assert AuditEntry.objects_unscoped.filter(actor=world.users["leader_a"], action="denied", result="refused").exists()


def test_the_audit_page_filters_and_is_scoped_both_ways(world, client_for):
    record(actor=world.users["county_a"], action="update", region_code="520302001001", summary="甲村的修改")
    record(actor=world.users["county_b"], action="update", region_code="520303100201", summary="丙村的修改")
    page_a = client_for("auditor_a").get("/audit/?action=update").text
    page_b = client_for("auditor_b").get("/audit/?action=update").text
    assert "甲村的修改" in page_a and "丙村的修改" not in page_a
    assert "丙村的修改" in page_b and "甲村的修改" not in page_b
    assert client_for("township_a").get("/audit/").status_code == 403


def test_failed_logins_are_visible_to_the_accounts_county_and_command_line_runs_to_the_audit_admin(world, client_for):
    from django.test import Client

    Client().post("/accounts/login/", {"username": "county_b", "password": "wrong-password"})
    record(actor=None, action="import", summary="命令行导入")
    page_b = client_for("auditor_b").get("/audit/?action=login_failed").text
    page_a = client_for("auditor_a").get("/audit/?action=login_failed").text
    assert "county_b" in page_b.split("audit-table")[1] and "county_b" not in page_a.split("audit-table")[1]
    assert "命令行导入" in client_for("auditor").get("/audit/").text
    assert "命令行导入" not in client_for("auditor_a").get("/audit/").text  # no region: the whole deployment's auditor's only
    assert client_for("sysadmin").get("/audit/").status_code == 403  # 三员分立: no audit reading
    assert client_for("city").get("/audit/").status_code == 403  # business administrators do not read the trail
