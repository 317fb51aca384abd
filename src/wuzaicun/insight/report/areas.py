"""A few key figures of the year by child area (the city's counties, a county's townships, a township's villages),
for the report's table and charts: the dashboards' breakdown (`figures.areas.area_table`, I33), laid out with the
children's names. No query of its own beyond the children in scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.selectors import children_in_scope

from ..figures.areas import AREA_TABLE, area_table

# The columns of the table by area: (key, header, unit), in the order printed.
COLUMNS: tuple[tuple[str, str, str], ...] = tuple((f.key, f.label, f.unit) for f in AREA_TABLE)
KEYS = tuple(key for key, _, _ in COLUMNS)


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    values: dict[str, int]


@dataclass(frozen=True)
class Breakdown:
    """The child areas of `parent` (a region) with the key figures of each, and the area's total (records of the
    area in no child included, as the dashboards' 合计)."""

    parent: Region
    child_level: int
    rows: list[AreaRow] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def child_kind(self) -> str:
        """县（市、区）, 乡（镇、街道）, 村（社区）: how the table's first column is headed."""
        return str(Level(self.child_level).label)


def figures_by_area(user: Any, *, year: int, parent: Region) -> Breakdown | None:
    """The year's key figures for each child area of `parent` in the user's scope (four queries: the children,
    then the dashboards' breakdown); None for a village (it has no child areas)."""
    if parent.level >= Level.VILLAGE:
        return None
    children = children_in_scope(user, parent)
    table = area_table(user, year=year, region=parent.code, areas=[child.code for child in children])
    rows = [AreaRow(child.code, child.name, {key: int(table.values[child.code][key]) for key in KEYS})
            for child in children]
    return Breakdown(parent=parent, child_level=parent.level + 1, rows=rows,
                     totals={key: int(table.totals[key]) for key in KEYS})
