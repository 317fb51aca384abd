"""Reads of 选派: working groups, dispatches and placements in scope, the units that may send cadres, and the
village facts the 不脱钩 check and the placement check need (set-based, one query each)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wuzaicun.accounts.scope import get_for_user, narrowed, prefix_for, scoped
from wuzaicun.core.errors import NotFound
from wuzaicun.core.pickers import RESULT_LIMIT, Choice, labels_of
from wuzaicun.regions.codes import ancestor_codes, is_code
from wuzaicun.regions.models import VillageYear
from wuzaicun.registry.models import Unit

from ..models.dispatch import Dispatch, Placement, WorkingGroup
from ..rules.dispatch import Candidate

STATUSES = (("active", "在岗"), ("ended", "已结束"))


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def active_during(year: int, prefix: str = "") -> Q:
    """Active at some time in the year: started by its end, not ended before its start."""
    first, last = _year_bounds(year)
    return Q(**{f"{prefix}start__lte": last}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": first}))


def active_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": day}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


def _status(status: str, day: dt.date) -> Q:
    if status == "active":
        return active_on(day)
    if status == "ended":
        return Q(end__lt=day)
    return Q()


def units_for(user: Any) -> QuerySet[Unit]:
    """Units that may send cadres into the user's area: those in scope, and those of the regions above it
    (市直、省直单位 send 第一书记 down to the villages; a unit's name is not personal data, D-A3)."""
    prefix = prefix_for(user)
    if prefix is None:
        return Unit.objects_unscoped.none()
    if prefix == "":
        return Unit.objects_unscoped.all()
    above = [code for code in ancestor_codes(prefix.ljust(12, "0")) if not code.startswith(prefix)]
    return Unit.objects_unscoped.filter(Q(region__code__within=prefix) | Q(region_id__in=above))


def get_unit_for_user(user: Any, pk: int) -> Unit:
    try:
        return units_for(user).select_related("region").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("派出单位不存在或不在您的管辖范围内") from None


def groups_for(user: Any, *, year: int | None = None, region: str | None = None, q: str = "",
               status: str = "", today: dt.date | None = None) -> QuerySet[WorkingGroup]:
    """Working groups in scope (active during `year` when given), each with its `members` count."""
    rows = narrowed(scoped(WorkingGroup, user), region)
    if year is not None:
        rows = rows.filter(active_during(year))
    if status:
        rows = rows.filter(_status(status, today or timezone.localdate()))
    if q:
        rows = rows.filter(Q(village__name__icontains=q) | Q(unit__name__icontains=q) | Q(leader__name__icontains=q))
    return (rows.annotate(members=Count("dispatches"))
            .select_related("village__parent", "unit", "leader").order_by("village_id", "-start", "pk"))


def get_group_for_user(user: Any, pk: int) -> WorkingGroup:
    return get_for_user(scoped(WorkingGroup, user).select_related("village__parent", "unit", "leader"), user, pk=pk)


def members_of(user: Any, group: WorkingGroup) -> QuerySet[Dispatch]:
    return scoped(Dispatch, user).filter(group=group).select_related("person", "unit").order_by("kind", "start", "pk")


def dispatches_for(user: Any, *, year: int | None = None, region: str | None = None, q: str = "", kind: str = "",
                   status: str = "", today: dt.date | None = None) -> QuerySet[Dispatch]:
    """Dispatches in scope: active during `year`, of a type, 在岗/已结束 (on `today`), by name of the person,
    the village or the unit."""
    rows = narrowed(scoped(Dispatch, user), region)
    if year is not None:
        rows = rows.filter(active_during(year))
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(_status(status, today or timezone.localdate()))
    if q:
        rows = rows.filter(Q(person__name__icontains=q) | Q(village__name__icontains=q) | Q(unit__name__icontains=q))
    return rows.select_related("person", "unit", "village__parent", "group", "successor__person").order_by(
        "village_id", "kind", "-start", "pk")


def get_dispatch_for_user(user: Any, pk: int) -> Dispatch:
    return get_for_user(scoped(Dispatch, user).select_related(
        "person", "unit", "village__parent", "group", "successor__person"), user, pk=pk)


def placements_for(user: Any, *, year: int | None = None, region: str | None = None, q: str = "", kind: str = "",
                   status: str = "", today: dt.date | None = None) -> QuerySet[Placement]:
    rows = narrowed(scoped(Placement, user), region)
    if year is not None:
        rows = rows.filter(active_during(year))
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(_status(status, today or timezone.localdate()))
    if q:
        rows = rows.filter(Q(person__name__icontains=q) | Q(region__name__icontains=q) | Q(post__icontains=q))
    return rows.select_related("person", "region__parent").order_by("region_id", "-start", "pk")


def get_placement_for_user(user: Any, pk: int) -> Placement:
    return get_for_user(scoped(Placement, user).select_related("person", "region__parent"), user, pk=pk)


def village_facts(user: Any, villages: Iterable[str], year: int) -> dict[str, tuple[bool, int | None]]:
    """{village: (poor, exit year)} as recorded for `year`, else for the latest year before it (one query)."""
    rows = scoped(VillageYear, user).filter(village_id__in=list(set(villages)), year__lte=year).order_by(
        "village_id", "year").values_list("village_id", "is_poor", "exit_year")
    return {village: (poor, exit_year) for village, poor, exit_year in rows}


def successor_candidates(user: Any, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[Candidate]]:
    """The dispatches of each (village, type), as possible successors (one query)."""
    wanted = set(pairs)
    out: dict[tuple[str, str], list[Candidate]] = {p: [] for p in wanted}
    if not wanted:
        return out
    rows = scoped(Dispatch, user).filter(village_id__in={v for v, _ in wanted}).values_list(
        "pk", "village_id", "kind", "start", "end")
    for pk, village, kind, start, end in rows:
        if (village, kind) in out:
            out[(village, kind)].append(Candidate(pk, start, end))
    return out


def poor_townships(user: Any, townships: Iterable[str], year: int) -> dict[str, int]:
    """{township: its poor villages not yet exited in `year`} (one query)."""
    rows = scoped(VillageYear, user).filter(year=year, is_poor=True).filter(
        Q(exit_year__isnull=True) | Q(exit_year__gt=year))
    counts = dict.fromkeys(set(townships), 0)
    for parent in rows.filter(village__parent_id__in=list(counts)).values_list("village__parent_id", flat=True):
        counts[str(parent)] += 1
    return counts


# --- pickers ------------------------------------------------------------------------------------------

def unit_choices(user: Any, term: str, *, within: str = "", ids: Sequence[str] | None = None) -> list[Choice]:
    """Sending units by name (in scope or above it), for the 派出单位 picker."""
    queryset = units_for(user).select_related("region")
    if ids is not None:
        queryset = queryset.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    elif term:
        queryset = queryset.filter(name__icontains=term)
    else:
        return []
    rows = queryset.order_by("region_id", "name", "pk")
    return [Choice(str(u.pk), u.name, u.region.name) for u in (rows if ids is not None else rows[: RESULT_LIMIT + 1])]


def unit_labels(user: Any, ids: Sequence[str]) -> dict[str, str]:
    return labels_of(unit_choices(user, "", ids=ids))


def group_choices(user: Any, term: str, *, within: str = "", ids: Sequence[str] | None = None) -> list[Choice]:
    """Working groups in scope, of the chosen village (`within`) or by village or unit name."""
    queryset = scoped(WorkingGroup, user).select_related("village", "unit")
    if ids is not None:
        queryset = queryset.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    elif is_code(within):
        queryset = queryset.filter(village_id=within)
        if term:
            queryset = queryset.filter(unit__name__icontains=term)
    elif term:
        queryset = queryset.filter(Q(village__name__icontains=term) | Q(unit__name__icontains=term))
    else:
        return []
    rows = queryset.order_by("village_id", "-start", "pk")
    return [Choice(str(g.pk), f"{g.village.name}驻村工作组",
                   f"{g.unit.name}派出，{g.start.isoformat()}进驻" + (f"，{g.end.isoformat()}撤离" if g.end else ""))
            for g in (rows if ids is not None else rows[: RESULT_LIMIT + 1])]


def group_labels(user: Any, ids: Sequence[str]) -> dict[str, str]:
    return labels_of(group_choices(user, "", ids=ids))


def dispatch_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """The year's 选派 in scope (three aggregate queries): 第一书记 and 驻村干部 in post at some time of the year,
    working groups, and the poor, weak-organisation and ethnic-minority villages with a group (and the poor ones
    with a 第一书记) in post at some time of the year: the seed's 三个全覆盖 counted for the year."""
    from django.db.models import Exists, OuterRef

    from ..models.dispatch import DispatchKind

    sent = narrowed(scoped(Dispatch, user), region).filter(active_during(year)).aggregate(
        first_secretaries=Count("id", filter=Q(kind=DispatchKind.FIRST_SECRETARY)),
        residents=Count("id", filter=Q(kind=DispatchKind.RESIDENT)))
    groups = narrowed(scoped(WorkingGroup, user), region).filter(active_during(year)).count()
    group = Exists(scoped(WorkingGroup, user).filter(active_during(year), village_id=OuterRef("village_id")))
    secretary = Exists(scoped(Dispatch, user).filter(active_during(year), kind=DispatchKind.FIRST_SECRETARY,
                                                     village_id=OuterRef("village_id")))
    villages = narrowed(scoped(VillageYear, user), region).filter(year=year).annotate(
        has_group=group, has_secretary=secretary).aggregate(
        poor=Count("id", filter=Q(is_poor=True)),
        poor_with_group=Count("id", filter=Q(is_poor=True, has_group=True)),
        poor_with_secretary=Count("id", filter=Q(is_poor=True, has_secretary=True)),
        weak=Count("id", filter=Q(is_weak_organisation=True)),
        weak_with_group=Count("id", filter=Q(is_weak_organisation=True, has_group=True)),
        ethnic=Count("id", filter=Q(is_ethnic_minority=True)),
        ethnic_with_group=Count("id", filter=Q(is_ethnic_minority=True, has_group=True)))
    return {"first_secretaries": sent["first_secretaries"], "residents": sent["residents"],
            "dispatched": sent["first_secretaries"] + sent["residents"], "groups": groups,
            **{key: int(value or 0) for key, value in villages.items()}}


def coverage_by_area(user: Any, *, within: str, width: int) -> dict[tuple[str, int], dict[str, int]]:
    """Per child area (the first `width` digits of the village code, under `within`) and year of the 村情, in scope
    (one grouped query): 第一书记 and 驻村干部 in post at some time of the year in the villages (and the 第一书记
    among them), poor villages (and those that exited, 出列, in the year), and
    poor villages with a working group / a 第一书记 in post at some time of the year (`active_during` for each
    row's own year)."""
    from django.db.models import Exists, F, IntegerField, OuterRef, Subquery, Sum
    from django.db.models.functions import Coalesce

    from wuzaicun.regions.selectors import by_area

    from ..models.dispatch import DispatchKind

    def in_post(queryset: QuerySet[Any]) -> QuerySet[Any]:
        year = OuterRef("year")
        return queryset.filter(Q(start__year__lte=year) & (Q(end__isnull=True) | Q(end__year__gte=year)),
                               village_id=OuterRef("village_id"))

    def counted(queryset: QuerySet[Any]) -> Coalesce:
        found = queryset.order_by().values("village_id").annotate(n=Count("id")).values("n")
        return Coalesce(Subquery(found, output_field=IntegerField()), 0)

    rows = scoped(VillageYear, user).annotate(
        sent=counted(in_post(scoped(Dispatch, user))),
        secretaries=counted(in_post(scoped(Dispatch, user)).filter(kind=DispatchKind.FIRST_SECRETARY)),
        has_group=Exists(in_post(scoped(WorkingGroup, user))),
        has_secretary=Exists(in_post(scoped(Dispatch, user)).filter(kind=DispatchKind.FIRST_SECRETARY)))
    return by_area(rows, within=within, width=width, dispatched=Sum("sent"), first_secretaries=Sum("secretaries"),
                   poor_villages=Count("id", filter=Q(is_poor=True)),
                   poor_villages_exited=Count("id", filter=Q(is_poor=True, exit_year=F("year"))),
                   poor_villages_with_group=Count("id", filter=Q(is_poor=True, has_group=True)),
                   poor_villages_with_first_secretary=Count("id", filter=Q(is_poor=True, has_secretary=True)))
