"""Coverage codes and indicators of guarantees and the collective economy: planted gaps found, complete passes,
scope both ways, one query per rule, the `coverage --json` shape and the standards command."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from wuzaicun.core.indicators import indicator
from wuzaicun.organization.models import CollectiveEntity, EntityIncome, Guarantee
from wuzaicun.responsibility.coverage import CHECKS, SUBJECTS, coverage_report, gap_rows

A1, A2, B1, B2 = "520302001001", "520302001002", "520303100201", "520303100202"
TOWNSHIP_A = "520302001000"
FULL = {"cadre_monthly_pay": Decimal(2000), "operating_funds": Decimal(45000), "service_funds": Decimal(50000),
        "activity_funds_per_member": Decimal("100.5"), "training_funds_per_cadre": Decimal(501)}
CODES = ("village_collective_entity", "village_shell", "village_guarantee_below_standard")


def _complete(world, code: str, income: Decimal = Decimal(60000)) -> None:
    Guarantee.objects_unscoped.create(village=world.regions[code], year=2016, **FULL, home_area=Decimal(301))
    entity = CollectiveEntity.objects_unscoped.create(village=world.regions[code], name=f"{code}社", kind="cooperative")
    EntityIncome.objects_unscoped.create(entity=entity, year=2016, collective_income=income)


def _gaps(user, region=None) -> dict[str, list[tuple[str, str]]]:
    report = coverage_report(user, year=2016, region=region)
    return {code: [(g.subject_id, g.message) for g in report.gaps if g.rule == code] for code in CODES}


def test_the_three_codes_are_registered_with_subject_links() -> None:
    assert set(CODES) <= set(CHECKS) and {"village_guarantee", "village_economy"} <= set(SUBJECTS)


def test_complete_villages_pass_and_planted_gaps_are_found(world) -> None:
    for code in (A1, A2, B1, B2):
        _complete(world, code)
    report = coverage_report(world.users["city"], year=2016)
    assert all(report.summary[c] == {"checked": 4, "gaps": 0} for c in CODES)
    Guarantee.objects_unscoped.filter(village_id=A2).update(activity_funds_per_member=Decimal(100), service_funds=None)
    CollectiveEntity.objects_unscoped.filter(village_id=B1).delete()
    EntityIncome.objects_unscoped.filter(entity__village_id=B2).update(collective_income=0)
    Guarantee.objects_unscoped.filter(village_id=B2).delete()
    gaps = _gaps(world.users["city"])
    assert gaps["village_collective_entity"] == [(B1, "丙村没有村集体经济实体")]
    assert gaps["village_shell"] == [(B1, "丙村是2016年空壳村：没有村集体经济实体"),
                                     (B2, "丁村是2016年空壳村：当年没有集体收入")]
    assert gaps["village_guarantee_below_standard"] == [
        (A2, "乙村2016年组织保障未达标：未填报服务群众专项经费；党员人均活动经费100元/人·年，未超过标准100元/人·年"),
        (B2, "丁村未填报2016年组织保障")]
    # scope, both ways: county A sees only its own gaps, county B only its own
    mine = _gaps(world.users["county_a"])
    assert [s for c in CODES for s, _ in mine[c]] == [A2]
    theirs = _gaps(world.users["county_b"])
    assert sorted(s for c in CODES for s, _ in theirs[c]) == [B1, B1, B2, B2]
    rows = gap_rows(coverage_report(world.users["county_a"], year=2016).gaps, year=2016)
    assert any(r["url"] == f"/organization/guarantees/?year=2016&region={A2}" for r in rows)


def test_each_rule_is_a_constant_number_of_queries(world, django_assert_max_num_queries) -> None:
    _complete(world, A1)
    with django_assert_max_num_queries(80) as few:
        coverage_report(world.users["city"], year=2016)
    for code in (A2, B1, B2):
        _complete(world, code, income=Decimal(0))
        Guarantee.objects_unscoped.filter(village_id=code).update(cadre_monthly_pay=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        report = coverage_report(world.users["city"], year=2016)
    assert report.summary["village_shell"]["gaps"] == 3


def test_the_coverage_command_prints_the_codes(world) -> None:
    _complete(world, A1)
    out = io.StringIO()
    call_command("coverage", "--year", "2016", "--json", stdout=out, stderr=io.StringIO())
    document = json.loads(out.getvalue())
    assert document["summary"]["village_shell"] == {"checked": 4, "gaps": 3}
    assert {"rule": "village_collective_entity", "subject_type": "village_economy", "subject_id": A2,
            "region_code": A2, "message": "乙村没有村集体经济实体"} in document["gaps"]


def test_indicators_for_villages_and_townships(world, settings) -> None:
    _complete(world, A1, income=Decimal(25000))
    Guarantee.objects_unscoped.create(village=world.regions[A2], year=2016,
                                      **(FULL | {"cadre_monthly_pay": Decimal(10)}))
    met = indicator("guarantees_met")
    assert met is not None
    assert met.compute(2016, [A1, A2, B1], 5) == {A1: Decimal(100), A2: Decimal(80), B1: Decimal(0)}
    assert met.compute(2016, [TOWNSHIP_A], 4) == {TOWNSHIP_A: (Decimal(100) * 10 / 11).quantize(Decimal("0.01"))}
    income = indicator("collective_income")
    assert income is not None
    assert income.compute(2016, [A1, A2], 5) == {A1: Decimal("50.00"), A2: Decimal(0)}
    assert income.compute(2016, [TOWNSHIP_A], 4) == {TOWNSHIP_A: Decimal("25.00")}
    settings.COLLECTIVE_INCOME_FULL_SCORE = 25000
    assert income.compute(2016, [A1], 5) == {A1: Decimal(100)}


@pytest.mark.django_db
def test_the_standards_command_reads_and_sets(world) -> None:
    out = io.StringIO()
    call_command("guarantees", "standards", "--year", "2016", "--set", "home_area=320", "--json", stdout=out,
                 stderr=io.StringIO())
    rows = {r["code"]: r for r in json.loads(out.getvalue())["standards"]}
    assert rows["home_area"]["value"] == "320.00" and rows["home_area"]["configured"] is True
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="须由管辖全部地区的管理员设置"):
        call_command("guarantees", "standards", "--year", "2016", "--set", "home_area=1", "--as", "county_a",
                     stderr=io.StringIO())
    with pytest.raises(CommandError, match="未知的保障标准代码"):
        call_command("guarantees", "standards", "--set", "nope=1", stderr=io.StringIO())
