"""Writes of 千村千人计划 talents and 项目书记: each allowed and refused, scope both ways, audit rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wuzaicun.audit.models import AuditEntry
from wuzaicun.cadres.models import ProjectSecretary, SecretaryProject, Talent, TalentVillage, TalentVisit
from wuzaicun.cadres.services.talents import (
    add_project,
    create_secretary,
    create_talent,
    delete_secretary,
    delete_talent,
    delete_visit,
    record_visit,
    remove_project,
    update_project,
    update_secretary,
    update_talent,
)
from wuzaicun.core.errors import DomainError, NotFound, PermissionDenied

A, TA, A1, A2 = "520302000000", "520302001000", "520302001001", "520302001002"
B, TB, B1 = "520303000000", "520303100000", "520303100201"


def talent_in_a(world, **kwargs):
    values = {"person_id": world.people[A1][0].pk, "year": 2016, "field": "agriculture", "visit_every": 30,
              "village_codes": [A1, A2]} | kwargs
    return create_talent(actor=world.users["county_a"], **values)


def test_a_talent_is_registered_by_the_persons_county_with_villages_and_audited(world) -> None:
    talent = talent_in_a(world)
    assert talent.region_id == A and talent.year == 2016
    assert set(TalentVillage.objects_unscoped.filter(talent=talent).values_list("village_id", flat=True)) == {A1, A2}
    entry = AuditEntry.objects_unscoped.get(object_type="talent")
    assert entry.action == "create" and "甲村" in entry.summary and entry.region_code == A


def test_a_talent_needs_villages_in_the_region_and_in_scope(world) -> None:
    with pytest.raises(DomainError, match="请至少选择一个服务村"):
        talent_in_a(world, village_codes=[])
    with pytest.raises(NotFound, match="服务村“520303100201”不存在或不在您的管辖范围内"):
        talent_in_a(world, village_codes=[B1])
    with pytest.raises(DomainError, match="不能作为人才的登记区划"):
        talent_in_a(world, region_code=A1, village_codes=[A2])
    township = create_talent(actor=world.users["township_a"], person_id=world.people[A2][0].pk, year=2016,
                             field="finance", visit_every=91, village_codes=[A2])
    assert township.region_id == TA  # a township registers its own: the county is not in its scope
    assert not Talent.objects_unscoped.filter(region_id=B).exists()


def test_a_person_out_of_scope_or_twice_a_year_is_refused(world) -> None:
    with pytest.raises(NotFound):
        talent_in_a(world, person_id=world.people[B1][0].pk)
    talent_in_a(world)
    with pytest.raises(DomainError, match="已登记为2016年千村千人计划人才"):
        talent_in_a(world, village_codes=[A1])
    assert Talent.objects_unscoped.count() == 1


def test_a_bad_field_or_plan_is_refused_and_a_reader_cannot_write(world) -> None:
    with pytest.raises(DomainError, match="专业领域"):
        talent_in_a(world, field="magic")
    with pytest.raises(DomainError, match="走访计划"):
        talent_in_a(world, visit_every=7)
    with pytest.raises(PermissionDenied):
        create_talent(actor=world.users["leader_a"], person_id=world.people[A1][0].pk, year=2016,
                      field="agriculture", visit_every=30, village_codes=[A1])


def test_visits_are_recorded_for_the_talents_villages_never_in_the_future(world) -> None:
    talent = talent_in_a(world, village_codes=[A1])
    county = world.users["county_a"]
    visit = record_visit(actor=county, talent_id=talent.pk, village_code=A1, date=dt.date(2016, 3, 1), content="茶园技术指导")
    assert visit.village_id == A1
    with pytest.raises(DomainError, match="晚于今天"):
        record_visit(actor=county, talent_id=talent.pk, village_code=A1,
                     date=timezone.localdate() + dt.timedelta(days=1), content="预约")
    with pytest.raises(DomainError, match="乙村不是"):
        record_visit(actor=county, talent_id=talent.pk, village_code=A2, date=dt.date(2016, 3, 1), content="x")
    with pytest.raises(DomainError, match="早于该人才的入选年度"):
        record_visit(actor=county, talent_id=talent.pk, village_code=A1, date=dt.date(2015, 3, 1), content="x")
    with pytest.raises(DomainError, match="请填写服务内容"):
        record_visit(actor=county, talent_id=talent.pk, village_code=A1, date=dt.date(2016, 3, 1), content="  ")
    with pytest.raises(NotFound):
        record_visit(actor=world.users["county_b"], talent_id=talent.pk, village_code=A1, date=dt.date(2016, 3, 1),
                     content="x")
    with pytest.raises(NotFound):
        delete_visit(actor=world.users["county_b"], visit_id=visit.pk)
    delete_visit(actor=county, visit_id=visit.pk)
    assert not TalentVisit.objects_unscoped.exists()


def test_updating_a_talent_keeps_visited_villages(world) -> None:
    talent = talent_in_a(world)
    county = world.users["county_a"]
    record_visit(actor=county, talent_id=talent.pk, village_code=A1, date=dt.date(2016, 3, 1), content="指导")
    with pytest.raises(DomainError, match="已走访过甲村，不能移除该服务村"):
        update_talent(actor=county, talent_id=talent.pk, field="finance", visit_every=60, village_codes=[A2])
    update_talent(actor=county, talent_id=talent.pk, field="finance", visit_every=60, village_codes=[A1])
    talent.refresh_from_db()
    assert (talent.field, talent.visit_every) == ("finance", 60)
    assert list(TalentVillage.objects_unscoped.filter(talent=talent).values_list("village_id", flat=True)) == [A1]
    assert AuditEntry.objects_unscoped.filter(object_type="talent", action="update").count() == 1
    with pytest.raises(NotFound):
        update_talent(actor=world.users["county_b"], talent_id=talent.pk, field="finance", visit_every=60,
                      village_codes=[A1])
    with pytest.raises(NotFound):
        delete_talent(actor=world.users["county_b"], talent_id=talent.pk)
    delete_talent(actor=county, talent_id=talent.pk)
    assert not Talent.objects_unscoped.exists() and not TalentVisit.objects_unscoped.exists()


def test_a_secretary_serves_a_township_or_village_with_projects_under_it(world) -> None:
    county = world.users["county_a"]
    secretary = create_secretary(actor=county, person_id=world.people[A1][1].pk, region_code=TA, year=2016)
    with pytest.raises(DomainError, match="已是2016年的项目书记"):
        create_secretary(actor=county, person_id=world.people[A1][1].pk, region_code=A1, year=2016)
    with pytest.raises(DomainError, match="项目书记的所在区划须为乡镇或村"):
        create_secretary(actor=county, person_id=world.people[A2][1].pk, region_code=A, year=2016)
    with pytest.raises(NotFound):
        create_secretary(actor=county, person_id=world.people[A2][1].pk, region_code=TB, year=2016)
    led = add_project(actor=county, secretary_id=secretary.pk, name="甲村茶叶加工厂", role="lead", village_code=A1,
                      amount=Decimal("1250000.50"))
    add_project(actor=county, secretary_id=secretary.pk, name="乙村蔬菜基地", role="drive", village_code=A2)
    assert SecretaryProject.objects_unscoped.get(pk=led.pk).amount == Decimal("1250000.50")
    with pytest.raises(NotFound):
        add_project(actor=county, secretary_id=secretary.pk, name="丙村项目", role="lead", village_code=B1)
    with pytest.raises(DomainError, match="方式"):
        add_project(actor=county, secretary_id=secretary.pk, name="x", role="other", village_code=A1)
    with pytest.raises(DomainError, match="投资额"):
        add_project(actor=county, secretary_id=secretary.pk, name="x", role="lead", village_code=A1, amount=Decimal(-1))
    with pytest.raises(DomainError, match="项目“乙村蔬菜基地”的实施村“乙村”不在项目书记所在的“甲村”内"):
        update_secretary(actor=county, secretary_id=secretary.pk, region_code=A1)
    update_project(actor=county, project_id=led.pk, name="甲村茶叶加工厂二期", role="drive", village_code=A1,
                   amount=Decimal(10))
    assert SecretaryProject.objects_unscoped.get(pk=led.pk).role == "drive"
    with pytest.raises(NotFound):
        remove_project(actor=world.users["county_b"], project_id=led.pk)
    remove_project(actor=county, project_id=led.pk)
    with pytest.raises(NotFound):
        delete_secretary(actor=world.users["county_b"], secretary_id=secretary.pk)
    delete_secretary(actor=county, secretary_id=secretary.pk)
    assert not ProjectSecretary.objects_unscoped.exists() and not SecretaryProject.objects_unscoped.exists()
    assert AuditEntry.objects_unscoped.filter(object_type__in=["project_secretary", "secretary_project"]).count() == 6


def test_the_same_person_registered_by_another_scope_is_refused_not_a_crash(world) -> None:
    """A township user cannot see the county's record of the person, yet the second one is refused cleanly."""
    create_secretary(actor=world.users["county_a"], person_id=world.people[A1][1].pk, region_code=TA, year=2016)
    with pytest.raises(DomainError, match="已是2016年的项目书记"):
        create_secretary(actor=world.users["township_a"],
                         person_id=world.people[A1][1].pk, region_code=A1, year=2016)
