"""Reads of regions: the tree from the user's scope down, with counts at each level (one query a count)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Substr

from wuzaicun.accounts.scope import get_for_user, prefix_for, scoped
from wuzaicun.core.errors import DomainError, NotFound

from .codes import ancestor_codes, prefix_of
from .models import Level, Region, VillageYear


def regions_for(user: Any) -> QuerySet[Region]:
    return scoped(Region, user)


def get_region_for_user(user: Any, code: str) -> Region:
    return get_for_user(Region, user, code=code)


def get_village_for_user(user: Any, code: str, *, field: str = "村") -> Region:
    """A village (村/社区) in scope chosen for a write: one missing or out of scope is not confirmed (NotFound,
    naming the field and the code); another level is refused by name."""
    try:
        region = get_for_user(Region, user, code=code)
    except NotFound:
        raise NotFound(f"{field}“{code}”不存在或不在您的管辖范围内") from None
    if region.level != Level.VILLAGE:
        raise DomainError(f"“{region.name}”不是村（社区），请选择村（社区）", field=field)
    return region


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


@dataclass
class TreeNode:
    """A region in the side tree of list pages; `children` None means not loaded yet (htmx loads them)."""

    region: Region
    children: list[TreeNode] | None = None

    @property
    def is_leaf(self) -> bool:
        return self.region.level >= Level.VILLAGE


def region_tree(user: Any, selected: str | None = None) -> TreeNode | None:
    """The user's scope region with its children, and the path down to `selected` opened (one query)."""
    root_code = getattr(user, "scope_id", None)
    if not root_code:
        return None
    try:
        root = get_region_for_user(user, root_code)
    except NotFound:
        return None
    opened = {root.code}
    if selected and selected.isdigit() and len(selected) == 12 and selected.startswith(prefix_of(root.code)):
        opened.update(c for c in [*ancestor_codes(selected), selected] if c.startswith(prefix_of(root.code)))
    by_parent: dict[str, list[TreeNode]] = {}
    for region in scoped(Region, user).filter(parent_id__in=opened).order_by("code"):
        by_parent.setdefault(region.parent_id or "", []).append(TreeNode(region))

    def attach(node: TreeNode) -> TreeNode:
        if node.region.code in by_parent:
            node.children = [attach(child) for child in by_parent[node.region.code]]
        return node

    return attach(TreeNode(root))


def tree_nodes(user: Any, region: Region) -> list[TreeNode]:
    """The children of one tree node, for the htmx request that opens it."""
    return [TreeNode(child) for child in children_in_scope(user, region)]


def village_year_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """The year's village facts in scope (one aggregate query): poor villages, those that exited (出列) in the
    year, weak-organisation and ethnic-minority villages, and demonstration sites by level."""
    from wuzaicun.accounts.scope import narrowed

    from .models import Demonstration

    found = narrowed(scoped(VillageYear, user), region).filter(year=year).aggregate(
        villages=Count("id"), poor=Count("id", filter=Q(is_poor=True)),
        exited=Count("id", filter=Q(is_poor=True, exit_year=year)),
        weak=Count("id", filter=Q(is_weak_organisation=True)), ethnic=Count("id", filter=Q(is_ethnic_minority=True)),
        provincial=Count("id", filter=Q(demonstration=Demonstration.PROVINCIAL)),
        city=Count("id", filter=Q(demonstration=Demonstration.CITY)),
        county=Count("id", filter=Q(demonstration=Demonstration.COUNTY)))
    return {key: int(value or 0) for key, value in found.items()}


AreaYear = tuple[str, int]


def by_area(queryset: QuerySet[Any], *, within: str, width: int, year: str | int = "year",
            **aggregates: Any) -> dict[AreaYear, dict[str, Any]]:
    """A scoped queryset's aggregates grouped by the first `width` digits of the code of the region each record
    concerns (its `scope_path`) and by `year` (a lookup to the year; or the year itself, an int, when the caller
    has already kept the records of one year: then grouped by area only), under the prefix `within`: one query,
    whatever the number of areas. {(code prefix, year): {aggregate: value}}."""
    path: str = queryset.model.scope_path
    column = f"{path.removesuffix('__code')}_id" if path.endswith("__code") else path
    year_of = Value(year, output_field=IntegerField()) if isinstance(year, int) else F(year)
    rows = (queryset.filter(**{f"{path}__within": within})
            .annotate(area_=Substr(column, 1, width), year_=year_of)
            .values("area_", "year_").annotate(**aggregates).order_by())
    return {(row.pop("area_"), int(row.pop("year_"))): row for row in rows if row["year_"] is not None}


def merged(*parts: dict[AreaYear, dict[str, Any]]) -> dict[AreaYear, dict[str, Any]]:
    """Several `by_area` results as one: {(code prefix, year): every part's values}."""
    out: dict[AreaYear, dict[str, Any]] = {}
    for part in parts:
        for key, values in part.items():
            out.setdefault(key, {}).update(values)
    return out


def poor_village_years(user: Any) -> QuerySet[VillageYear]:
    """The 村情 rows of poor villages in scope (every year): what the breakdowns count poor villages from."""
    return scoped(VillageYear, user).filter(is_poor=True)
def village_years_of(user: Any, code: str) -> list[VillageYear]:
    """一村一档: the village's 村情 of every year (poor / weak / ethnic, exit, demonstration), newest first; one query."""
    return list(scoped(VillageYear, user).filter(village_id=code).order_by("-year"))
