"""资金使用决策 in the coverage report (`decision_unpublished`, `decision_paid_early`), the `decisions_published`
indicator for villages and townships, and the synth (every state, both flows, a county equal to the city's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from wuzaicun.core.indicators import indicator
from wuzaicun.core.operator import OPERATOR
from wuzaicun.resources.models import DecisionPayment, DecisionStep, FundDecision
from wuzaicun.resources.services.decisions import StepInput, record_step
from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.responsibility.services import update_rule
from wuzaicun.testing.lists import open_test_year

from .test_decisions import A1, propose, run_to

A2 = "520302001002"


def _gaps(rule: str, region: str = "520302000000") -> tuple[list[Any], dict[str, int] | None]:
    report = coverage_report(OPERATOR, year=2016, region=region)
    return [g for g in report.gaps if g.rule == rule], report.summary.get(rule)


def test_a_resolution_not_published_and_a_result_not_published_are_gaps(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    open_test_year()
    resolved = run_to(world, propose(world, title="已决议未公开"), "resolve")
    implemented = run_to(world, propose(world, title="已实施未公开结果"), "implement")
    run_to(world, propose(world, title="全部公开"), "result")
    found, summary = _gaps("decision_unpublished")
    assert {g.subject_id: g.message for g in found} == {
        str(resolved.pk): "甲村“已决议未公开”已作出决议，尚未公开决议",
        str(implemented.pk): "甲村“已实施未公开结果”已实施，年底前未公开实施结果"}
    assert summary == {"checked": 3, "gaps": 2}
    record_step(actor=world.users["reporter_a"], decision_id=resolved.pk, step="publish",
                data=StepInput(dt.date(2016, 5, 3), publicity_days=7))
    assert len(_gaps("decision_unpublished")[0]) == 1
    assert _gaps("decision_unpublished", region="520303000000") == ([], {"checked": 0, "gaps": 0})


def test_a_payment_before_the_publicity_has_run_is_a_gap_by_the_years_days(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    year = open_test_year()
    decision = run_to(world, propose(world), "publish")  # published 2016-05-03 for 7 days
    DecisionPayment.objects_unscoped.create(decision=decision, paid_on=dt.date(2016, 5, 11), amount=Decimal(10),
                                            payee="施工队")  # as an import would bring it
    assert _gaps("decision_paid_early") == ([], {"checked": 1, "gaps": 0})
    update_rule(actor=OPERATOR, year=year, code="decision_paid_early", enabled=True, threshold=10)
    found, _ = _gaps("decision_paid_early")
    assert [g.message for g in found] == [
        "甲村“修建通组路”于2016-05-11支付，决议公开自2016-05-03起须满10天（2016-05-13起方可支付）"]
    unpublished = run_to(world, propose(world, title="未公开即支付"), "resolve")
    DecisionPayment.objects_unscoped.create(decision=unpublished, paid_on=dt.date(2016, 6, 1), amount=Decimal(10),
                                            payee="施工队")
    assert any("决议未公开即于2016-06-01支付" in g.message for g in _gaps("decision_paid_early")[0])


def test_the_indicator_scores_villages_and_townships(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    open_test_year()
    run_to(world, propose(world, title="全部公开"), "result")
    run_to(world, propose(world, title="未公开"), "resolve")
    run_to(world, propose(world, title="进行中"), "party")  # not adopted yet: not counted
    compute = indicator("decisions_published")
    assert compute is not None
    assert compute.compute(2016, [A1, A2], 5) == {A1: Decimal("50.00"), A2: Decimal(100)}
    assert compute.compute(2016, ["520302001000"], 4) == {"520302001000": Decimal("50.00")}


@pytest.mark.django_db
def test_the_synth_draws_every_state_and_a_county_equals_the_citys() -> None:
    from wuzaicun.core.synth import new_context
    from wuzaicun.regions.services import load_shipped_divisions
    from wuzaicun.regions.synth import load_regions
    from wuzaicun.resources.synth.decisions import generate_decisions

    load_shipped_divisions(actor=None, prefix="5203")
    ctx = new_context(scale="city", seed=2016, year=2016)
    load_regions(ctx)
    generate_decisions(ctx)
    decisions = FundDecision.objects_unscoped.filter(year=2016)
    assert set(decisions.values_list("status", flat=True)) == {"in_progress", "rejected", "done"}
    assert set(decisions.values_list("flow", flat=True)) == {"four_two", "direct"}
    assert set(decisions.values_list("fund_kind", flat=True)) == {"leftover", "donation"}
    assert {"propose", "township", "consult", "party", "resolve", "direct", "publish", "implement", "result"} <= set(
        decisions.values_list("step", flat=True))
    assert DecisionStep.objects_unscoped.count() > decisions.count() * 3
    report = coverage_report(OPERATOR, year=2016)
    assert report.summary["decision_unpublished"]["gaps"] > 0 and report.summary["decision_paid_early"]["gaps"] > 0
    county = "520302"
    before = sorted(decisions.filter(village__code__within=county).values_list("village_id", "title", "amount", "step"))
    DecisionPayment.objects_unscoped.filter(decision__village__code__within=county).delete()
    FundDecision.objects_unscoped.filter(village__code__within=county).delete()
    again = new_context(scale="city", seed=2016, year=2016, prefix=county)
    load_regions(again)
    generate_decisions(again)
    after = sorted(FundDecision.objects_unscoped.filter(village__code__within=county)
                   .values_list("village_id", "title", "amount", "step"))
    assert after == before and len(after) > 10
