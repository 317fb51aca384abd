"""Reads of the registry, scoped to the user: people, households, the region tree with household counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr

from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.regions.codes import PREFIX_LENGTHS, prefix_of
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.selectors import by_area, children_in_scope, village_counts_by_prefix

from .fields import resident_id_hash
from .models import Household, HouseholdTally, Person, PovertyStatus
from .rules import normalise_resident_id


def people_for(user: Any, *, q: str = "", rank: str = "", region: str = "", party: str = "") -> QuerySet[Person]:
    queryset = scoped(Person, user).select_related("region", "unit")
    if region:
        queryset = queryset.filter(region__code__within=prefix_of(region) if len(region) == 12 else region)
    if rank:
        queryset = queryset.filter(rank=rank)
    if party == "1":
        queryset = queryset.filter(political_status__in=["中共党员", "中共预备党员"])
    if q:
        queryset = queryset.filter(_name_or_id(q, "name"))
    return queryset


def households_for(
    user: Any, *, q: str = "", status: str = "", region: str = "", cause: str = ""
) -> QuerySet[Household]:
    queryset = scoped(Household, user).select_related("region")
    if region:
        queryset = queryset.filter(region__code__within=prefix_of(region) if len(region) == 12 else region)
    if status:
        queryset = queryset.filter(status=status)
    if cause:
        queryset = queryset.filter(cause=cause)
    if q:
        queryset = queryset.filter(_name_or_id(q, "head_name"))
    return queryset


def _name_or_id(q: str, name_field: str) -> Q:
    """A search term is a name fragment, or a whole resident ID found through its blind index."""
    text = normalise_resident_id(q)
    if len(text) == 18 and text[:17].isdigit():
        return Q(resident_id_hash=resident_id_hash(text))
    return Q(**{f"{name_field}__icontains": q.strip()})


def get_household_for_user(user: Any, pk: int) -> Household:
    return get_for_user(scoped(Household, user).select_related("region"), user, pk=pk)


def get_person_for_user(user: Any, pk: int) -> Person:
    return get_for_user(scoped(Person, user).select_related("region", "unit"), user, pk=pk)


def household_totals(user: Any) -> dict[str, int]:
    return scoped(Household, user).aggregate(
        total=Count("id"), poor=Count("id", filter=Q(status=PovertyStatus.POOR))
    )


def household_counts_by_prefix(user: Any, base: str, width: int) -> dict[str, tuple[int, int]]:
    """{region prefix: (households, poor households)} under `base`, grouped in one query."""
    rows = (
        scoped(Household, user)
        .filter(region__code__within=base)
        .annotate(p=Substr("region_id", 1, width))
        .values("p")
        .annotate(total=Count("id"), poor=Count("id", filter=Q(status=PovertyStatus.POOR)))
        .values_list("p", "total", "poor")
    )
    return {p: (total, poor) for p, total, poor in rows}


@dataclass(frozen=True)
class TreeRow:
    region: Region
    villages: int
    poor_villages: int
    households: int
    poor_households: int


def tree_children(user: Any, region: Region, *, year: int | None) -> list[TreeRow]:
    """The region's children in scope with villages, poor villages, households and poor households."""
    if region.level >= Level.VILLAGE:
        return []
    children = children_in_scope(user, region)
    width = PREFIX_LENGTHS[region.level + 1]
    base = prefix_of(region.code)
    villages = village_counts_by_prefix(user, base, width, year=year)
    households = household_counts_by_prefix(user, base, width)
    rows = []
    for child in children:
        key = child.code[:width]
        village_total, poor_villages = villages.get(key, (0, 0))
        total, poor = households.get(key, (0, 0))
        rows.append(TreeRow(child, village_total, poor_villages, total, poor))
    return rows


def household_figures_by_area(user: Any, *, year: int, within: str, width: int) -> dict[tuple[str, int], dict[str, int]]:
    """Registered poor households as of `year` (identified by then, as `household_year_counts`) and those that
    left poverty in the year, per child area (the first `width` digits of the household's region code, under
    `within`), in scope (one grouped query over the households' tally, D47): {(prefix, year): {"poor_households": n, "households_exited": n}}."""
    return by_area(scoped(HouseholdTally, user).filter(identified_year__lte=year), within=within, width=width,
                   year=year, poor_households=Coalesce(Sum("n"), 0),
                   households_exited=Coalesce(Sum("n", filter=Q(exit_year=year)), 0))


def household_year_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """Registered poor households as of `year` (identified by then), those that left poverty in the year, and
    those still poor at its end (one aggregate query over the households' tally, D47: a few rows a village)."""
    from wuzaicun.accounts.scope import narrowed

    found = narrowed(scoped(HouseholdTally, user), region).filter(identified_year__lte=year).aggregate(
        households=Sum("n"), exited=Sum("n", filter=Q(exit_year=year)),
        poor=Sum("n", filter=Q(exit_year=0) | Q(exit_year__gt=year)))  # the tally's 0: not exited
    return {key: int(value or 0) for key, value in found.items()}
