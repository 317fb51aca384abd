"""Pure checks of 选派: 群众不脱贫、干部不脱钩, the day the 三个全覆盖 are checked, where placements may go.

No ORM here: the service, the API and the import gather the facts (set-based) and ask these functions,
so the three refuse the same thing with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..models.dispatch import DispatchKind

KIND_LABELS: dict[str, str] = dict(DispatchKind.choices)  # the model's labels (choices, not the ORM)
KIND_BY_LABEL = {label: value for value, label in KIND_LABELS.items()}
TOWNSHIP, VILLAGE = 4, 5


def is_active(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    """Active on `day`: started on or before it and not ended before it (an open end is still active)."""
    return start <= day and (end is None or end >= day)


def checked_day(year: int, today: dt.date) -> dt.date:
    """The day the 三个全覆盖 are checked for a year (D-A1): its last day once it is over, today while it
    runs, its first day before it starts."""
    return min(dt.date(year, 12, 31), max(today, dt.date(year, 1, 1)))


def village_exited(exit_year: int | None, day: dt.date) -> bool:
    """A poor village has exited (出列) by `day` when its exit year is that day's year or earlier: exits are
    recorded by year, so one that exits in a year counts as out for every day of it (D-A2)."""
    return exit_year is not None and exit_year <= day.year


@dataclass(frozen=True)
class Candidate:
    """Another dispatch of the same type to the same village: a possible successor."""

    key: int | str  # its id (or its line in an import file)
    start: dt.date
    end: dt.date | None


def successor_for(*, start: dt.date, end: dt.date, candidates: Iterable[Candidate]) -> Candidate | None:
    """The dispatch that takes over when one (started `start`) ends on `end`: one that started after it, on or
    before `end`, and is still in post the day after; the earliest such, ties by key."""
    after = end + dt.timedelta(days=1)
    found = [c for c in candidates if start < c.start <= end and (c.end is None or c.end >= after)]
    return min(found, key=lambda c: (c.start, str(c.key))) if found else None


def handover_problem(*, village_name: str, kind: str, end: dt.date, poor: bool, exit_year: int | None,
                     successor: Candidate | None) -> str | None:
    """群众不脱贫、干部不脱钩: a dispatch to a poor village that has not exited by its end date may end only when
    a successor of the same type starts on or before that date. None when it may end."""
    if not poor or village_exited(exit_year, end) or successor is not None:
        return None
    return (f"{village_name}尚未出列，群众不脱贫、干部不脱钩：须有接任的{KIND_LABELS.get(kind, kind)}"
            f"在{end.isoformat()}前到岗，才能结束该选派")


def dates_problem(start: dt.date | None, end: dt.date | None, *, start_label: str = "开始日期",
                  end_label: str = "结束日期") -> tuple[str, str] | None:
    if start is not None and end is not None and end < start:
        return end_label, f"{end_label} {end.isoformat()} 早于{start_label} {start.isoformat()}"
    return None


def placement_problem(*, region_name: str, level: int, poor_village: bool, township_poor_villages: int) -> str | None:
    """上管一级 and 后备干部 go only to a poor township (one with a poor village not yet exited in the year) or
    a poor village (not yet exited)."""
    if level == VILLAGE:
        return None if poor_village else f"{region_name}不是未出列的贫困村，不能安排上管一级或后备干部"
    if level == TOWNSHIP:
        return None if township_poor_villages else (
            f"{region_name}没有未出列的贫困村，不是贫困乡镇，不能安排上管一级或后备干部")
    return f"“{region_name}”不是乡镇或村，请选择贫困乡镇或贫困村"
