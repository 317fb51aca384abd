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


def _export_dashboard(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """The dashboards' figures of the year by child area of the region (the user's scope when none), then the
    area's own total, mechanism by mechanism (the one of `section` only when given), then 填报完整度."""
    from wuzaicun.responsibility.selectors import working_year

    from .dashboards import area_of
    from .figures.areas import REPORTING, breakdown, mechanisms, reporting

    year = ctx.year or working_year()
    shown, children = area_of(ctx.actor, ctx.region_code)
    codes = [c.code for c in children]
    names = {c.code: c.name for c in children}
    section = ctx.filters.get("section", "")
    total = f"{shown.name}（合计）"
    for mech in mechanisms():
        if section and mech.key != section:
            continue
        data = breakdown(mech, ctx.actor, year=year, region=shown.code, areas=codes)
        for figure in mech.figures:
            for code in codes:
                yield (mech.title, names[code], figure.label, data.values[code][figure.key], figure.unit)
            yield (mech.title, total, figure.label, data.totals[figure.key], figure.unit)
    if not section:
        done = reporting(ctx.actor, year=year, region=shown.code, areas=codes)
        for figure in REPORTING:
            for code in codes:
                yield ("填报完整度", names[code], figure.label, done.values[code][figure.key], figure.unit)
            yield ("填报完整度", total, figure.label, done.totals[figure.key], figure.unit)


register(Template(
    kind="dashboard", title="分区域数据", object_type="stats",
    columns=(Column("板块", "section", width=16), Column("区域", "area", width=20), Column("指标", "label", width=32),
             Column("数值", "value", width=20), Column("单位", "unit", width=8)),
    sink=ExportOnlySink, export_rows=_export_dashboard, needs_year=True, import_perm="view_registry", importable=False,
    filters=(("section", "板块"),),
))
