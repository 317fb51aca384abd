"""Reads of the ledger: lines with their quarter's reconciliation, the review queue, visits and missed visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped

from .duties import ListKind
from .models import AssignmentHousehold, LedgerLine, Reconciliation, ReopenRequest, Visit


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def lines_for(user: Any, *, year: int, region: str | None = None, person_id: int | None = None) -> QuerySet[LedgerLine]:
    queryset = narrowed(scoped(LedgerLine, user), region).filter(year=year)
    if person_id is not None:
        queryset = queryset.filter(assignment__person_id=person_id)
    return queryset.select_related("assignment__person", "assignment__team", "assignment__village").prefetch_related(
        Prefetch("reconciliations", queryset=scoped(Reconciliation, user).order_by("quarter"))
    ).order_by("assignment__kind", "assignment_id", "pk")


def get_line_for_user(user: Any, pk: int) -> LedgerLine:
    return get_for_user(
        scoped(LedgerLine, user).select_related("assignment__person", "assignment__team", "assignment__village"),
        user, pk=pk,
    )


def review_queue(user: Any, *, year: int | None = None, quarter: int | None = None, q: str = "") -> QuerySet[Reconciliation]:
    """Reconciliations waiting for review (待审核) in scope, oldest first; by the line's year and quarter, and
    by village name, commitment or submitter's name."""
    queryset = scoped(Reconciliation, user).filter(state="pending")
    if year:
        queryset = queryset.filter(line__year=year)
    if quarter:
        queryset = queryset.filter(quarter=quarter)
    if q.strip():
        text = q.strip()
        queryset = queryset.filter(Q(line__assignment__village__name__contains=text) | Q(line__commitment__contains=text)
                                   | Q(submitted_by__full_name__contains=text))
    return (
        queryset
        .select_related("line__assignment__village", "line__assignment__person", "line__assignment__team",
                        "submitted_by")
        .prefetch_related("evidence").order_by("submitted_at")
    )


def reopen_queue(user: Any) -> QuerySet[ReopenRequest]:
    return scoped(ReopenRequest, user).filter(decision="pending").select_related(
        "line__assignment__village", "requested_by").order_by("requested_at")


def visits_in_quarter(user: Any, line: LedgerLine, quarter: int) -> QuerySet[Visit]:
    start, end = quarter_bounds(line.year, quarter)
    if line.assignment.person_id is None:  # a team's entry: teams do not visit households
        return scoped(Visit, user).none()
    return scoped(Visit, user).filter(
        person_id=line.assignment.person_id, household__assignment_links__assignment=line.assignment,
        visited_on__range=(start, end),
    ).select_related("household").prefetch_related("evidence").order_by("visited_on")


def unvisited(user: Any, *, year: int, quarter: int, region: str | None = None, person_id: int | None = None) -> QuerySet[AssignmentHousehold]:
    """Helper-household pairs (助村) with no visit by that helper in the quarter: flagged on the boards."""
    start, end = quarter_bounds(year, quarter)
    visited = scoped(Visit, user).filter(
        person_id=OuterRef("assignment__person_id"), household_id=OuterRef("household_id"),
        visited_on__range=(start, end),
    )
    links = narrowed(scoped(AssignmentHousehold, user), region).filter(
        assignment__year=year, assignment__kind=ListKind.HELPER)
    if person_id is not None:
        links = links.filter(assignment__person_id=person_id)
    return links.filter(~Exists(visited)).select_related("assignment__person", "household").order_by(
        "assignment__person_id", "household_id")


def late_lines(user: Any, *, year: int, quarter: int, region: str | None = None) -> QuerySet[LedgerLine]:
    """Locked lines whose quarter's reconciliation is missing (due), after the quarter has ended (late)."""
    return narrowed(scoped(LedgerLine, user), region).filter(year=year, status="locked").exclude(
        Q(reconciliations__quarter=quarter))


def visits_for(user: Any, *, person_id: int | None = None, household_id: int | None = None) -> QuerySet[Visit]:
    queryset = scoped(Visit, user)
    if person_id is not None:
        queryset = queryset.filter(person_id=person_id)
    if household_id is not None:
        queryset = queryset.filter(household_id=household_id)
    return queryset.order_by("-visited_on", "-pk")


def reconciliations_due(user: Any, *, year: int, quarter: int) -> int:
    """Locked lines in scope with no reconciliation for the quarter yet (待对账)."""
    return scoped(LedgerLine, user).filter(year=year, status="locked").exclude(
        reconciliations__quarter=quarter).count()
