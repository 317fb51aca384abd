"""The pure rules of 倒排整顿: composite, missing values, the tie-break, weights, a case's readiness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wuzaicun.organization.rules.rectification import (
    CaseFacts,
    Weight,
    adjustment_problem,
    composite,
    count_problem,
    default_weights,
    is_overdue,
    parse_weights,
    rank_villages,
    status_points,
    submit_problems,
    weight_problems,
)

D = Decimal
W = [Weight("democratic_score", D(20)), Weight("previous_assessment", D(30)), Weight("ledger_fulfilment", D(50))]


@pytest.mark.parametrize(("values", "expected"), [
    ({"democratic_score": D(100), "previous_assessment": D(100), "ledger_fulfilment": D(100)}, D("100.00")),
    ({"democratic_score": D(50), "previous_assessment": D(80), "ledger_fulfilment": D(60)}, D("64.00")),
    # a missing value is left out and the other weights renormalised: (20×50 + 50×60) / 70
    ({"democratic_score": D(50), "previous_assessment": None, "ledger_fulfilment": D(60)}, D("57.14")),
    ({"democratic_score": None, "previous_assessment": None, "ledger_fulfilment": None}, D("100.00")),
])
def test_the_composite_is_the_weighted_mean_of_the_known_values(values, expected):
    assert composite(values, W) == expected


def test_a_disabled_or_zero_weight_indicator_does_not_count():
    values = {"democratic_score": D(0), "previous_assessment": D(100), "ledger_fulfilment": D(100)}
    assert composite(values, [Weight("democratic_score", D(20), enabled=False), *W[1:]]) == D(100)
    assert composite(values, [Weight("democratic_score", D(0)), *W[1:]]) == D(100)


def test_ties_go_to_the_lower_democratic_score_then_the_lower_previous_assessment_then_the_code():
    weights = [Weight("ledger_fulfilment", D(100)), Weight("democratic_score", D(0)), Weight("previous_assessment", D(0))]
    values = {
        "520302001004": {"ledger_fulfilment": D(50), "democratic_score": D(70), "previous_assessment": D(60)},
        "520302001003": {"ledger_fulfilment": D(50), "democratic_score": D(70), "previous_assessment": D(60)},
        "520302001002": {"ledger_fulfilment": D(50), "democratic_score": D(70), "previous_assessment": D(50)},
        "520302001001": {"ledger_fulfilment": D(50), "democratic_score": D(80), "previous_assessment": D(10)},
        "520302001005": {"ledger_fulfilment": D(40), "democratic_score": D(99), "previous_assessment": D(99)},
        "520302001006": {"ledger_fulfilment": D(50), "democratic_score": None, "previous_assessment": D(10)},
    }
    ranked = rank_villages(values, weights)
    assert [r.code for r in ranked] == ["520302001005", "520302001002", "520302001003", "520302001004",
                                        "520302001001", "520302001006"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(("weights", "fails"), [
    (default_weights(), False),
    ([Weight("democratic_score", D(-1))], True),
    ([Weight("democratic_score", D(101))], True),
    ([Weight("democratic_score", D("1.005"))], True),
    ([Weight("nonsense", D(10))], True),
    ([Weight("democratic_score", D(10), enabled=False)], True),  # nothing enabled
    ([Weight("democratic_score", D(0))], True),
])
def test_weight_problems(weights, fails):
    assert bool(weight_problems(weights)) is fails


def test_typed_weights_that_are_not_numbers_are_named():
    weights, problems = parse_weights([("democratic_score", "abc", True), ("ledger_fulfilment", "12.5", False)])
    assert weights == [Weight("ledger_fulfilment", D("12.5"), False)]
    assert problems == [("民主评议", "民主评议的权重“abc”不是数字")]


def test_count_and_adjustment_checks():
    assert count_problem(0, 10) == "倒排数量须为正整数"
    assert "超过" in (count_problem(11, 10) or "")
    assert count_problem(10, 10) is None
    assert adjustment_problem("  ") == "调整倒排名单须填写理由"
    assert adjustment_problem("x" * 301) is not None
    assert adjustment_problem("群众反映强烈") is None


def test_a_case_may_be_submitted_only_complete_and_with_evidence():
    complete = CaseFacts("问题", "方案", "措施", True, dt.date(2016, 12, 31), 1)
    assert submit_problems(complete) == []
    planted = CaseFacts("问题", "", "措施", False, None, 0)
    assert submit_problems(planted) == ["请先填写整顿方案、责任县领导、整顿时限", "提交验收前须至少上传一份整顿进展的佐证材料"]


@pytest.mark.parametrize(("status", "overdue", "points"), [
    (None, False, D(100)), ("transformed", False, D(100)), ("submitted", False, D(70)),
    ("in_progress", False, D(50)), ("in_progress", True, D(20)), ("submitted", True, D(20)),
])
def test_status_points(status, overdue, points):
    assert status_points(status=status, overdue=overdue) == points


def test_overdue_means_past_the_deadline_and_not_transformed():
    day = dt.date(2016, 12, 1)
    assert is_overdue(status="in_progress", deadline=dt.date(2016, 11, 30), today=day)
    assert not is_overdue(status="transformed", deadline=dt.date(2016, 11, 30), today=day)
    assert not is_overdue(status="in_progress", deadline=dt.date(2016, 12, 1), today=day)
    assert not is_overdue(status="in_progress", deadline=None, today=day)
