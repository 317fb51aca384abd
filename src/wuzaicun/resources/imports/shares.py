"""三变's sheets: the entities with what was put in (export), and a dividend's parts (export; resident IDs masked
unless a full-ID export is asked and audited by the engine)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from wuzaicun.core.errors import DomainError
from wuzaicun.registry.fields import open_resident_id
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import Column, ExportContext, ExportOnlySink, Template

from ..selectors.shares import get_dividend_for_user, parts_of, share_entities


def _export_entities(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from wuzaicun.responsibility.selectors import working_year

    year = ctx.year or working_year()
    joined = ctx.filters.get("joined", "yes")
    rows = share_entities(ctx.actor, year=year, region=ctx.region_code, q=ctx.filters.get("q", ""),
                          joined="" if joined == "all" else joined)
    for e in rows.iterator(chunk_size=2000):
        yield (year, e.village_id, e.village.name, e.name, e.get_kind_display(), e.land, e.properties,  # type: ignore[attr-defined]
               e.money, e.shares, e.holders)  # type: ignore[attr-defined]


register(Template(
    kind="share_entities", title="三变入股实体", object_type="contribution",
    columns=(Column("年度", "year"), Column("区划代码", "village", width=16), Column("村", "village_name", width=16),
             Column("实体名称", "name", width=28), Column("类型", "kind", width=14), Column("入股土地（亩）", "land"),
             Column("入股集体资产（处）", "properties"), Column("入股资金（元）", "money"), Column("总股份", "shares"),
             Column("股东户", "holders")),
    sink=ExportOnlySink, export_rows=_export_entities, needs_year=True, import_perm="edit_resources",
    importable=False, filters=(("q", "关键词"), ("joined", "入股情况")),
))


def _export_parts(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    raw = ctx.filters.get("dividend", "")
    if not raw.isdigit():
        raise DomainError("请从分红明细页面导出", field="分红")
    dividend = get_dividend_for_user(ctx.actor, int(raw))
    for p in parts_of(ctx.actor, dividend).iterator(chunk_size=5000):
        household = p.household
        number = "" if household is None else (
            open_resident_id(household.resident_id_sealed) if ctx.full_ids else household.resident_id_masked)
        yield (dividend.year, dividend.entity.name, f"{household.head_name}户" if household else "村集体", number,
               household.status if household else "", p.shares, p.amount)


register(Template(
    kind="dividend_parts", title="三变分红明细", object_type="dividend",
    columns=(Column("年度", "year"), Column("实体名称", "entity", width=28), Column("股东", "holder", width=16),
             Column("身份证号", "resident_id", width=22), Column("贫困状态", "status"), Column("股份", "shares"),
             Column("分红（元）", "amount")),
    sink=ExportOnlySink, export_rows=_export_parts, import_perm="edit_resources", importable=False,
    carries_ids=True, filters=(("dividend", "分红"),),
))
