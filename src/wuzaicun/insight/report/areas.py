"""A few key figures of the year by child area (the city's counties, a county's townships, a township's villages),
for the report's table and charts: one GROUP BY query per mechanism whatever the number of areas.

Each query starts from a selector of the mechanism that owns the data (so it is already scoped to the user) and
groups by the prefix of the region code that names the child area (2/4/6/9/12 digits). When the dashboards'
breakdown selectors land, these can read them instead (`# lead:` note in docs/insight.md, I33).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from wuzaicun.accounts.scope import narrowed
from wuzaicun.cadres.models import DispatchKind
from wuzaicun.cadres.selectors.dispatch import dispatches_for
from wuzaicun.organization.selectors.economy import village_economy
from wuzaicun.regions.codes import PREFIX_LENGTHS
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.selectors import children_in_scope, village_years_for
from wuzaicun.registry.selectors import households_for

# The columns of the table by area: (key, header, unit), in the order printed.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("poor_villages", "贫困村", "个"),
    ("exited", "当年出列", "个"),
    ("dispatched", "选派第一书记和驻村干部", "人"),
    ("first_secretaries", "其中第一书记", "人"),
    ("villages_with_entity", "有集体经济实体的村", "个"),
    ("households", "建档立卡贫困户", "户"),
    ("households_exited", "当年脱贫户", "户"),
)
KEYS = tuple(key for key, _, _ in COLUMNS)


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    values: dict[str, int]


@dataclass(frozen=True)
class Breakdown:
    """The child areas of `parent` (a region) with the key figures of each, and their total."""

    parent: Region
    child_level: int
    rows: list[AreaRow] = field(default_factory=list)

    @property
    def child_kind(self) -> str:
        """县（市、区）, 乡（镇、街道）, 村（社区）: how the table's first column is headed."""
        return str(Level(self.child_level).label)

    def total(self) -> dict[str, int]:
        return {key: sum(row.values[key] for row in self.rows) for key in KEYS}


def _grouped(queryset: QuerySet[Any], column: str, width: int, **counts: Any) -> dict[str, dict[str, int]]:
    """{child prefix: {name: count}}: the queryset grouped by the first `width` digits of `column`."""
    rows = (queryset.order_by().annotate(area=Substr(column, 1, width)).values("area").annotate(**counts)
            .values("area", *counts))
    return {row["area"]: {name: int(row[name] or 0) for name in counts} for row in rows}


def figures_by_area(user: Any, *, year: int, parent: Region) -> Breakdown | None:
    """The year's key figures for each child area of `parent` in the user's scope (five queries: the children,
    then one per mechanism); None for a village (it has no child areas)."""
    if parent.level >= Level.VILLAGE:
        return None
    child_level = parent.level + 1
    width = PREFIX_LENGTHS[child_level]
    code = parent.code
    children = children_in_scope(user, parent)
    villages = _grouped(narrowed(village_years_for(user, year=year), code), "village_id", width,
                        poor_villages=Count("id", filter=Q(is_poor=True)),
                        exited=Count("id", filter=Q(is_poor=True, exit_year=year)))
    dispatched = _grouped(dispatches_for(user, year=year, region=code), "village_id", width,
                          dispatched=Count("id"), first_secretaries=Count("id", filter=Q(kind=DispatchKind.FIRST_SECRETARY)))
    economy = _grouped(village_economy(user, year=year, region=code), "code", width,
                       villages_with_entity=Count("code", filter=Q(has_entity=True)))
    households = _grouped(narrowed(households_for(user), code).filter(identified_year__lte=year),
                          "region_id", width, households=Count("id"), households_exited=Count("id", filter=Q(exit_year=year)))
    rows = []
    for child in children:
        key = child.code[:width]
        values: dict[str, int] = {}
        for found in (villages, dispatched, economy, households):
            values.update(found.get(key, {}))
        rows.append(AreaRow(child.code, child.name, {k: values.get(k, 0) for k in KEYS}))
    return Breakdown(parent=parent, child_level=child_level, rows=rows)
