"""Reads of 千村千人计划 talents and 项目书记: scoped lists with their counts, the overdue pairs (one query), totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped

from ..models.talents import (
    ProjectRole,
    ProjectSecretary,
    SecretaryProject,
    Talent,
    TalentVillage,
    TalentVisit,
    VisitPlan,
)
from ..rules.talents import checked_day, days_overdue, year_start


def _person_filter(q: str, prefix: str = "person__") -> Q:
    """A name fragment, or the last four characters of the resident ID as shown masked."""
    condition = Q(**{f"{prefix}name__icontains": q})
    if len(q) == 4 and q[:3].isdigit():
        condition |= Q(**{f"{prefix}resident_id_masked__endswith": q.upper()})
    return condition


def count_of(queryset: QuerySet[Any], key: str) -> Coalesce:
    """A correlated COUNT(*) of `queryset` grouped by `key` (no join that would multiply the outer rows)."""
    return Coalesce(Subquery(queryset.order_by().values(key).annotate(n=Count("pk")).values("n"),
                             output_field=IntegerField()), 0)


# ---------------------------------------------------------------------------------------------------------
# 千村千人计划


def talents_for(user: Any, *, year: int, region: str | None = None, q: str = "",
                field: str = "") -> QuerySet[Talent]:
    """The year's talents registered in scope, each with `village_count` and `visit_count`."""
    rows = narrowed(scoped(Talent, user), region).filter(year=year)
    if field:
        rows = rows.filter(field=field)
    if q:
        rows = rows.filter(_person_filter(q))
    villages = scoped(TalentVillage, user).filter(talent=OuterRef("pk"))
    visits = scoped(TalentVisit, user).filter(talent=OuterRef("pk"))
    return (rows.annotate(village_count=count_of(villages, "talent"), visit_count=count_of(visits, "talent"))
            .select_related("person", "person__unit", "region").order_by("region_id", "person__name", "id"))


def get_talent_for_user(user: Any, pk: int) -> Talent:
    return get_for_user(scoped(Talent, user).select_related("person", "person__unit", "person__region", "region"),
                        user, pk=pk)


def _last_visit(user: Any, on: dt.date | None) -> Subquery:
    """The pair's last visit (on or before `on`): the (talent, village, date) index answers it."""
    visits = scoped(TalentVisit, user).filter(talent=OuterRef("talent_id"), village=OuterRef("village_id"))
    if on is not None:
        visits = visits.filter(date__lte=on)
    return Subquery(visits.order_by("-date").values("date")[:1], output_field=DateField())


def links_of(user: Any, talent: Talent, *, on: dt.date | None = None) -> list[dict[str, Any]]:
    """The talent's villages in scope, each with its last visit, visit count and days overdue on `on`."""
    day = on or checked_day(talent.year, timezone.localdate())
    visits = scoped(TalentVisit, user).filter(talent=OuterRef("talent_id"), village=OuterRef("village_id"))
    links = (scoped(TalentVillage, user).filter(talent=talent).select_related("village", "village__parent")
             .annotate(last_visit=_last_visit(user, day),
                       visit_count=count_of(visits, "talent"))
             .order_by("village_id"))
    return [{"village": link.village, "last_visit": link.last_visit, "visit_count": link.visit_count,
             "overdue": days_overdue(last_visit=link.last_visit, year=talent.year,
                                     every=talent.visit_every, on=day)}
            for link in links]


def visits_of(user: Any, talent: Talent) -> QuerySet[TalentVisit]:
    return (scoped(TalentVisit, user).filter(talent=talent).select_related("village")
            .order_by("-date", "-id"))


def get_visit_for_user(user: Any, pk: int) -> TalentVisit:
    return get_for_user(scoped(TalentVisit, user).select_related("talent", "village"), user, pk=pk)


def overdue_pairs(user: Any, *, year: int, region: str | None = None, q: str = "", field: str = "",
                  on: dt.date | None = None) -> QuerySet[TalentVillage]:
    """逾期未走访: the year's talent-village pairs in scope with no visit within their plan's interval before
    `on` (default: today, or the year's last day for a past year). One query: the last visit is a correlated
    subquery per pair (`last_visit`, None when never visited; `since` falls back to 1 January), compared with `on`
    minus the plan's interval — four fixed intervals, so a CASE of constants, no date arithmetic in SQL."""
    day = on or checked_day(year, timezone.localdate())
    rows = narrowed(scoped(TalentVillage, user), region).filter(talent__year=year)
    if field:
        rows = rows.filter(talent__field=field)
    if q:
        rows = rows.filter(_person_filter(q, "talent__person__") | Q(village__name__icontains=q))
    # The day before which the pair's last visit (or 1 January) makes it late, by plan: one CASE, so the last-visit
    # subquery is asked once a pair in WHERE (an OR over the plans would ask it once a branch).
    edge = Case(*(When(talent__visit_every=every, then=Value(day - dt.timedelta(days=every)))
                  for every in VisitPlan.values), output_field=DateField())
    return (rows.annotate(last_visit=_last_visit(user, day))
            .annotate(since=Coalesce("last_visit", Value(year_start(year)), output_field=DateField()))
            .filter(since__lt=edge)
            .select_related("talent", "talent__person", "talent__region", "village", "village__parent")
            .order_by(F("last_visit").asc(nulls_first=True), "talent_id", "village_id"))


def overdue_rows(pairs: Any, *, year: int, on: dt.date | None = None) -> list[dict[str, Any]]:
    """A page of `overdue_pairs` as table rows, with the days overdue (the pure rule, same as the SQL)."""
    day = on or checked_day(year, timezone.localdate())
    return [{"pair": p, "talent": p.talent, "village": p.village, "last_visit": p.last_visit,
             "overdue": days_overdue(last_visit=p.last_visit, year=year, every=p.talent.visit_every, on=day)}
            for p in pairs]


def talent_totals(user: Any, *, year: int, region: str | None = None, overdue: int | None = None) -> dict[str, Any]:
    """The year's talents, pairs, visits and overdue pairs in scope (four aggregate queries; three when the
    caller already counted the overdue pairs, as the overdue tab's paginator does)."""
    return {**talent_counts(user, year=year, region=region),
            "overdue": overdue_pairs(user, year=year, region=region).count() if overdue is None else overdue,
            "day": checked_day(year, timezone.localdate())}


def talent_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """The year's talents, their village pairs and visits in scope (three count queries)."""
    talents = narrowed(scoped(Talent, user), region).filter(year=year)
    pairs = narrowed(scoped(TalentVillage, user), region).filter(talent__year=year)
    visits = narrowed(scoped(TalentVisit, user), region).filter(talent__year=year)
    return {"talents": talents.count(), "pairs": pairs.count(), "visits": visits.count()}


# ---------------------------------------------------------------------------------------------------------
# 项目书记


def secretaries_for(user: Any, *, year: int, region: str | None = None, q: str = "") -> QuerySet[ProjectSecretary]:
    """The year's 项目书记 in scope, each with `led` and `driven` project counts and their `invested` total."""
    rows = narrowed(scoped(ProjectSecretary, user), region).filter(year=year)
    if q:
        rows = rows.filter(_person_filter(q) | Q(region__name__icontains=q))
    projects = scoped(SecretaryProject, user).filter(secretary=OuterRef("pk"))
    return (rows.annotate(led=count_of(projects.filter(role=ProjectRole.LEAD), "secretary"),
                          driven=count_of(projects.filter(role=ProjectRole.DRIVE), "secretary"))
            .select_related("person", "person__unit", "region", "region__parent")
            .order_by("region_id", "person__name", "id"))


def get_secretary_for_user(user: Any, pk: int) -> ProjectSecretary:
    return get_for_user(
        scoped(ProjectSecretary, user).select_related("person", "person__unit", "person__region", "region"),
        user, pk=pk)


def projects_of(user: Any, secretary: ProjectSecretary) -> QuerySet[SecretaryProject]:
    return scoped(SecretaryProject, user).filter(secretary=secretary).select_related("village").order_by("role", "id")


def get_project_for_user(user: Any, pk: int) -> SecretaryProject:
    return get_for_user(scoped(SecretaryProject, user).select_related("secretary", "village"), user, pk=pk)


def secretary_totals(user: Any, *, year: int, region: str | None = None) -> dict[str, Any]:
    """The year's 项目书记, projects led and driven, and the amount invested, in scope (two queries)."""
    secretaries = narrowed(scoped(ProjectSecretary, user), region).filter(year=year).count()
    projects = narrowed(scoped(SecretaryProject, user), region).filter(secretary__year=year).aggregate(
        led=Count("pk", filter=Q(role=ProjectRole.LEAD)), driven=Count("pk", filter=Q(role=ProjectRole.DRIVE)),
        invested=Sum("amount"))
    return {"year": year, "secretaries": secretaries, "led": projects["led"], "driven": projects["driven"],
            "invested": (projects["invested"] or Decimal(0)).quantize(Decimal("0.01"))}
