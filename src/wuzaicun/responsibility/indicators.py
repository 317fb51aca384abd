"""Indicators the annual assessment computes from the lists and the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, Exists, FilteredRelation, OuterRef, Q, Subquery, When
from django.db.models.functions import Substr
from django.utils import timezone

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.indicators import (
    IndicatorProvider,
    PersonIndicatorProvider,
    Source,
    keep_asked,
    person_lookup,
    register_indicator,
    register_person_indicator,
    share,
)
from wuzaicun.regions.codes import PREFIX_LENGTHS, common_prefix

from .models import LedgerLine, LineStatus


def _by_prefix(values: dict[str, tuple[int, int]], codes: Sequence[str], level: int) -> dict[str, Decimal]:
    width = PREFIX_LENGTHS[level]
    return {code: share(*values.get(code[:width], (0, 0))) for code in codes}


def ledger_fulfilment(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    """Share of the year's ledger lines fulfilled (兑现), or still open and not found 不到位 by a spot check."""
    width = PREFIX_LENGTHS[level]
    good = Q(status=LineStatus.FULFILLED) | (
        Q(status__in=[LineStatus.LOCKED, LineStatus.DRAFT]) & ~Q(spot_check_result="not_in_place")
    )
    rows = (
        LedgerLine.objects_unscoped.filter(year=year, village__code__within=common_prefix(c[:width] for c in codes))
        .annotate(p=Substr("village_id", 1, width))
        .values("p").annotate(total=Count("id", distinct=True), good=Count("id", distinct=True, filter=good))
        .values_list("p", "good", "total")
    )
    return _by_prefix({p: (good_, total) for p, good_, total in rows}, codes, level)


register_indicator(IndicatorProvider(
    "ledger_fulfilment", "责任台账兑现率", "responsibility", ledger_fulfilment,
    "已兑现，或尚未销账且未被抽查为“不到位”的台账条目占比",
))


def household_coverage(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    """Share of the poor households helped by at least three party members (助村) this year (the stored
    counts, as the coverage rule reads them: D23).

    A left join on the counts' unique (household, year) index, like the coverage rule: on PostgreSQL at province
    scale 0.6 s against 1.1 s for `id IN (households with enough helpers)`; only the subjects' common code range
    is read (a county's ranking no longer scans the province)."""
    from wuzaicun.registry.models import Household

    if not codes:
        return {}
    width = PREFIX_LENGTHS[level]
    rows = (
        Household.objects_unscoped.filter(status="未脱贫", region__code__within=common_prefix(c[:width] for c in codes))
        .order_by().annotate(counted=FilteredRelation("helper_counts", condition=Q(helper_counts__year=year)))
        .annotate(p=Substr("region_id", 1, width)).values("p")
        .annotate(total=Count("id"), helped=Count("id", filter=Q(counted__helpers__gte=3)))
        .values_list("p", "helped", "total")
    )
    return _by_prefix({p: (helped, total) for p, helped, total in rows}, codes, level)


register_indicator(IndicatorProvider(
    "household_coverage", "贫困户帮扶全覆盖", "responsibility", household_coverage,
    "至少由3名党员干部助村的未脱贫户占比",
))


# --- person indicators (六定一化考核 of cadres asks them through core.indicators) ------------------------------
# A person with no list entry (清单条目) in the year has no data: None, shown 缺数据 and never scored 0. A person
# with entries but nothing of a kind to count scores 100 (share(): nothing failed), as the region indicators do.

def people_with_entries(year: int, person_ids: Sequence[int]) -> set[int]:
    from .models import Assignment

    return set(Assignment.objects_unscoped.filter(year=year, **person_lookup("person_id", person_ids))
               .order_by().values_list("person_id", flat=True).distinct())


def _shares(year: int, person_ids: Sequence[int], counts: dict[int, tuple[int, int]]) -> dict[int, Decimal | None]:
    listed = people_with_entries(year, person_ids)
    return keep_asked(person_ids, {pk: share(*counts.get(pk, (0, 0))) for pk in listed})


def _last_on_track() -> Subquery:
    from .models import Reconciliation

    return Subquery(Reconciliation.objects_unscoped.filter(line=OuterRef("pk")).order_by("-quarter")
                    .values("on_track")[:1])


def _line_on_track() -> Q:
    """Fulfilled (兑现), or still open, its latest 对账 on track (or none yet) and not found 不到位 by a spot check."""
    return Q(status=LineStatus.FULFILLED) | (
        Q(status__in=[LineStatus.LOCKED, LineStatus.DRAFT]) & ~Q(spot_check_result="not_in_place")
        & (Q(last_on_track__isnull=True) | Q(last_on_track=True)))


def person_ledger_fulfilment(year: int, person_ids: Sequence[int]) -> dict[int, Decimal | None]:
    """Share of the person's ledger lines of the year fulfilled or on track (two queries whatever the number)."""
    rows = (LedgerLine.objects_unscoped.filter(year=year, **person_lookup("assignment__person_id", person_ids))
            .annotate(last_on_track=_last_on_track()).values("assignment__person_id")
            .annotate(total=Count("id"), good=Count("id", filter=_line_on_track()))
            .values_list("assignment__person_id", "good", "total"))
    return _shares(year, person_ids, {pk: (good, total) for pk, good, total in rows})


def reconcile_due(year: int, quarter: int) -> dt.date:
    """A quarter's 对账 is due by the 15th of the month after the quarter (Q4: 15 January of the next year)."""
    return dt.date(year + 1, 1, 15) if quarter == 4 else dt.date(year, 3 * quarter + 1, 15)


def _on_time(year: int) -> Q:
    on_time = Q(pk__in=[])
    for quarter in (1, 2, 3, 4):
        limit = timezone.make_aware(dt.datetime.combine(reconcile_due(year, quarter) + dt.timedelta(days=1), dt.time()))
        on_time |= Q(quarter=quarter, submitted_at__lt=limit)
    return on_time


def person_reconcile_on_time(year: int, person_ids: Sequence[int]) -> dict[int, Decimal | None]:
    """Share of the quarterly 对账 of the person's lines submitted by the due date (reconcile_due); a quarter not
    reconciled at all is the ledger's own 待对账 and is not counted here."""
    from .models import Reconciliation

    rows = (Reconciliation.objects_unscoped.filter(line__year=year,
                                                   **person_lookup("line__assignment__person_id", person_ids))
            .values("line__assignment__person_id")
            .annotate(total=Count("id"), good=Count("id", filter=_on_time(year)))
            .values_list("line__assignment__person_id", "good", "total"))
    return _shares(year, person_ids, {pk: (good, total) for pk, good, total in rows})


def _visited(year: int) -> Exists:
    from .models import Visit

    return Exists(Visit.objects_unscoped.filter(
        person_id=OuterRef("assignment__person_id"), household_id=OuterRef("household_id"),
        visited_on__gte=dt.date(year, 1, 1), visited_on__lte=dt.date(year, 12, 31)))


def person_visit_coverage(year: int, person_ids: Sequence[int]) -> dict[int, Decimal | None]:
    """Share of the households linked to the person's entries of the year that the person visited in the year."""
    from .models import AssignmentHousehold

    rows = (AssignmentHousehold.objects_unscoped.filter(
                assignment__year=year, **person_lookup("assignment__person_id", person_ids))
            .annotate(visited=_visited(year)).values("assignment__person_id")
            .annotate(total=Count("household_id", distinct=True),
                      good=Count("household_id", distinct=True, filter=Q(visited=True)))
            .values_list("assignment__person_id", "good", "total"))
    return _shares(year, person_ids, {pk: (good, total) for pk, good, total in rows})


def _person_url(year: int, person_id: int) -> str:
    from django.urls import reverse

    return f"{reverse('responsibility:ledger_person', args=[person_id])}?year={year}"


def ledger_sources(user: Any, year: int, person_id: int) -> list[Source]:
    lines = (scoped(LedgerLine, user).filter(year=year, assignment__person_id=person_id)
             .annotate(last_on_track=_last_on_track(), good=Case(When(_line_on_track(), then=True), default=False))
             .select_related("assignment__village").order_by("pk"))
    url = _person_url(year, person_id)
    return [Source("台账条目", f"{line.assignment.village.name}：{line.commitment}",
                   f"{line.get_status_display()}，{'计为兑现或进度正常' if line.good else '计为未兑现或滞后'}",
                   url) for line in lines]


def reconcile_sources(user: Any, year: int, person_id: int) -> list[Source]:
    from .models import Reconciliation

    rows = (scoped(Reconciliation, user).filter(line__year=year, line__assignment__person_id=person_id)
            .select_related("line").order_by("line_id", "quarter"))
    url = _person_url(year, person_id)
    out = []
    for r in rows:
        due = reconcile_due(year, r.quarter)
        on = timezone.localtime(r.submitted_at).date()
        out.append(Source("季度对账", f"{r.line.commitment} 第{r.quarter}季度，{on:%Y-%m-%d}提交（截止{due:%Y-%m-%d}）",
                          "按时" if on <= due else "逾期", url))
    return out


def visit_sources(user: Any, year: int, person_id: int) -> list[Source]:
    from .models import AssignmentHousehold, Visit

    households = dict(scoped(AssignmentHousehold, user).filter(assignment__year=year,
                                                                  assignment__person_id=person_id)
                      .values_list("household_id", "household__head_name"))
    visits: dict[int, dt.date] = {}
    for household, day in scoped(Visit, user).filter(
            person_id=person_id, household_id__in=list(households), visited_on__gte=dt.date(year, 1, 1),
            visited_on__lte=dt.date(year, 12, 31)).order_by("visited_on").values_list("household_id", "visited_on"):
        visits.setdefault(household, day)
    url = _person_url(year, person_id)
    return [Source("帮扶户", f"户主 {name}", f"{visits[pk]:%Y-%m-%d}已走访" if pk in visits else "本年未走访", url)
            for pk, name in sorted(households.items())]


register_person_indicator(PersonIndicatorProvider(
    "person_ledger_fulfilment", "责任台账兑现率", "responsibility", person_ledger_fulfilment, ledger_sources,
    "本人当年台账条目中已兑现，或尚未销账、最近一次对账进度正常且未被抽查为“不到位”的占比；未列入任何清单的为缺数据",
))
register_person_indicator(PersonIndicatorProvider(
    "person_reconcile_on_time", "按时对账率", "responsibility", person_reconcile_on_time, reconcile_sources,
    "本人台账条目已提交的季度对账中，在季度结束后次月15日（含）前提交的占比；未列入任何清单的为缺数据",
))
register_person_indicator(PersonIndicatorProvider(
    "person_visit_coverage", "帮扶户走访覆盖率", "responsibility", person_visit_coverage, visit_sources,
    "本人当年清单所联系的帮扶户中，本人当年走访过的户数占比；未列入任何清单的为缺数据",
))
