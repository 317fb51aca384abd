"""The `stats` sheet (export only): the headline figures as 板块, 指标, 数值, 单位."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import Column, ExportContext, ExportOnlySink, Template

from .figures import compute_stats


def _export_stats(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from wuzaicun.responsibility.selectors import working_year

    stats = compute_stats(ctx.actor, year=ctx.year or working_year(), region=ctx.region_code)
    for section in stats.sections:
        for figure in section.figures:
            yield (section.title, figure.label, figure.value, figure.unit)


register(Template(
    kind="stats", title="数据概览", object_type="stats",
    columns=(Column("板块", "section", width=16), Column("指标", "label", width=40), Column("数值", "value", width=20),
             Column("单位", "unit", width=8)),
    sink=ExportOnlySink, export_rows=_export_stats, needs_year=True, import_perm="view_registry", importable=False,
))
