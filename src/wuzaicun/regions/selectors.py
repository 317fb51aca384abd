"""Reads of regions: the tree from the user's scope down, with counts at each level (one query a count)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from wuzaicun.accounts.scope import get_for_user, prefix_for, scoped

from .codes import ancestor_codes
from .models import Level, Region, VillageYear


def regions_for(user: Any) -> QuerySet[Region]:
    return scoped(Region, user)


def get_region_for_user(user: Any, code: str) -> Region:
    return get_for_user(Region, user, code=code)


def village_years_for(user: Any, *, year: int | None = None) -> QuerySet[VillageYear]:
    queryset = scoped(VillageYear, user).select_related("village")
    return queryset.filter(year=year) if year is not None else queryset


def breadcrumb(user: Any, region: Region) -> list[Region]:
    """The region's ancestors the user may open (from the top of their scope), then the region."""
    prefix = prefix_for(user) or "\x00"
    codes = [c for c in ancestor_codes(region.code) if c.startswith(prefix)]
    found = {r.code: r for r in scoped(Region, user).filter(code__in=codes)}
    return [found[c] for c in codes if c in found] + [region]


def latest_year(user: Any) -> int | None:
    row = scoped(VillageYear, user).order_by("-year").values_list("year", flat=True).first()
    return row


def children_in_scope(user: Any, region: Region) -> list[Region]:
    return list(scoped(Region, user).filter(parent=region).order_by("code"))


def village_counts_by_prefix(user: Any, base: str, width: int, *, year: int | None) -> dict[str, tuple[int, int]]:
    """{code prefix of `width` digits: (villages, poor villages in `year`)} under `base`, in scope."""
    villages = dict(
        scoped(Region, user)
        .filter(code__within=base, level=Level.VILLAGE)
        .annotate(p=Substr("code", 1, width))
        .values_list("p")
        .annotate(n=Count("code"))
        .values_list("p", "n")
    )
    poor: dict[str, int] = {}
    if year is not None:
        poor = dict(
            scoped(VillageYear, user)
            .filter(village__code__within=base, year=year, is_poor=True)
            .annotate(p=Substr("village_id", 1, width))
            .values_list("p")
            .annotate(n=Count("id"))
            .values_list("p", "n")
        )
    return {key: (villages.get(key, 0), poor.get(key, 0)) for key in villages.keys() | poor.keys()}


def region_counts(user: Any) -> dict[str, int]:
    """Counties, townships and villages in the user's scope."""
    return scoped(Region, user).aggregate(
        counties=Count("code", filter=Q(level=Level.COUNTY)),
        townships=Count("code", filter=Q(level=Level.TOWNSHIP)),
        villages=Count("code", filter=Q(level=Level.VILLAGE)),
    )


def poor_village_count(user: Any, year: int | None) -> int:
    return scoped(VillageYear, user).filter(year=year, is_poor=True).count() if year else 0


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """{code: name} for the given 12-digit codes: division names are public (统计用区划代码)."""
    wanted = sorted(set(codes))
    names: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        names.update(Region.objects_unscoped.filter(code__in=wanted[start:start + 500]).values_list("code", "name"))
    return names
