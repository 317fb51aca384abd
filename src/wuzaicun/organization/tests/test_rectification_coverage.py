"""The coverage rule `weak_org_rectification_overdue` and the indicator `rectification_status`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuzaicun.core.indicators import indicator
from wuzaicun.organization.models.rectification import CaseStatus, RectificationCase
from wuzaicun.responsibility.coverage import coverage_report, gap_rows

from .test_rectification_helpers import A1, A2, B1, COUNTY_B, YEAR, confirmed_case

pytestmark = pytest.mark.django_db


def test_a_case_past_its_deadline_and_not_transformed_is_a_gap_linking_to_its_page(world, year_open):
    late = confirmed_case(world)
    on_time = confirmed_case(world, region=COUNTY_B, village=B1)
    RectificationCase.objects_unscoped.filter(pk=late.pk).update(deadline=dt.date(YEAR, 6, 30))
    RectificationCase.objects_unscoped.filter(pk=on_time.pk).update(deadline=dt.date(2100, 6, 30))
    report = coverage_report(world.users["city"], year=YEAR)
    assert report.summary["weak_org_rectification_overdue"] == {"checked": 2, "gaps": 1}
    gap = next(g for g in report.gaps if g.rule == "weak_org_rectification_overdue")
    assert (gap.subject_type, gap.subject_id, gap.region_code) == ("rectification_case", str(late.pk), A1)
    assert "已过时限" in gap.message and "整顿中" in gap.message
    row = gap_rows([gap], year=YEAR)[0]
    assert row["url"] == f"/organization/rectification/cases/{late.pk}/" and row["subject"] == "整顿案例"
    # the other county sees neither the gap nor the case; a transformed case is no gap
    assert coverage_report(world.users["county_b"], year=YEAR).summary["weak_org_rectification_overdue"] == {
        "checked": 1, "gaps": 0}
    RectificationCase.objects_unscoped.filter(pk=late.pk).update(status=CaseStatus.TRANSFORMED)
    assert coverage_report(world.users["city"], year=YEAR).summary["weak_org_rectification_overdue"]["gaps"] == 0


def test_the_rule_asks_two_queries_whatever_the_number_of_cases(world, year_open):
    confirmed_case(world)
    from wuzaicun.organization.coverage.rectification import SPEC, check
    from wuzaicun.responsibility.rules import EffectiveRule

    rule = EffectiveRule(SPEC, True, None)
    with CaptureQueriesContext(connection) as one:
        checked, gaps = check(world.users["city"], YEAR, None, rule, dt.date(YEAR, 3, 1))
        list(gaps)
    confirmed_case(world, region=COUNTY_B, village=B1)
    with CaptureQueriesContext(connection) as two:
        checked, gaps = check(world.users["city"], YEAR, None, rule, dt.date(YEAR, 3, 1))
        list(gaps)
    assert checked == 2 and len(one.captured_queries) == len(two.captured_queries) == 2


def test_the_status_indicator_scores_villages_and_townships(world):
    case = confirmed_case(world)
    provider = indicator("rectification_status")
    assert provider is not None and provider.owner == "organization"
    RectificationCase.objects_unscoped.filter(pk=case.pk).update(deadline=dt.date(2100, 1, 1))
    scores = provider.compute(YEAR, [A1, A2, B1], 5)
    assert scores == {A1: Decimal(50), A2: Decimal(100), B1: Decimal(100)}
    RectificationCase.objects_unscoped.filter(pk=case.pk).update(status=CaseStatus.SUBMITTED)
    assert provider.compute(YEAR, [A1], 5) == {A1: Decimal(70)}
    RectificationCase.objects_unscoped.filter(pk=case.pk).update(deadline=dt.date(YEAR, 1, 1))
    assert provider.compute(YEAR, [A1], 5) == {A1: Decimal(20)}
    assert provider.compute(YEAR, ["520302001000", "520303100000"], 4) == {"520302001000": Decimal(20),
                                                                        "520303100000": Decimal(100)}
    RectificationCase.objects_unscoped.filter(pk=case.pk).update(status=CaseStatus.TRANSFORMED)
    assert provider.compute(YEAR, [A1], 5) == {A1: Decimal(100)}
