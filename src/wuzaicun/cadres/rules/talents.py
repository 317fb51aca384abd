"""Pure checks of 千村千人计划 talents and 项目书记: when a talent-village pair is overdue for a visit (逾期未走访),
which dates a visit may carry, which regions a record may name. No ORM: values in, findings out.

Overdue (decision T2 in docs/cadres-talents.md): a pair is overdue on day D when more than the plan's
interval (30, 60, 91 or 182 days) has passed since its last visit on or before D; a pair never visited
counts from 1 January of the talent's year (入选年度). On the interval's last day it is still on time.
"""

from __future__ import annotations

import datetime as dt

from wuzaicun.regions.models import Level

CONTENT_MAX = 300
PROJECT_NAME_MAX = 200


def year_start(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def checked_day(year: int, today: dt.date) -> dt.date:
    """The day a year's overdue list is checked on: today within the year, its last day for a past year,
    its first day for a year not begun (nothing can be overdue then)."""
    return min(max(today, year_start(year)), dt.date(year, 12, 31))


def due_after(*, last_visit: dt.date | None, year: int, every: int) -> dt.date:
    """The first day the pair is overdue: the day after the interval from the last visit (or 1 January)."""
    return (last_visit or year_start(year)) + dt.timedelta(days=every + 1)


def days_overdue(*, last_visit: dt.date | None, year: int, every: int, on: dt.date) -> int:
    """How many days the pair is overdue on `on` (0: on time). The selectors ask the same in SQL."""
    return max(0, (on - due_after(last_visit=last_visit, year=year, every=every)).days + 1)


def visit_date_problem(*, date: dt.date, year: int, today: dt.date) -> str | None:
    """A visit is dated within its talent's service (from 1 January of 入选年度), and never in the future."""
    if date > today:
        return f"走访日期 {date:%Y-%m-%d} 晚于今天，不能登记未来的走访"
    if date < year_start(year):
        return f"走访日期 {date:%Y-%m-%d} 早于该人才的入选年度（{year}年），请核对"
    return None


def talent_region_problem(level: int, name: str) -> str | None:
    """A talent is registered by a city, county or township (its 登记区划), never by a village."""
    if level not in (Level.CITY, Level.COUNTY, Level.TOWNSHIP):
        return f"“{name}”不能作为人才的登记区划，请选择市、县（市、区）或乡镇"
    return None


def served_village_problem(*, village_code: str, village_name: str, region_code: str, region_name: str) -> str | None:
    """A served village lies under the talent's registering region (its code starts with the region's prefix)."""
    from wuzaicun.regions.codes import prefix_of

    if not village_code.startswith(prefix_of(region_code)):
        return f"服务村“{village_name}”不在登记区划“{region_name}”内"
    return None


def secretary_region_problem(level: int, name: str) -> str | None:
    """A 项目书记 serves a township or a village."""
    if level not in (Level.TOWNSHIP, Level.VILLAGE):
        return f"“{name}”不是乡镇或村，项目书记的所在区划须为乡镇或村"
    return None


def project_village_problem(*, village_code: str, village_name: str, region_code: str, region_name: str) -> str | None:
    """A project is carried out in the secretary's village, or in a village of the secretary's township."""
    from wuzaicun.regions.codes import prefix_of

    if not village_code.startswith(prefix_of(region_code)):
        return f"实施村“{village_name}”不在项目书记所在的“{region_name}”内"
    return None
