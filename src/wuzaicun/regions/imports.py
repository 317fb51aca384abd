"""The `regions` and `villages` templates (DESIGN.md §4.2) for the one tabular engine."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from wuzaicun.accounts.scope import code_in_scope, scoped
from wuzaicun.core.text import ParseError, parse_yes_no
from wuzaicun.tabular.bulk import insert_rows, update_rows
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ImportContext,
    RowError,
    RowIssue,
    Template,
    bounded_text,
    text,
)
from wuzaicun.tabular.spec import year as year_cell

from .codes import is_code, level_of, parent_code, prefix_of
from .models import Demonstration, Level, Region, VillageYear
from .rules import region_code_problem, village_year_problems

_DEMONSTRATION_BY_LABEL = {label: value for value, label in Demonstration.choices if value}


def region_code(raw: Any) -> str:
    """A 区划代码 cell: 12 digits (any template with such a column uses this parser)."""
    value = text(raw)
    if not is_code(value):
        raise ParseError(f"“{value}”不是12位统计用区划代码")
    return value


def _demonstration(raw: Any) -> str:
    value = text(raw)
    if value in ("", "否", "无"):
        return ""
    if value not in _DEMONSTRATION_BY_LABEL:
        raise ParseError(f"“{value}”不是可选值（省级、市级、县级或留空）")
    return _DEMONSTRATION_BY_LABEL[value]


class RegionSink:
    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.known = set(Region.objects_unscoped.values_list("code", flat=True))
        self.existing = frozenset(self.known)
        self.seen: dict[str, int] = {}
        self.inserted = 0
        self.updated = 0

    def check(self, row: dict[str, Any], line: int) -> tuple[Any, ...]:
        code = row["code"]
        if not code_in_scope(self.ctx.actor, code):
            raise RowError("区划代码", f"“{code}”不在您的管辖范围内")
        if (first := self.seen.get(code)) is not None:
            raise RowError("区划代码", f"与第{first}行的区划代码重复")
        if problem := region_code_problem(code, self.known):
            raise RowError("区划代码", problem)
        self.seen[code] = line
        self.known.add(code)
        return code, row["name"], row["urban_rural_code"] or ""

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return []

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        new = [(c, n, level_of(c), parent_code(c), u) for _, (c, n, u) in batch if c not in self.existing]
        old = [(n, u, c) for _, (c, n, u) in batch if c in self.existing]
        self.inserted += insert_rows(
            Region._meta.db_table, ("code", "name", "level", "parent_id", "urban_rural_code"), new
        )
        self.updated += update_rows(Region._meta.db_table, "code", ("name", "urban_rural_code"), old)
        return []

    def summary(self) -> str:
        return f"（新增 {self.inserted}，更名 {self.updated}）"


def _urban_rural(raw: Any) -> str:
    value = text(raw)
    if not (value.isdigit() and len(value) == 3):
        raise ParseError(f"“{value}”不是3位城乡分类代码")
    return value


def _export_regions(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    queryset = scoped(Region, ctx.actor)
    if ctx.region_code:
        queryset = queryset.filter(code__within=prefix_of(ctx.region_code))
    yield from queryset.order_by("code").values_list("code", "name", "urban_rural_code").iterator()


REGIONS = register(
    Template(
        kind="regions",
        title="行政区划",
        object_type="region",
        columns=(
            Column("区划代码", "code", region_code, width=16),
            Column("名称", "name", bounded_text(100), width=24),
            Column("城乡分类代码", "urban_rural_code", _urban_rural, required=False),
        ),
        sink=RegionSink,
        export_rows=_export_regions,
        import_perm="edit_regions",
    )
)


class VillageYearSink:
    columns = ("is_poor", "exit_year", "is_weak_organisation", "is_ethnic_minority", "demonstration")

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.villages = frozenset(
            scoped(Region, ctx.actor).filter(level=Level.VILLAGE).values_list("code", flat=True)
        )
        self.seen: dict[tuple[str, int], int] = {}
        self.written = 0

    def check(self, row: dict[str, Any], line: int) -> tuple[Any, ...]:
        year = row["year"]
        if self.ctx.year is not None and year != self.ctx.year:
            raise RowError("年度", f"年度 {year} 与导入时指定的 {self.ctx.year} 不一致")
        code = row["code"]
        if code not in self.villages:
            raise RowError("区划代码", f"“{code}”不是村级区划代码，或不在您的管辖范围内")
        if (first := self.seen.get((code, year))) is not None:
            raise RowError("区划代码", f"与第{first}行重复（同一村同一年度）")
        self.seen[(code, year)] = line
        for column, reason in village_year_problems(
            year=year, is_poor=row["is_poor"], exit_year=row["exit_year"], demonstration=row["demonstration"]
        ):
            raise RowError(column, reason)
        return (code, year, row["is_poor"], row["exit_year"], row["is_weak_organisation"] or False,
                row["is_ethnic_minority"] or False, row["demonstration"] or "")

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return []

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        objects = [
            VillageYear(village_id=c, year=y, is_poor=p, exit_year=e, is_weak_organisation=w,
                        is_ethnic_minority=m, demonstration=d)
            for _, (c, y, p, e, w, m, d) in batch
        ]
        VillageYear.objects_unscoped.bulk_create(
            objects, update_conflicts=True, unique_fields=["village", "year"], update_fields=list(self.columns)
        )
        self.written += len(objects)
        return []

    def summary(self) -> str:
        return f"（写入 {self.written}）"


def _export_villages(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    queryset = scoped(VillageYear, ctx.actor)
    if ctx.year is not None:
        queryset = queryset.filter(year=ctx.year)
    if ctx.region_code:
        queryset = queryset.filter(village__code__within=prefix_of(ctx.region_code))
    labels = dict(Demonstration.choices)
    for v in queryset.order_by("year", "village_id").iterator(chunk_size=5000):
        yield (v.year, v.village_id, v.is_poor, v.exit_year, v.is_weak_organisation, v.is_ethnic_minority,
               labels[v.demonstration] if v.demonstration else "")


VILLAGES = register(
    Template(
        kind="villages",
        title="村情",
        object_type="village_year",
        columns=(
            Column("年度", "year", year_cell),
            Column("区划代码", "code", region_code, width=16),
            Column("贫困村", "is_poor", lambda raw: parse_yes_no(text(raw)), choices=("是", "否")),
            Column("出列年度", "exit_year", year_cell, required=False),
            Column("软弱涣散", "is_weak_organisation", lambda raw: parse_yes_no(text(raw)), required=False,
                   choices=("是", "否")),
            Column("少数民族村", "is_ethnic_minority", lambda raw: parse_yes_no(text(raw)), required=False,
                   choices=("是", "否")),
            Column("示范点", "demonstration", _demonstration, required=False, choices=("省级", "市级", "县级")),
        ),
        sink=VillageYearSink,
        export_rows=_export_villages,
        needs_year=True,
        import_perm="edit_regions",
    )
)
