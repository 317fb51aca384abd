"""The pure rules of 千村千人计划 and 项目书记: the overdue computation table-driven, visit dates, regions."""

from __future__ import annotations

import datetime as dt

import pytest

from wuzaicun.cadres.rules.talents import (
    checked_day,
    days_overdue,
    due_after,
    project_village_problem,
    secretary_region_problem,
    served_village_problem,
    talent_region_problem,
    visit_date_problem,
)

D = dt.date


@pytest.mark.parametrize(("last", "every", "on", "expected"), [
    (None, 30, D(2016, 1, 31), 0),     # 30 days since 1 January: the interval's last day, still on time
    (None, 30, D(2016, 2, 1), 1),      # never visited: overdue once the interval since 1 January has passed
    (None, 182, D(2016, 6, 30), 0),
    (None, 182, D(2016, 7, 2), 1),
    (D(2016, 3, 1), 30, D(2016, 3, 31), 0),
    (D(2016, 3, 1), 30, D(2016, 4, 1), 1),
    (D(2016, 3, 1), 60, D(2016, 4, 30), 0),
    (D(2016, 3, 1), 60, D(2016, 5, 10), 10),
    (D(2016, 3, 1), 91, D(2016, 5, 31), 0),
    (D(2016, 3, 1), 91, D(2016, 12, 31), 214),
    (D(2016, 12, 31), 30, D(2016, 12, 31), 0),  # visited on the day checked
])
def test_days_overdue(last, every, on, expected) -> None:
    assert days_overdue(last_visit=last, year=2016, every=every, on=on) == expected
    assert (on >= due_after(last_visit=last, year=2016, every=every)) == (expected > 0)


@pytest.mark.parametrize(("year", "today", "day"), [
    (2016, D(2016, 5, 4), D(2016, 5, 4)),     # within the year: today
    (2016, D(2020, 1, 1), D(2016, 12, 31)),   # a past year: its last day
    (2030, D(2026, 1, 1), D(2030, 1, 1)),     # a year not begun: its first day, nothing overdue
])
def test_the_day_a_year_is_checked_on(year, today, day) -> None:
    assert checked_day(year, today) == day


def test_a_visit_in_the_future_or_before_the_year_is_refused() -> None:
    today = D(2016, 6, 1)
    assert visit_date_problem(date=D(2016, 6, 1), year=2016, today=today) is None
    assert "晚于今天" in (visit_date_problem(date=D(2016, 6, 2), year=2016, today=today) or "")
    assert "早于" in (visit_date_problem(date=D(2015, 12, 31), year=2016, today=today) or "")


@pytest.mark.parametrize(("level", "ok"), [(1, False), (2, True), (3, True), (4, True), (5, False)])
def test_a_talent_is_registered_by_a_city_county_or_township(level, ok) -> None:
    assert (talent_region_problem(level, "某地") is None) == ok


@pytest.mark.parametrize(("level", "ok"), [(2, False), (3, False), (4, True), (5, True)])
def test_a_secretary_serves_a_township_or_a_village(level, ok) -> None:
    assert (secretary_region_problem(level, "某地") is None) == ok


def test_villages_lie_under_the_region() -> None:
    assert served_village_problem(village_code="520302001001", village_name="甲村", region_code="520302000000",
                                  region_name="红花岗区") is None
    assert "不在登记区划" in (served_village_problem(village_code="520303100201", village_name="丙村",
                                                    region_code="520302000000", region_name="红花岗区") or "")
    assert project_village_problem(village_code="520302001001", village_name="甲村", region_code="520302001001",
                                   region_name="甲村") is None
    assert "乙村" in (project_village_problem(village_code="520302001002", village_name="乙村",
                                             region_code="520302001001", region_name="甲村") or "")
