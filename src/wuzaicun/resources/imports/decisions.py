"""资金使用决策's sheet: the year's decisions with their step, status and what was paid (export)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import Column, ExportContext, ExportOnlySink, Template

from ..selectors.decisions import decisions_for


def _export_decisions(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from wuzaicun.responsibility.selectors import working_year

    f = ctx.filters
    year = ctx.year or working_year()
    rows = decisions_for(ctx.actor, year=year, region=ctx.region_code, q=f.get("q", ""), status=f.get("status", ""),
                         flow=f.get("flow", ""), fund_kind=f.get("fund_kind", ""),
                         step=f.get("step", ""))
    for d in rows.iterator(chunk_size=2000):
        yield (d.year, d.village_id, d.village.name, d.title, d.get_fund_kind_display(), d.amount,
               d.paid, d.get_flow_display(), d.step_label, d.get_status_display())  # type: ignore[attr-defined]


register(Template(
    kind="fund_decisions", title="资金使用决策", object_type="fund_decision",
    columns=(Column("年度", "year"), Column("区划代码", "village", width=16), Column("村", "village_name", width=16),
             Column("事项", "title", width=30), Column("资金类型", "fund_kind", width=16),
             Column("金额（元）", "amount"), Column("已支付（元）", "paid"), Column("决策程序", "flow"),
             Column("当前环节", "step", width=24), Column("状态", "status")),
    sink=ExportOnlySink, export_rows=_export_decisions, needs_year=True, import_perm="edit_resources", importable=False,
    filters=(("q", "关键词"), ("status", "状态"), ("flow", "决策程序"), ("fund_kind", "资金类型"), ("step", "当前环节")),
))
