"""Writes of 组织保障 and its standards: audited, scoped, refused in Chinese, stale saves 409."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from wuzaicun.organization.models import Guarantee, GuaranteeStandard
from wuzaicun.organization.selectors.guarantees import standard_values
from wuzaicun.organization.services.guarantees import (
    delete_guarantee,
    save_guarantee,
    set_standards,
    update_guarantee,
)

A1, B1 = "520302001001", "520303100201"
VALUES = {"cadre_monthly_pay": Decimal("2000"), "operating_funds": Decimal("45000.5"), "service_funds": 50000,
          "activity_funds_per_member": Decimal("120"), "training_funds_per_cadre": Decimal("600"), "home_area": None}


def test_saving_a_village_year_twice_updates_it_and_audits_each(world) -> None:
    county = world.users["county_a"]
    row = save_guarantee(actor=county, village_code=A1, year=2016, values=VALUES)
    assert row.operating_funds == Decimal("45000.50") and row.home_area is None
    again = save_guarantee(actor=county, village_code=A1, year=2016, values=VALUES | {"home_area": Decimal(320)})
    assert again.pk == row.pk and again.version == 2 and Guarantee.objects_unscoped.count() == 1
    audits = AuditEntry.objects_unscoped.filter(object_type="guarantee").order_by("id")
    assert [a.action for a in audits] == ["create", "update"] and "home_area" in audits[1].changes


def test_another_countys_village_is_refused_as_missing(world) -> None:
    with pytest.raises(NotFound):
        save_guarantee(actor=world.users["county_a"], village_code=B1, year=2016, values=VALUES)
    row = save_guarantee(actor=world.users["county_b"], village_code=B1, year=2016, values=VALUES)
    with pytest.raises(NotFound):
        update_guarantee(actor=world.users["county_a"], guarantee_id=row.pk, values=VALUES)
    with pytest.raises(NotFound):
        delete_guarantee(actor=world.users["county_a"], guarantee_id=row.pk)
    assert Guarantee.objects_unscoped.filter(pk=row.pk).exists()


def test_a_negative_or_too_large_value_is_refused_in_chinese(world) -> None:
    with pytest.raises(DomainError, match="村干部月报酬超出允许范围"):
        save_guarantee(actor=world.users["county_a"], village_code=A1, year=2016, values={"cadre_monthly_pay": -1})
    with pytest.raises(DomainError, match="党员群众之家面积超出允许范围"):
        save_guarantee(actor=world.users["county_a"], village_code=A1, year=2016, values={"home_area": Decimal("1e12")})
    assert not Guarantee.objects_unscoped.exists()


def test_a_stale_update_is_a_conflict(world) -> None:
    row = save_guarantee(actor=world.users["county_a"], village_code=A1, year=2016, values=VALUES)
    update_guarantee(actor=world.users["reporter_a"], guarantee_id=row.pk, values=VALUES | {"service_funds": 1},
                     expected_version=1)
    with pytest.raises(Conflict):
        update_guarantee(actor=world.users["county_a"], guarantee_id=row.pk, values=VALUES, expected_version=1)


def test_a_leader_may_not_write(world) -> None:
    with pytest.raises(PermissionDenied):
        save_guarantee(actor=world.users["leader_a"], village_code=A1, year=2016, values=VALUES)


def test_standards_are_set_by_an_administrator_of_every_village(world) -> None:
    assert standard_values(2016)["cadre_monthly_pay"] == Decimal(2000)
    with pytest.raises(PermissionDenied):  # a county administrator ranks, but the standards are everyone's
        set_standards(actor=world.users["county_a"], year=2016, values={"cadre_monthly_pay": Decimal(2200)})
    with pytest.raises(PermissionDenied):
        set_standards(actor=world.users["township_a"], year=2016, values={"cadre_monthly_pay": Decimal(2200)})
    set_standards(actor=world.users["city"], year=2016, values={"cadre_monthly_pay": Decimal(2200)})
    assert standard_values(2016)["cadre_monthly_pay"] == Decimal(2200)
    assert standard_values(2017)["cadre_monthly_pay"] == Decimal(2000)
    set_standards(actor=world.users["city"], year=2016, values={"operating_funds": Decimal(45000)})  # the default
    assert AuditEntry.objects_unscoped.filter(object_type="guarantee_standard").count() == 1
    with pytest.raises(DomainError, match="未知的保障标准代码"):
        set_standards(actor=world.users["city"], year=2016, values={"nope": Decimal(1)})
    with pytest.raises(DomainError, match="标准值超出允许范围"):
        set_standards(actor=world.users["city"], year=2016, values={"home_area": Decimal(-5)})
    assert GuaranteeStandard.objects_unscoped.count() == 2
