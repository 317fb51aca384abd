"""Each household's count of party-member helpers (助村) per year, kept up to date by the writes of the links.

`household_helpers_min3` asks, for every poor household, how many distinct party members help it in the
year through 助村 entries. Counting that from 4 M links took 4.7 s at province scale, near the limit of the
query (../shared/PERFORMANCE.md), so the count is stored (`HouseholdHelpers`) and the rule reads it (D23).

Every write that can change a count calls `recount_helpers` for the households it touched, inside its own
transaction: creating, changing and deleting an entry, the assignments import, the synthetic lists, and a
person's change of party membership (through `registry.changes`). A recount is computed from the links,
never adjusted by +1/−1, so a count is right whatever it was before. `helper_count_differences` compares
the stored counts with the links; `rebuild_helper_counts` recounts everything (`wuzaicun coverage
--check-counts` / `--rebuild-counts`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, QuerySet

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.registry.changes import on_party_membership_change
from wuzaicun.registry.models import PARTY_STATUSES, Household, Person

from ..duties import ListKind
from ..models import Assignment, AssignmentHousehold, HouseholdHelpers

CHUNK = 5_000  # household ids per statement: well under SQLite's limit on bound parameters

Households = Collection[int] | QuerySet[Household]


def counted_helpers(year: int | None = None) -> QuerySet[AssignmentHousehold, dict[str, Any]]:
    """(household_id, assignment__year, n): distinct party-member helpers per household and year, from the links.

    What the coverage rule counted before the counts were stored; rows only for households with a helper."""
    links = AssignmentHousehold.objects_unscoped.filter(
        assignment__kind=ListKind.HELPER, assignment__person__political_status__in=PARTY_STATUSES)
    if year is not None:
        links = links.filter(assignment__year=year)
    return (links.values("household_id", "assignment__year")
            .annotate(n=Count("assignment__person", distinct=True)).order_by())


def recount_helpers(households: Households, *, year: int | None = None) -> int:
    """Make the stored counts of these households (in `year`, or in every year) what the links say.

    Runs inside the caller's transaction. Given ids, it first locks those households (in id order, so two
    writers never deadlock): on PostgreSQL two entries helping the same household may be saved at once,
    and the second recount must see the first one's links. Returns the number of counts stored."""
    if isinstance(households, QuerySet):
        return _recount(households.values("pk"), year)
    ids = sorted(set(households))
    stored = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        if connection.features.has_select_for_update:
            list(Household.objects_unscoped.select_for_update().filter(pk__in=chunk).order_by("pk")
                 .values_list("pk", flat=True))
        stored += _recount(chunk, year)
    return stored


def _recount(households: Any, year: int | None) -> int:
    """DELETE the households' counts, then INSERT … SELECT them from the links: they never pass through Python.

    The SELECT is written by hand so that the households drive it: `CROSS JOIN` makes SQLite loop over the
    links of these households first (their (household, assignment) index), then look up each entry and its
    person. Left to choose, SQLite started from every helper entry of the year and looked for each of the
    households among its links: 6 s to recount 3 households at province scale, 106 s for 2,000. PostgreSQL
    reads CROSS JOIN as an inner join and plans it from its statistics."""
    if isinstance(households, QuerySet):
        inner, inner_params = households.query.sql_with_params()
        within, within_params = f"IN ({inner})", list(inner_params)
    else:
        within, within_params = f"IN ({', '.join(['%s'] * len(households))})", list(households)
    q = connection.ops.quote_name
    counts, links, entries = (q(HouseholdHelpers._meta.db_table), q(AssignmentHousehold._meta.db_table),
                              q(Assignment._meta.db_table))
    people = q(Person._meta.db_table)
    in_year, year_params = (" AND year = %s", [year]) if year is not None else ("", [])
    of_year = " AND a.year = %s" if year is not None else ""
    party = ", ".join(["%s"] * len(PARTY_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {counts} WHERE household_id {within}{in_year}",  # noqa: S608 - our names
                       within_params + year_params)
        cursor.execute(
            f"INSERT INTO {counts} (household_id, year, helpers) "  # noqa: S608 - our names; values bound
            f"SELECT l.household_id, a.year, COUNT(DISTINCT a.person_id) FROM {links} l "
            f"CROSS JOIN {entries} a CROSS JOIN {people} p "
            f"WHERE l.household_id {within} AND a.id = l.assignment_id AND p.id = a.person_id "
            f"AND a.kind = %s AND p.political_status IN ({party}){of_year} GROUP BY l.household_id, a.year",
            [*within_params, ListKind.HELPER.value, *PARTY_STATUSES, *year_params])
        return max(int(cursor.rowcount), 0)


def recount_helpers_of_people(person_ids: Collection[int]) -> None:
    """The households these people help (any year), recounted: their party membership changed."""
    households = AssignmentHousehold.objects_unscoped.filter(
        assignment__person_id__in=list(person_ids), assignment__kind=ListKind.HELPER,
    ).values_list("household_id", flat=True).distinct()
    recount_helpers(list(households))


on_party_membership_change("responsibility.helper_counts", recount_helpers_of_people)


def helper_count_differences(year: int | None = None) -> Iterator[tuple[int, int, int, int]]:
    """(household, year, stored, counted from the links) wherever they differ: empty when the counts are right."""
    stored = HouseholdHelpers.objects_unscoped.all()
    if year is not None:
        stored = stored.filter(year=year)
    held = {(h, y): n for h, y, n in stored.values_list("household_id", "year", "helpers").iterator(chunk_size=20_000)}
    for row in counted_helpers(year).iterator(chunk_size=20_000):
        key = (row["household_id"], row["assignment__year"])
        have = held.pop(key, 0)
        if have != row["n"]:
            yield (*key, have, row["n"])
    for (household, year_), have in sorted(held.items()):
        yield household, year_, have, 0


def rebuild_helper_counts(*, actor: Any, year: int | None = None) -> int:
    """Recount every household from the links (a repair, or after loading data around the services); audited."""
    require_perm(actor, Perm.CONFIGURE_RULES)
    with transaction.atomic(durable=True):
        _recount(Household.objects_unscoped.values("pk"), year)
        stored = HouseholdHelpers.objects_unscoped.filter(**({"year": year} if year is not None else {})).count()
        record(actor=actor, action=Action.UPDATE, object_type="household_helpers", object_id=year or "",
               summary=f"重新统计{f'{year}年' if year else '各年度'}助村党员数：{stored} 户")
    return stored
