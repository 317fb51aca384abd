"""三个全覆盖 in the coverage report: each code's hit and miss, on both sides of the scope, one query a rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuzaicun.core.operator import OPERATOR
from wuzaicun.regions.models import VillageYear
from wuzaicun.responsibility.coverage import CHECKS, coverage_report, gap_rows
from wuzaicun.responsibility.rules import RULES_BY_CODE, EffectiveRule

from .test_dispatch_world import A1, A2, B1, B2, D, dispatch, group, units

CODES = ("village_group_poor", "village_group_weak", "village_group_ethnic", "village_first_secretary")


def _gaps(user, code, *, year=2016, region=None):
    checked, gaps = CHECKS[code](user, year, region, EffectiveRule(RULES_BY_CODE[code], True, None), dt.date(year, 3, 1))
    return checked, [g.subject_id for g in gaps]


@pytest.fixture
def facts(world):
    """甲村 poor and weak, 乙村 ethnic, 丙村 poor, 丁村 weak (2016)."""
    VillageYear.objects_unscoped.filter(village_id=A1).update(is_weak_organisation=True)
    VillageYear.objects_unscoped.filter(village_id=A2).update(is_ethnic_minority=True)
    VillageYear.objects_unscoped.filter(village_id=B2).update(is_weak_organisation=True)
    return units(world)


def test_the_four_rules_are_registered() -> None:
    assert set(CODES) <= set(CHECKS) and all(RULES_BY_CODE[c].title for c in CODES)


def test_villages_without_a_group_or_secretary_are_gaps(world, facts) -> None:
    assert _gaps(OPERATOR, "village_group_poor") == (2, [A1, B1])
    assert _gaps(OPERATOR, "village_group_weak") == (2, [A1, B2])
    assert _gaps(OPERATOR, "village_group_ethnic") == (1, [A2])
    assert _gaps(OPERATOR, "village_first_secretary") == (3, [A1, B1, B2])


def test_an_active_group_and_secretary_close_the_gaps(world, facts) -> None:
    for village in (A1, A2, B1, B2):
        group(world, facts["a"], village)
    dispatch(world, facts["a"], A1)
    assert _gaps(OPERATOR, "village_group_poor") == (2, [])
    assert _gaps(OPERATOR, "village_group_weak") == (2, [])
    assert _gaps(OPERATOR, "village_group_ethnic") == (1, [])
    assert _gaps(OPERATOR, "village_first_secretary") == (3, [B1, B2])


def test_only_what_is_active_on_the_checked_day_counts(world, facts) -> None:
    group(world, facts["a"], A1, end=D(2016, 12, 30))  # gone before the year's last day
    group(world, facts["a"], B1, start=D(2017, 1, 1))  # not yet there
    dispatch(world, facts["a"], A1, kind="resident")  # a 驻村干部 is not a 第一书记
    assert _gaps(OPERATOR, "village_group_poor")[1] == [A1, B1]
    assert A1 in _gaps(OPERATOR, "village_first_secretary")[1]
    group(world, facts["a"], A1, start=D(2016, 12, 31))
    assert _gaps(OPERATOR, "village_group_poor")[1] == [B1]


def test_an_exited_poor_village_is_not_checked(world, facts) -> None:
    VillageYear.objects_unscoped.filter(village_id=B1).update(exit_year=2016)
    assert _gaps(OPERATOR, "village_group_poor") == (1, [A1])


def test_each_county_sees_its_own_villages(world, facts) -> None:
    group(world, facts["b"], B1)
    a, b = world.users["county_a"], world.users["county_b"]
    assert _gaps(a, "village_group_poor") == (1, [A1])
    assert _gaps(b, "village_group_poor") == (1, [])
    assert _gaps(a, "village_first_secretary") == (1, [A1])
    assert _gaps(b, "village_first_secretary") == (2, [B1, B2])
    assert _gaps(OPERATOR, "village_group_weak", region=B2) == (1, [B2])


def test_one_query_a_rule_and_gaps_link_to_a_page_that_fixes_them(world, facts) -> None:
    for code in CODES:
        with CaptureQueriesContext(connection) as queries:
            _gaps(OPERATOR, code)
        assert len(queries.captured_queries) == 1, code
    report = coverage_report(world.users["county_a"], year=2016)
    mine = [g for g in report.gaps if g.rule in CODES]
    assert {g.message for g in mine} >= {"贫困村“甲村”在2016-12-31没有在岗的驻村工作组",
                                         "软弱涣散村“甲村”在2016-12-31没有在岗的驻村工作组",
                                         "少数民族村“乙村”在2016-12-31没有在岗的驻村工作组",
                                         "贫困村“甲村”在2016-12-31没有在岗的第一书记"}
    rows = gap_rows(mine, year=2016)
    assert {r["url"] for r in rows} == {f"/cadres/groups/new/?village={A1}", f"/cadres/groups/new/?village={A2}",
                                        f"/cadres/dispatches/new/?village={A1}"}
