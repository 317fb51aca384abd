"""The `guarantees` template (组织保障, one row a village-year) and the export of the compliance report."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.audit.services import diff
from wuzaicun.regions.models import Level, Region
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ExportOnlySink,
    ImportContext,
    RowErrors,
    RowIssue,
    Template,
    number,
    year,
)

from ..models.guarantees import Guarantee
from ..rules.guarantees import STANDARDS, STANDARDS_BY_CODE, fmt, shortfalls
from ..selectors.guarantees import (
    MISSING,
    shortfall_rows,
    standard_values,
    values_of,
    villages_without_record,
)
from ..services.guarantees import FIELDS, RANGES

HEADERS = {"cadre_monthly_pay": "村干部月报酬", "operating_funds": "村级组织运转经费",
           "service_funds": "服务群众专项经费", "activity_funds_per_member": "党员人均活动经费",
           "training_funds_per_cadre": "村干部人均培训经费", "home_area": "党员群众之家面积"}
NOTES = {"cadre_monthly_pay": "元/月", "operating_funds": "元/年", "service_funds": "元/年",
         "activity_funds_per_member": "元/人·年", "training_funds_per_cadre": "元/人·年",
         "home_area": "平方米；未建可空"}


class GuaranteeSink:
    """A row updates the village-year if it is recorded, else records it; a blank value is 未填报."""

    checks_partial_rows = True

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.villages = frozenset(
            narrowed(scoped(Region, ctx.actor), ctx.region_code).filter(level=Level.VILLAGE)
            .values_list("code", flat=True))
        self.seen: dict[tuple[int, str], int] = {}
        self.created = 0
        self.updated = 0

    def check(self, row: dict[str, Any], line: int) -> dict[str, Any]:
        problems: list[tuple[str, str]] = []
        if row["year"] is not None and self.ctx.year is not None and row["year"] != self.ctx.year:
            problems.append(("年度", f"年度 {row['year']} 与导入时指定的 {self.ctx.year} 不一致"))
        if row["village"] is not None and row["village"] not in self.villages:
            problems.append(("区划代码", f"“{row['village']}”不是村级区划代码，或不在您的管辖范围内"))
        key = (row["year"], row["village"])
        if None not in key and (first := self.seen.get(key)) is not None:
            problems.append(("区划代码", f"与第{first}行是同一村同一年度"))
        if problems:
            raise RowErrors(problems)
        self.seen[key] = line
        return row

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return []

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        rows = [r for _, r in batch]
        existing = {
            (g.year, g.village_id): g for g in Guarantee.objects_unscoped.filter(
                year__in={r["year"] for r in rows}, village_id__in={r["village"] for r in rows})
        }
        new, changed = [], []
        for row in rows:
            values = {code: row[code] for code in FIELDS}
            found = existing.get((row["year"], row["village"]))
            if found is None:
                new.append(Guarantee(village_id=row["village"], year=row["year"], **values))
            elif diff({c: getattr(found, c) for c in FIELDS}, values):
                for code, value in values.items():
                    setattr(found, code, value)
                found.version += 1
                changed.append(found)
        Guarantee.objects_unscoped.bulk_create(new)
        Guarantee.objects_unscoped.bulk_update(changed, [*FIELDS, "version"])
        self.created += len(new)
        self.updated += len(changed)
        return []

    def summary(self) -> str:
        return f"（新增 {self.created}，更新 {self.updated}）"


def _value(value: Any) -> Any:
    return value if value is not None else ""


def _export(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    rows = narrowed(scoped(Guarantee, ctx.actor), ctx.region_code)
    if ctx.year is not None:
        rows = rows.filter(year=ctx.year)
    if q := ctx.filters.get("q", ""):
        from django.db.models import Q

        rows = rows.filter(Q(village__name__icontains=q) | Q(village__code__startswith=q))
    for g in rows.order_by("year", "village_id").values_list("year", "village_id", *FIELDS).iterator(chunk_size=5000):
        yield (g[0], g[1], *(_value(v) for v in g[2:]))


GUARANTEES = register(Template(
    kind="guarantees", title="组织保障", object_type="guarantee",
    columns=(
        Column("年度", "year", year),
        Column("区划代码", "village", note="村（社区）的12位区划代码", width=16),
        *(Column(HEADERS[code], code, number(RANGES[code]), required=False, note=NOTES[code]) for code in FIELDS),
    ),
    sink=GuaranteeSink, export_rows=_export, import_perm="edit_organization", filters=(("q", "关键词"),),
))


def _export_shortfalls(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """The compliance report as filtered (year, region, standard): every village below, with its shortfalls."""
    from wuzaicun.responsibility.selectors import working_year

    shown = ctx.year or working_year()
    standard = ctx.filters.get("standard", "")
    thresholds = standard_values(shown)
    if standard == MISSING:
        for v in villages_without_record(ctx.actor, year=shown, region=ctx.region_code).iterator(chunk_size=5000):
            yield (shown, v.code, v.name, "未填报", f"未填报{shown}年组织保障")
        return
    rows = shortfall_rows(ctx.actor, year=shown, region=ctx.region_code, standard=standard,
                          q=ctx.filters.get("q", ""))
    for g in rows.iterator(chunk_size=5000):
        found = shortfalls(values_of(g), thresholds)
        if standard:
            found = [s for s in found if s.code == standard]
        yield (shown, g.village_id, g.village.name, "、".join(STANDARDS_BY_CODE[s.code].title for s in found),
               "；".join(s.message for s in found))


register(Template(
    kind="guarantee_shortfalls", title="组织保障未达标村", object_type="guarantee",
    columns=(Column("年度", "year"), Column("区划代码", "village", width=16), Column("村", "name", width=20),
             Column("未达标项目", "standards", width=30), Column("情况", "message", width=60)),
    sink=ExportOnlySink, export_rows=_export_shortfalls, needs_year=True, import_perm="edit_organization",
    importable=False, filters=(("standard", "保障标准"), ("q", "关键词")),
))

__all__ = ["GUARANTEES", "STANDARDS", "fmt"]
