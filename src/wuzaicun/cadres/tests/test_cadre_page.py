"""The cadre's page: every section over the years, in scope (404 otherwise), masked ID, bounded queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wuzaicun.cadres.models import (
    Attendance,
    CadreGrade,
    CadreIndicator,
    CadreOutcome,
    Dispatch,
    Placement,
    ProjectSecretary,
    SecretaryProject,
    Talent,
    TalentVillage,
    TrainingSession,
    WorkingGroup,
)
from wuzaicun.registry.models import Unit
from wuzaicun.responsibility.models import Assignment, LedgerLine, Visit
from wuzaicun.verification.models import Finding, SpotCheckPick, SpotCheckPlan

A, TA, A1, A2, B1 = "520302000000", "520302001000", "520302001001", "520302001002", "520303100201"


def _plan(world, status: str, quarter: int) -> SpotCheckPlan:
    return SpotCheckPlan.objects_unscoped.create(
        year=2016, quarter=quarter, region=world.regions[A], rate=Decimal("0.1"), status=status, seed_sealed=b"x",
        seed_commitment="0" * 64, population_hash="0" * 64, population_size=10, pick_count=1)


@pytest.fixture
def cadre(world):
    """A 第一书记 of 甲村 with a record in every section, over 2016 and 2017."""
    person = world.people[A1][0]
    r = world.regions
    unit = Unit.objects_unscoped.create(name="红花岗区农业局", region=r[A])
    group = WorkingGroup.objects_unscoped.create(village=r[A1], unit=unit, leader=person, start=dt.date(2016, 3, 1))
    Dispatch.objects_unscoped.create(person=person, kind="first_secretary", unit=unit, village=r[A1], group=group,
                                     start=dt.date(2016, 3, 1), end=dt.date(2017, 2, 28))
    Dispatch.objects_unscoped.create(person=person, kind="resident", unit=unit, village=r[A2], start=dt.date(2017, 3, 1))
    Placement.objects_unscoped.create(person=person, kind="reserve", region=r[TA], post="副镇长", start=dt.date(2017, 6, 1))
    talent = Talent.objects_unscoped.create(person=person, region=r[A], field="finance", year=2017, visit_every=60)
    TalentVillage.objects_unscoped.create(talent=talent, village=r[A2])
    secretary = ProjectSecretary.objects_unscoped.create(person=person, region=r[A1], year=2016)
    SecretaryProject.objects_unscoped.create(secretary=secretary, role="lead", name="茶厂", village=r[A1])
    session = TrainingSession.objects_unscoped.create(
        name="第一书记示范培训班", level="city", region=r[A], organiser="市委组织部", topic="产业扶贫",
        start=dt.date(2016, 5, 10), end=dt.date(2016, 5, 12), year=2016, target_groups=["dispatched"])
    Attendance.objects_unscoped.create(session=session, person=person)
    entry = Assignment.objects_unscoped.create(year=2016, kind="stationed", person=person, village=r[A1],
                                               stationed_post="第一书记", duties=["宣传政策"])
    LedgerLine.objects_unscoped.create(assignment=entry, year=2016, commitment="发展茶叶产业200亩", status="locked")
    Visit.objects_unscoped.create(person=person, household=world.households[A1][0], visited_on=dt.date(2016, 4, 2),
                                  activity="宣讲政策")
    closed = _plan(world, "closed", 3)
    pick = SpotCheckPick.objects_unscoped.create(plan=closed, assignment=entry, village_id=entry.village_id, stratum="s")
    Finding.objects_unscoped.create(pick=pick, visited_on=dt.date(2016, 8, 9), result="not_in_place", notes="台账与实际不符")
    entry2 = Assignment.objects_unscoped.create(year=2016, kind="helper", person=person, village=r[A1])
    secret = _plan(world, "drawn", 4)
    pick = SpotCheckPick.objects_unscoped.create(plan=secret, assignment=entry2, village_id=entry2.village_id, stratum="s")
    Finding.objects_unscoped.create(pick=pick, visited_on=dt.date(2016, 11, 9), result="in_place", notes="保密批次的发现")
    CadreIndicator.objects_unscoped.create(year=2016, role="first_secretary", code="ledger", title="台账兑现率",
                                           dimension="performance", weight=Decimal(40), provider="ledger")
    grade = CadreGrade.objects_unscoped.create(year=2016, role="first_secretary", person=person, region=r[A1],
                                               scores={"ledger": "87.50"}, missing=["survey"], total=None,
                                               grade="", status="draft")
    CadreOutcome.objects_unscoped.create(grade=grade, kind="promotion", reason="连续两年优秀")
    return person


def test_every_section_shows_the_years(client_for, cadre) -> None:
    page = client_for("county_a").get(f"/cadres/people/{cadre.pk}/").content.decode()
    assert "2017年、2016年" in page
    sections = {name: page.split(f'id="cadre-{name}"')[1].split("</table>")[0] for name in (
        "dispatches", "groups", "placements", "talents", "trainings", "ledger", "visits", "findings", "grades",
        "outcomes")}
    assert "第一书记" in sections["dispatches"] and "驻村干部" in sections["dispatches"] and "在岗" in sections["dispatches"]
    assert "红花岗区农业局" in sections["groups"] and "2016-03-01" in sections["groups"]
    assert "后备干部" in sections["placements"]
    assert "千村千人计划人才" in sections["talents"] and "领办 1 个" in sections["talents"]
    assert "第一书记示范培训班" in sections["trainings"] and "市级" in sections["trainings"]
    assert "发展茶叶产业200亩" in sections["ledger"] and "驻村" in sections["ledger"]
    assert "宣讲政策" in sections["visits"] and "2016-04-02" in sections["visits"]
    assert "台账与实际不符" in sections["findings"] and "不到位" in sections["findings"]
    assert "保密批次的发现" not in page  # a secret sample is never shown
    assert "台账兑现率 87.50" in sections["grades"] and "数据不全" in sections["grades"]
    assert "推荐进入乡镇领导班子" in sections["outcomes"] and "待审核" in sections["outcomes"]
    assert cadre.resident_id_masked in page


def test_empty_sections_say_so_in_chinese(client_for, world) -> None:
    page = client_for("county_a").get(f"/cadres/people/{world.people[A2][1].pk}/").content.decode()
    for empty in ("没有选派记录", "没有参加驻村工作组", "没有人才或项目书记记录", "没有参训记录", "没有台账记录",
                  "没有走访记录", "没有抽查发现", "没有考核记录", "没有结果运用记录"):
        assert empty in page


def test_a_person_out_of_scope_is_not_found(client_for, cadre, world) -> None:
    assert client_for("county_b").get(f"/cadres/people/{cadre.pk}/").status_code == 404
    assert client_for("county_a").get(f"/cadres/people/{world.people[B1][0].pk}/").status_code == 404
    assert client_for("county_a").get("/cadres/people/99999999/").status_code == 404


def test_the_page_runs_in_a_fixed_number_of_queries(client_for, cadre, world, django_assert_max_num_queries) -> None:
    client = client_for("city")
    with django_assert_max_num_queries(22):
        client.get(f"/cadres/people/{cadre.pk}/")
    r = world.regions
    unit = Unit.objects_unscoped.get()
    for year in range(2018, 2024):
        Dispatch.objects_unscoped.create(person=cadre, kind="resident", unit=unit, village=r[A1],
                                         start=dt.date(year, 3, 1), end=dt.date(year, 12, 31))
        ProjectSecretary.objects_unscoped.create(person=cadre, region=r[TA], year=year)
        Visit.objects_unscoped.create(person=cadre, household=world.households[A1][1], visited_on=dt.date(year, 4, 2),
                                      activity="走访")
    with django_assert_max_num_queries(22):
        response = client.get(f"/cadres/people/{cadre.pk}/")
    assert "2023年" in response.content.decode()
