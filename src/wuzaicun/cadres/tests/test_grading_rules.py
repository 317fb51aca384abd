"""六定一化考核 rules: weights sum to 100, the policy's lines, the composite, thresholds, veto, quotas and ties."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuzaicun.cadres.rules.grading import (
    Candidate,
    Policy,
    Weight,
    assign_grades,
    composite,
    default_set,
    outcome_problem,
    policy_problems,
    quota_places,
    weight_problems,
)

D = Decimal


@pytest.mark.parametrize("role", ["first_secretary", "resident", "village_secretary"])
def test_the_default_sets_cover_the_six_dimensions_and_sum_to_100(role):
    rows = default_set(role)
    assert {r.dimension for r in rows} == {"goals", "duties", "performance", "incentive", "discipline", "subject"}
    assert sum(r.weight for r in rows) == 100
    assert {r.code for r in rows if not r.provider} == {"democratic", "satisfaction"}


def test_weights_not_summing_to_100_are_refused_naming_the_sum():
    problems = weight_problems([Weight("a", "甲", D(60)), Weight("b", "乙", D("30.5"))])
    assert problems == [("权重", "各项权重之和须为 100，当前为 90.5")]
    assert weight_problems([Weight("a", "甲", D(60)), Weight("b", "乙", D(40))]) == []
    assert "0–100" in weight_problems([Weight("a", "甲", D(-1)), Weight("b", "乙", D(101))])[0][1]


def test_policy_lines_must_descend():
    assert policy_problems(Policy()) == []
    assert "优秀线 > 良好线 > 合格线" in policy_problems(Policy(excellent=D(80), good=D(80)))[0][1]
    assert policy_problems(Policy(excellent_quota=D(101)))[0][0] == "优秀比例上限"


def test_composite_is_the_weighted_sum_and_missing_data_is_never_zero():
    weights = {"a": D(60), "b": D(40)}
    assert composite({"a": D(90), "b": D(80)}, weights) == (D("86.00"), [])
    assert composite({"a": D(90), "b": None}, weights) == (None, ["b"])
    assert composite({"a": D(90)}, weights) == (None, ["b"])


@pytest.mark.parametrize(("count", "percent", "places"), [(10, D(15), 1), (20, D(15), 3), (6, D(15), 0), (7, None, None)])
def test_quota_places_round_down(count, percent, places):
    assert quota_places(count, percent) == places


def _grade(totals, policy=None, **extra):
    rows = [Candidate(i + 1, None if t is None else D(t)) for i, t in enumerate(totals)]
    for pk, value in extra.get("democratic", {}).items():
        rows[pk - 1].democratic = D(value)
    for pk, value in extra.get("fixed", {}).items():
        rows[pk - 1].fixed_grade = value
    assign_grades(rows, policy or Policy())
    return [r.grade for r in rows]


def test_thresholds_without_quota_pressure():
    assert _grade([95, 85, 70, 50], Policy(excellent_quota=D(100))) == ["优", "良", "中", "差"]


def test_excellent_quota_keeps_the_top_and_drops_the_rest_to_good():
    # 20 graded, 15 % → 3 places for 优; four above the line: the fourth drops to 良
    totals = [99, 98, 97, 96] + [70] * 16
    assert _grade(totals)[:5] == ["优", "优", "优", "良", "中"]


def test_a_tie_across_the_quota_boundary_drops_every_tied_cadre():
    # 3 places; the third and fourth tie at 96: both would make 4 > 3, so both drop to 良
    totals = [99, 98, 96, 96] + [70] * 16
    assert _grade(totals)[:4] == ["优", "优", "良", "良"]


def test_a_tie_that_fits_the_quota_keeps_the_higher_grade():
    totals = [99, 96, 96] + [70] * 17
    assert _grade(totals)[:4] == ["优", "优", "优", "中"]


def test_the_good_quota_applies_to_those_dropped_from_excellent_too():
    policy = Policy(good_quota=D(10))  # 20 graded → 2 places for 良
    totals = [99, 98, 97, 96, 85] + [70] * 15
    assert _grade(totals, policy)[:6] == ["优", "优", "优", "良", "良", "中"]


def test_a_cadre_without_a_total_gets_no_rank_and_no_grade():
    rows = [Candidate(1, D(95)), Candidate(2, None)]
    assign_grades(rows, Policy(excellent_quota=D(100)))
    assert (rows[0].rank, rows[0].grade) == (1, "优")
    assert (rows[1].rank, rows[1].grade, rows[1].how) == (None, "", ["缺数据，未评定等次"])


def test_the_democratic_veto_grades_poor_whatever_the_total():
    assert _grade([95, 95], Policy(excellent_quota=D(100)), democratic={2: 50}) == ["优", "差"]


def test_confirmed_grades_hold_their_quota_places():
    totals = [99, 98] + [70] * 18  # 20 → 3 places; two fixed 优 leave one
    grades = _grade([*totals, 97, 96], fixed={1: "优", 2: "优"})
    assert grades[:2] == ["优", "优"] and grades[-2:] == ["优", "良"]


def test_ranks_are_deterministic_by_person_id_on_equal_totals():
    rows = [Candidate(5, D(80)), Candidate(2, D(80)), Candidate(9, D(90))]
    ranked = assign_grades(rows, Policy())
    assert [(c.person_id, c.rank) for c in ranked] == [(9, 1), (2, 2), (5, 3)]


@pytest.mark.parametrize(("kind", "grade", "ok"), [
    ("promotion", "优", True), ("promotion", "良", True), ("promotion", "中", False), ("treatment", "差", False),
    ("accountability", "差", True), ("accountability", "优", False), ("org_handling", "差", True),
])
def test_outcomes_follow_the_grade(kind, grade, ok):
    assert (outcome_problem(kind, grade, "结果") is None) is ok
