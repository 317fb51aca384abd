"""Reads of 干部培训, scoped to the user: sessions with their attendance, the figures per level and year, and
who belongs to each target group in a year (with whether they were trained) — one selector for the groups.

Trained in a year = attended at least one session that started in the year, wherever it was held: a county's
cadre who attended the city's session is trained, although the county's administrator does not see that
session (it concerns the city). The group's members are always people in the user's scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Substr

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped
from wuzaicun.regions.models import VillageYear
from wuzaicun.registry.models import Person, Rank

from ..models.dispatch import Dispatch
from ..models.training import Attendance, TargetGroup, TrainingLevel, TrainingSession
from ..rules.training import TOWNSHIP_HEAD_POSTS, coverage_share


def sessions_for(user: Any, *, year: int | None = None, level: str = "", region: str = "",
                 q: str = "") -> QuerySet[TrainingSession]:
    """Sessions in scope (held by a region in scope), newest first, with their attendance count."""
    queryset = narrowed(scoped(TrainingSession, user), region or None).select_related("region")
    if year is not None:
        queryset = queryset.filter(year=year)
    if level in TrainingLevel.values:
        queryset = queryset.filter(level=level)
    if q.strip():
        term = q.strip()
        queryset = queryset.filter(Q(name__icontains=term) | Q(topic__icontains=term) | Q(organiser__icontains=term))
    rows = scoped(Attendance, user).filter(session=OuterRef("pk")).order_by().values("session").annotate(n=Count("*")).values("n")
    return queryset.annotate(attendee_count=Coalesce(Subquery(rows, output_field=IntegerField()), 0)).order_by(
        "-start", "-id")


def get_session_for_user(user: Any, pk: int) -> TrainingSession:
    return get_for_user(scoped(TrainingSession, user).select_related("region"), user, pk=pk)


def attendance_of(user: Any, session: TrainingSession) -> QuerySet[Attendance]:
    """A session's attendees with their region and unit, by name."""
    return scoped(Attendance, user).filter(session=session).select_related(
        "person", "person__region", "person__unit").order_by("person__name", "person_id")


@dataclass(frozen=True)
class LevelFigures:
    sessions: int = 0
    person_times: int = 0


@dataclass(frozen=True)
class YearFigures:
    year: int
    city: LevelFigures
    county: LevelFigures

    @property
    def sessions(self) -> int:
        return self.city.sessions + self.county.sessions

    @property
    def person_times(self) -> int:
        return self.city.person_times + self.county.person_times


def training_figures(user: Any, *, region: str = "", years: int = 0) -> list[YearFigures]:
    """Sessions and person-times (人次) per level and year, newest year first (the last `years` years that have
    sessions when `years` > 0): two queries, whatever the number of sessions."""
    sessions = narrowed(scoped(TrainingSession, user), region or None)
    counts: dict[tuple[int, str], int] = {
        (y, lv): n for y, lv, n in sessions.order_by().values("year", "level").annotate(n=Count("*"))
        .values_list("year", "level", "n")}
    times: dict[tuple[int, str], int] = {
        (y, lv): n for y, lv, n in narrowed(scoped(Attendance, user), region or None).order_by()
        .values("session__year", "session__level").annotate(n=Count("*"))
        .values_list("session__year", "session__level", "n")}
    all_years = sorted({y for y, _ in counts} | {y for y, _ in times}, reverse=True)
    if years > 0:
        all_years = all_years[:years]
    return [YearFigures(
        year=y,
        city=LevelFigures(counts.get((y, TrainingLevel.CITY), 0), times.get((y, TrainingLevel.CITY), 0)),
        county=LevelFigures(counts.get((y, TrainingLevel.COUNTY), 0), times.get((y, TrainingLevel.COUNTY), 0)),
    ) for y in all_years]


def figures_of(figures: list[YearFigures], year: int) -> YearFigures:
    """One year's figures among `training_figures`' (zeros when it has no session)."""
    for row in figures:
        if row.year == year:
            return row
    return YearFigures(year=year, city=LevelFigures(), county=LevelFigures())


# --- target groups ----------------------------------------------------------------------------------------

def attended_in(year: int) -> Exists:
    """Whether the outer person attended a session that started in `year`, wherever it was held (the people it
    is asked for were taken from scoped(); a session of a wider region counts for them)."""
    return Exists(Attendance.objects_unscoped.filter(person=OuterRef("pk"), session__year=year))


def _poor_townships(user: Any, year: int) -> QuerySet[Any]:
    """The codes of townships (in scope) with a poor village not yet exited (出列) by the year's end."""
    villages = scoped(VillageYear, user).filter(year=year, is_poor=True).filter(
        Q(exit_year__isnull=True) | Q(exit_year__gt=year))
    return villages.order_by().annotate(
        township=Concat(Substr("village_id", 1, 9), Value("000"), output_field=CharField())).values("township")


def _active_dispatch(user: Any, year: int) -> Exists:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Exists(scoped(Dispatch, user).filter(person=OuterRef("pk"), start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gte=first)))


def _members(user: Any, *, year: int, group: str, region: str = "") -> QuerySet[Person]:
    """The people in scope who belong to a target group in a year:
    - 县处级领导干部: rank 县处级;
    - 贫困乡镇党政一把手: a township's 党委书记 or 乡长/镇长 (rules.TOWNSHIP_HEAD_POSTS), registered in a township
      that has a poor village not yet exited that year;
    - 第一书记和驻村干部: a dispatch (第一书记 or 驻村干部) to a village in scope active some day of the year;
    - 村干部: rank 村干部.
    """
    people = narrowed(scoped(Person, user), region or None)
    if group == TargetGroup.COUNTY_LEADERS:
        people = people.filter(rank=Rank.COUNTY_LEVEL)
    elif group == TargetGroup.TOWNSHIP_HEADS:
        people = people.filter(post__in=TOWNSHIP_HEAD_POSTS, region_id__in=_poor_townships(user, year))
    elif group == TargetGroup.DISPATCHED:
        people = people.filter(_active_dispatch(user, year))
    elif group == TargetGroup.VILLAGE_CADRES:
        people = people.filter(rank=Rank.VILLAGE_CADRE)
    else:
        return people.none()
    return people


def group_members(user: Any, *, year: int, group: str, region: str = "") -> QuerySet[Person]:
    """A target group's members in scope in the year (see `_members`), each annotated `trained`."""
    return _members(user, year=year, group=group, region=region).annotate(trained=attended_in(year))


def untrained(user: Any, *, year: int, group: str, region: str = "") -> QuerySet[Person]:
    """A group's members not trained in the year, by region and name, with their region and unit."""
    return _members(user, year=year, group=group, region=region).filter(~attended_in(year)).select_related(
        "region", "unit").order_by("region_id", "name", "id")


@dataclass(frozen=True)
class GroupCoverage:
    group: str
    label: str
    members: int
    trained: int

    @property
    def untrained(self) -> int:
        return self.members - self.trained

    @property
    def share(self) -> Decimal | None:
        return coverage_share(self.trained, self.members)


def group_coverage(user: Any, *, year: int, region: str = "") -> list[GroupCoverage]:
    """Each target group's members and how many were trained in the year: one aggregate query a group."""
    rows = []
    for group, label in TargetGroup.choices:
        found = _members(user, year=year, group=group, region=region).order_by().aggregate(
            members=Count("pk"), trained=Count("pk", filter=Q(attended_in(year))))
        rows.append(GroupCoverage(group, str(label), found["members"] or 0, found["trained"] or 0))
    return rows

