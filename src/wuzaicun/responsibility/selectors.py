"""Reads of the lists: entries scoped to the user, the year's settings, the board's counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped

from .duties import ListKind
from .models import Assignment, AssignmentHousehold, ResponsibilityYear, RuleSetting, Visit


def years() -> list[int]:
    return list(ResponsibilityYear.objects_unscoped.order_by("-year").values_list("year", flat=True))


def working_year() -> int:
    """The year users work in (工作年度): the one the city administrator set, else the latest year of lists,
    else the calendar year (nothing set up yet). Pages and commands default to it, never to the calendar."""
    row = ResponsibilityYear.objects_unscoped.order_by("-is_working", "-year").values_list("year", flat=True).first()
    return row or timezone.localdate().year


def year_choices(selected: int | None = None) -> list[int]:
    """The years a year selector offers: every year of lists, and the one shown, newest first."""
    known = set(years())
    if selected:
        known.add(selected)
    return sorted(known or {working_year()}, reverse=True)


def year_rules(year: int) -> list[dict[str, Any]]:
    """The year's rules as the command line and the API give them: code, title, enabled, thresholds."""
    from .rules import effective_rules

    return [{"code": r.spec.code, "title": r.spec.title, "enabled": r.enabled, "threshold": r.threshold,
             "default_threshold": r.spec.default_threshold} for r in effective_rules(rule_settings(year))]


def year_context(year: int) -> dict[str, Any]:
    """What a page's year selector (`_year_select.html`) needs."""
    return {"year": year, "years": year_choices(year), "working_year": working_year()}


def get_year(year: int) -> ResponsibilityYear | None:
    return ResponsibilityYear.objects_unscoped.filter(year=year).first()


def due_date(year: int) -> dt.date:
    configured = ResponsibilityYear.objects_unscoped.filter(year=year).values_list("due_date", flat=True).first()
    return configured or ResponsibilityYear.default_due_date(year)


def rule_settings(year: int) -> dict[str, tuple[bool, int | None]]:
    """{rule code: (enabled, threshold)} as configured for the year."""
    rows = RuleSetting.objects_unscoped.filter(year__year=year).values_list("code", "enabled", "threshold")
    return {code: (enabled, threshold) for code, enabled, threshold in rows}


def entries_for(
    user: Any, *, year: int, kind: str = "", region: str = "", q: str = "", household_counts: bool = True
) -> QuerySet[Assignment]:
    """The year's entries in scope. `household_counts` annotates each with its households (`households_helped`);
    a page of a list leaves it off and counts its own page only (`count_households`)."""
    queryset = narrowed(scoped(Assignment, user), region or None).filter(year=year)
    if kind:
        queryset = queryset.filter(kind=kind)
    if q:
        queryset = queryset.filter(
            Q(person__name__icontains=q) | Q(team__name__icontains=q) | Q(village__name__icontains=q)
        )
    queryset = queryset.select_related("person", "team", "village")
    return queryset.annotate(household_count=households_helped()) if household_counts else queryset


def households_helped() -> Subquery:
    """An entry's households: a COUNT per entry over the (assignment, household) unique index.

    Not `Count("household_links")`: that joins the links and groups every entry by all its selected columns
    (the entry's, its person's, team's and village's), which took seconds for a city's 49,000 entries.
    """
    links = AssignmentHousehold.objects_unscoped.filter(assignment=OuterRef("pk")).order_by()
    return Subquery(links.values(n=Func(F("pk"), function="COUNT")), output_field=IntegerField())


# The columns of a 责任清单 row, read as values (no model instances): who (person or team), post, village,
# households, duties, goal, entered.
LIST_ROW_FIELDS = ("person__name", "team__name", "stationed_post", "person__post", "village__name",
                   "household_count", "duties", "goal", "created_at")


def list_rows(user: Any, *, year: int, kind: str, region: str = "") -> QuerySet[Assignment, tuple[Any, ...]]:
    """One list's rows in scope, by village, for the workbook (`exports.export_lists`): stream with iterator()."""
    return entries_for(user, year=year, kind=kind, region=region).order_by("village_id", "pk").values_list(
        *LIST_ROW_FIELDS)


def count_entries(user: Any, *, year: int, region: str = "") -> int:
    """The year's entries of the five lists in scope (one COUNT): what decides a request or a job of 下载中心."""
    return entries_for(user, year=year, region=region, household_counts=False).count()


def in_list_order(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """The five lists in the seed's order (帮村, 联村, 驻村, 助村, 带村), then by village."""
    from django.db.models import Case, IntegerField, Value, When

    order = Case(*(When(kind=kind, then=Value(index)) for index, kind in enumerate(ListKind.values)),
                 output_field=IntegerField())
    return queryset.order_by(order, "village_id", "pk")


def count_households(user: Any, entries: list[Assignment]) -> list[Assignment]:
    """Set `household_count` on a page of entries, in one grouped query over those entries only."""
    from .models import AssignmentHousehold

    counts = dict(scoped(AssignmentHousehold, user).filter(assignment__in=[e.pk for e in entries])
                  .values("assignment").annotate(n=Count("id")).values_list("assignment", "n"))
    for entry in entries:
        entry.household_count = counts.get(entry.pk, 0)  # type: ignore[attr-defined]
    return entries


def get_entry_for_user(user: Any, pk: int) -> Assignment:
    return get_for_user(scoped(Assignment, user).select_related("person", "team", "village"), user, pk=pk)


def board_counts(user: Any, *, year: int) -> dict[str, dict[str, int]]:
    """Per list kind: entries, villages, people or teams, and entries after the due date."""
    due = due_date(year)
    late_from = dt.datetime.combine(due, dt.time.min)
    from django.utils import timezone

    rows = (
        scoped(Assignment, user).filter(year=year).values("kind")
        .annotate(
            entries=Count("id"),
            villages=Count("village", distinct=True),
            people=Count("person", distinct=True) + Count("team", distinct=True),
            late=Count("id", filter=Q(created_at__gte=timezone.make_aware(late_from))),
        )
        .order_by()
    )
    found = {row["kind"]: row for row in rows}
    return {
        kind: {k: found.get(kind, {}).get(k, 0) for k in ("entries", "villages", "people", "late")}
        for kind in ListKind.values
    }


def draw_population(user: Any, *, year: int, region: str | None) -> list[tuple[int, str, str]]:
    """(entry id, list kind, village code) of the year's entries in scope, for a spot-check draw."""
    rows = narrowed(scoped(Assignment, user), region).filter(year=year).values_list("pk", "kind", "village_id")
    return list(rows.order_by("pk").iterator(chunk_size=20000))


def get_helper_for_user(user: Any, pk: int) -> Any:
    """A person in scope, or one registered elsewhere (a county cadre, say) who holds an entry in scope:
    a village's board must reach everyone responsible for it."""
    from wuzaicun.core.errors import NotFound
    from wuzaicun.registry.models import Person

    person = scoped(Person, user).filter(pk=pk).first()
    if person is None:
        entry = scoped(Assignment, user).filter(person_id=pk).select_related("person").first()
        if entry is None or entry.person is None:
            raise NotFound()
        person = entry.person
    return person


def list_coverage(user: Any, *, year: int, region: str | None = None) -> dict[str, dict[str, int]]:
    """Per list kind (帮村, 联村, 驻村, 助村, 带村): the year's entries and the poor villages it covers, in scope
    (two aggregate queries)."""
    from django.db.models import Exists, OuterRef

    from wuzaicun.regions.models import VillageYear

    entries = narrowed(scoped(Assignment, user), region).filter(year=year)
    by_kind = dict(entries.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    covered = {kind: Exists(scoped(Assignment, user).filter(year=year, kind=kind, village_id=OuterRef("village_id")))
               for kind in ListKind.values}
    poor = narrowed(scoped(VillageYear, user), region).filter(year=year, is_poor=True).annotate(
        **{f"has_{kind}": condition for kind, condition in covered.items()})
    counts = poor.aggregate(**{kind: Count("id", filter=Q(**{f"has_{kind}": True})) for kind in ListKind.values})
    return {kind: {"entries": by_kind.get(kind, 0), "poor_villages": counts[kind]} for kind in ListKind.values}


def list_figures_by_area(user: Any, *, within: str, width: int) -> dict[tuple[str, int], dict[str, int]]:
    """Per child area (the first `width` digits of the village code, under `within`) and year, in scope: poor
    villages, the lists' entries, and poor villages with a 驻村 entry of their year (two grouped queries)."""
    from django.db.models import Exists, OuterRef

    from wuzaicun.regions.selectors import by_area, merged, poor_village_years

    stationed = Exists(scoped(Assignment, user).filter(kind=ListKind.STATIONED, year=OuterRef("year"),
                                                       village_id=OuterRef("village_id")))
    return merged(
        by_area(scoped(Assignment, user), within=within, width=width, list_entries=Count("id")),
        by_area(poor_village_years(user).annotate(has_stationed=stationed), within=within, width=width,
                poor_villages=Count("id"), poor_villages_with_stationed=Count("id", filter=Q(has_stationed=True))))


def reporting_by_area(user: Any, *, year: int, within: str, width: int) -> dict[str, dict[str, int]]:
    """Reporting completeness of the year per child area (the first `width` digits of the village code, under
    `within`), in scope (four grouped queries, no per-village subquery): `villages`, the year's 村情 rows;
    `lists_on_time`, villages with a list entry of the year entered before the year's due date (`due_date`: the
    lists are due before it, rule list_due_date); `with_ledger`, villages with ledger lines of the year;
    `reconciled_on_time`, villages with quarterly 对账 of the year all submitted by their due date
    (`indicators.reconcile_due`): villages with 对账 less those with a late one."""
    from wuzaicun.regions.models import VillageYear
    from wuzaicun.regions.selectors import by_area, merged

    from .indicators import _on_time
    from .models import LedgerLine, Reconciliation

    due = timezone.make_aware(dt.datetime.combine(due_date(year), dt.time.min))
    found = merged(
        by_area(scoped(VillageYear, user).filter(year=year), within=within, width=width, villages=Count("id")),
        by_area(scoped(Assignment, user).filter(year=year, created_at__lt=due), within=within, width=width,
                lists_on_time=Count("village_id", distinct=True)),
        by_area(scoped(LedgerLine, user).filter(year=year), within=within, width=width,
                with_ledger=Count("village_id", distinct=True)),
        by_area(scoped(Reconciliation, user).filter(line__year=year), within=within, width=width, year="line__year",
                reconciled=Count("line__village_id", distinct=True),
                late=Count("line__village_id", distinct=True, filter=~_on_time(year))))
    out: dict[str, dict[str, int]] = {}
    for (area, _), values in found.items():
        reconciled, late = values.pop("reconciled", 0), values.pop("late", 0)
        out[area] = {"villages": 0, "lists_on_time": 0, "with_ledger": 0, **values,
                     "reconciled_on_time": reconciled - late}
    return out
# --- 一村一档 and 一户一档 (insight reads these; a fixed number of queries whatever the village's size) -------

def village_entries(user: Any, code: str, *, year: int) -> list[Assignment]:
    """The village's entries of the year's five lists, in list order, with whom they name (one query)."""
    rows = scoped(Assignment, user).filter(village_id=code, year=year).select_related("person", "team")
    return list(in_list_order(rows))


def village_entry_years(user: Any, code: str) -> dict[int, int]:
    """历年: {year: entries of the village's lists} (one query)."""
    rows = (scoped(Assignment, user).filter(village_id=code).values("year").annotate(n=Count("id"))
            .values_list("year", "n").order_by("-year"))
    return dict(rows)


def village_ledger_counts(user: Any, code: str, *, year: int) -> dict[str, int]:
    """The village's ledger lines of the year by status, plus those listed for accountability (one query)."""
    from .models import LedgerLine, LineStatus

    found = scoped(LedgerLine, user).filter(village_id=code, year=year).aggregate(
        total=Count("id"), accountability=Count("id", filter=Q(accountability=True)),
        **{status.value: Count("id", filter=Q(status=status)) for status in LineStatus})
    return {key: int(value or 0) for key, value in found.items()}


def household_helper_entries(user: Any, household_id: int, *, year: int) -> list[Assignment]:
    """The year's list entries that name the household as one they help (助村 and others), with the person (one query)."""
    rows = scoped(Assignment, user).filter(year=year, household_links__household_id=household_id)
    return list(in_list_order(rows.select_related("person", "team")))  # a household is linked once an entry


def household_visits(user: Any, household_id: int, *, limit: int = 20) -> list[Visit]:
    """The household's most recent visits, with the visitor (one query)."""
    return list(scoped(Visit, user).filter(household_id=household_id).select_related("person")
                .order_by("-visited_on", "-id")[:limit])
