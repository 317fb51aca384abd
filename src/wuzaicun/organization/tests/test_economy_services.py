"""Writes of the collective economy: entities and incomes, credit codes unique everywhere, scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import Conflict, DomainError, NotFound
from wuzaicun.core.identifiers import credit_code_check_char
from wuzaicun.organization.models import CollectiveEntity, EntityIncome
from wuzaicun.organization.services.economy import create_entity, delete_entity, set_income, update_entity

A1, B1 = "520302001001", "520303100201"


def code(serial: int) -> str:
    body = f"93{A1}{serial:03d}"
    return body + credit_code_check_char(body)


def test_an_entity_and_its_income_are_recorded_and_audited(world) -> None:
    county = world.users["county_a"]
    entity = create_entity(actor=county, village_code=A1, name="甲村茶叶专业合作社", kind="cooperative",
                           credit_code=code(1).lower())
    assert entity.credit_code == code(1)
    set_income(actor=county, entity_id=entity.pk, year=2016, operating_income=Decimal("120000.5"),
               collective_income=Decimal(30000))
    set_income(actor=county, entity_id=entity.pk, year=2016, operating_income=Decimal("120000.5"),
               collective_income=Decimal(35000))
    income = EntityIncome.objects_unscoped.get()
    assert income.collective_income == Decimal("35000.00")
    assert list(AuditEntry.objects_unscoped.filter(object_type__in=["collective_entity", "entity_income"])
                .values_list("action", flat=True).order_by("id")) == ["create", "create", "update"]


def test_a_credit_code_registered_elsewhere_is_refused_without_saying_where(world) -> None:
    create_entity(actor=world.users["county_b"], village_code=B1, name="丙村合作社", kind="cooperative",
                  credit_code=code(2))
    with pytest.raises(DomainError) as refused:
        create_entity(actor=world.users["county_a"], village_code=A1, name="甲村合作社", kind="cooperative",
                      credit_code=code(2))
    assert refused.value.message == "该统一社会信用代码已被其他实体登记" and "丙村" not in refused.value.message


def test_bad_fields_are_refused_naming_them(world) -> None:
    bad = code(3)[:-1] + ("0" if code(3)[-1] != "0" else "1")
    with pytest.raises(DomainError, match=r"统一社会信用代码.*校验码错误"):
        create_entity(actor=world.users["county_a"], village_code=A1, name="甲村合作社", kind="cooperative",
                      credit_code=bad)
    with pytest.raises(DomainError, match="类型应为"):
        create_entity(actor=world.users["county_a"], village_code=A1, name="甲村合作社", kind="bank")
    create_entity(actor=world.users["county_a"], village_code=A1, name="甲村合作社", kind="other")
    with pytest.raises(DomainError, match="已登记名为“甲村合作社”的实体"):
        create_entity(actor=world.users["county_a"], village_code=A1, name="甲村合作社", kind="other")
    assert CollectiveEntity.objects_unscoped.count() == 1


def test_out_of_scope_entities_answer_as_missing(world) -> None:
    other = create_entity(actor=world.users["county_b"], village_code=B1, name="丙村合作社", kind="cooperative")
    for call in (lambda: update_entity(actor=world.users["county_a"], entity_id=other.pk, name="x", kind="other"),
                 lambda: delete_entity(actor=world.users["county_a"], entity_id=other.pk),
                 lambda: set_income(actor=world.users["county_a"], entity_id=other.pk, year=2016,
                                    operating_income=1, collective_income=1),
                 lambda: create_entity(actor=world.users["county_a"], village_code=B1, name="y", kind="other")):
        with pytest.raises(NotFound):
            call()
    assert CollectiveEntity.objects_unscoped.get().name == "丙村合作社"


def test_a_stale_entity_update_is_a_conflict(world) -> None:
    entity = create_entity(actor=world.users["county_a"], village_code=A1, name="甲村合作社", kind="other")
    update_entity(actor=world.users["county_a"], entity_id=entity.pk, name="甲村股份公司", kind="joint_stock",
                  expected_version=1)
    with pytest.raises(Conflict):
        update_entity(actor=world.users["county_a"], entity_id=entity.pk, name="z", kind="other", expected_version=1)
