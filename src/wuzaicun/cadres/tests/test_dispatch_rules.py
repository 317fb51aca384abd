"""The pure checks of 选派: active days, the checked day, 不脱钩 and its successor, where placements go."""

from __future__ import annotations

import datetime as dt

import pytest

from wuzaicun.cadres.rules.dispatch import (
    Candidate,
    checked_day,
    dates_problem,
    handover_problem,
    is_active,
    placement_problem,
    successor_for,
)

D = dt.date
END = D(2016, 6, 30)


@pytest.mark.parametrize(("start", "end", "day", "active"), [
    (D(2016, 1, 1), None, D(2016, 1, 1), True),
    (D(2016, 1, 2), None, D(2016, 1, 1), False),
    (D(2015, 1, 1), D(2016, 1, 1), D(2016, 1, 1), True),
    (D(2015, 1, 1), D(2015, 12, 31), D(2016, 1, 1), False),
])
def test_a_dispatch_is_active_from_its_start_to_its_end_inclusive(start, end, day, active) -> None:
    assert is_active(start, end, day) is active


@pytest.mark.parametrize(("year", "today", "day"), [
    (2016, D(2026, 5, 1), D(2016, 12, 31)),  # a past year: its last day
    (2026, D(2026, 5, 1), D(2026, 5, 1)),  # the running year: today
    (2027, D(2026, 5, 1), D(2027, 1, 1)),  # a year not begun: its first day
])
def test_the_checked_day(year, today, day) -> None:
    assert checked_day(year, today) == day


@pytest.mark.parametrize(("candidates", "found"), [
    ([], None),
    ([Candidate(2, D(2016, 6, 30), None)], 2),  # starts on the end date: in time
    ([Candidate(2, D(2016, 7, 1), None)], None),  # the day after: too late
    ([Candidate(2, D(2016, 6, 1), D(2016, 6, 30))], None),  # gone with it: no successor
    ([Candidate(2, D(2014, 1, 1), None)], None),  # in post before it started: a colleague, not a successor
    ([Candidate(3, D(2016, 6, 1), None), Candidate(2, D(2016, 5, 1), D(2016, 8, 1))], 2),  # the earliest
])
def test_the_successor_starts_after_it_by_its_end_and_stays(candidates, found) -> None:
    successor = successor_for(start=D(2015, 3, 1), end=END, candidates=candidates)
    assert (successor.key if successor else None) == found


def test_not_unhooked_while_the_village_is_poor() -> None:
    message = handover_problem(village_name="甲村", kind="first_secretary", end=END, poor=True, exit_year=None,
                               successor=None)
    assert message == "甲村尚未出列，群众不脱贫、干部不脱钩：须有接任的第一书记在2016-06-30前到岗，才能结束该选派"
    assert "接任的驻村干部" in str(handover_problem(village_name="甲村", kind="resident", end=END, poor=True,
                                                 exit_year=2017, successor=None))


@pytest.mark.parametrize(("poor", "exit_year", "successor"), [
    (False, None, None),  # not a poor village
    (True, 2016, None),  # exits in the end's year
    (True, 2015, None),
    (True, None, Candidate(2, END, None)),  # a successor in post
])
def test_an_end_is_allowed(poor, exit_year, successor) -> None:
    assert handover_problem(village_name="甲村", kind="first_secretary", end=END, poor=poor, exit_year=exit_year,
                            successor=successor) is None


def test_dates_in_order() -> None:
    assert dates_problem(D(2016, 1, 2), D(2016, 1, 1)) == ("结束日期", "结束日期 2016-01-01 早于开始日期 2016-01-02")
    assert dates_problem(D(2016, 1, 1), D(2016, 1, 1)) is None and dates_problem(D(2016, 1, 1), None) is None


@pytest.mark.parametrize(("level", "poor_village", "township_poor", "refused"), [
    (5, True, 0, None),
    (5, False, 0, "乙村不是未出列的贫困村，不能安排上管一级或后备干部"),
    (4, False, 1, None),
    (4, False, 0, "乙村没有未出列的贫困村，不是贫困乡镇，不能安排上管一级或后备干部"),
    (3, False, 5, "“乙村”不是乡镇或村，请选择贫困乡镇或贫困村"),
])
def test_placements_go_to_poor_townships_and_villages(level, poor_village, township_poor, refused) -> None:
    assert placement_problem(region_name="乙村", level=level, poor_village=poor_village,
                             township_poor_villages=township_poor) == refused
