"""The dashboards: each mechanism's key figures by child area of the area shown and over the years, as charts
(ECharts, drawn by `insight/static/insight/charts.js` from JSON in `json_script`) with their numbers as tables;
a click on a bar or a row opens the same page one level down, a breadcrumb goes back up."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.errors import NotFound
from wuzaicun.core.params import region_param, year_param
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.selectors import breadcrumb, children_in_scope, get_region_for_user
from wuzaicun.responsibility.selectors import working_year, year_context

from .cache import cached_for, one_stamp_read, source_for
from .figures import json_value, reading
from .figures.areas import (
    MECHANISM_KEYS,
    REPORTING,
    AreaFigure,
    Breakdown,
    Chart,
    Mechanism,
    Reporting,
    breakdown,
    mechanism,
    mechanisms,
    reporting,
)
from .formatting import exact, readable


def area_of(user: Any, region: str | None) -> tuple[Region, list[Region]]:
    """The area shown (the region asked for, else the top of the user's scope) and its children in scope (a village
    is its own only child); a region outside the scope is not found."""
    code = region or getattr(user, "scope_id", None)
    if not code:
        raise NotFound()
    shown = get_region_for_user(user, code)
    children = [shown] if shown.level >= Level.VILLAGE else children_in_scope(user, shown)
    return shown, children


def area_link(page: str, child: Region, year: int) -> str:
    """Where a bar or a row of `child` goes: the same page one level down; a village's file 一村一档."""
    if child.level >= Level.VILLAGE:
        return reverse("insight:village", args=[child.code])
    return f"{reverse(page)}?{urlencode({'region': child.code, 'year': str(year)})}"


def _cell(figure: AreaFigure, value: int | Decimal) -> dict[str, str]:
    number, unit = readable(value, figure.unit)
    return {"number": number, "unit": unit, "exact": f"{exact(value, figure.unit)} {figure.unit}"}


def _chart(more: Mechanism | None, chart: Chart, figures: list[AreaFigure], data: Breakdown | Reporting,
           areas: list[dict[str, str]], *, trend: bool, prefix: str) -> dict[str, Any]:
    """One chart widget: its JSON for charts.js and the rows of its table (the same numbers); `more` links the
    mechanism's page."""
    unit = figures[0].unit
    chart_id = f"{prefix}-{chart.key}-{'trend' if trend else 'areas'}"
    if trend:
        assert isinstance(data, Breakdown)
        labels = [f"{year}年" for year, _ in data.trend]
        series = [{"name": f.label, "data": [json_value(v[f.key]) for _, v in data.trend]} for f in figures]
        rows = [{"name": label, "url": "", "cells": [_cell(f, v[f.key]) for f in figures]}
                for label, (_, v) in zip(labels, data.trend, strict=True)]
        total = None
    else:
        labels = [a["name"] for a in areas]
        series = [{"name": f.label, "data": [json_value(data.values[a["code"]][f.key]) for a in areas]} for f in figures]
        rows = [{"name": a["name"], "url": a["url"], "cells": [_cell(f, data.values[a["code"]][f.key]) for f in figures]}
                for a in areas]
        total = [_cell(f, data.totals[f.key]) for f in figures]
    title = f"{chart.title}{'（历年趋势）' if trend else '（按区域）'}"
    return {
        "id": chart_id, "data_id": f"{chart_id}-data", "title": title, "figures": figures, "rows": rows, "total": total, "trend": trend,
        "data": {"kind": "line" if trend else "bar", "unit": unit, "labels": labels, "series": series,
                 "links": [] if trend else [a["url"] for a in areas], "share": unit == "%"},
        "more": reverse(f"insight:{more.key}") if more else "",  # on the overview: the mechanism's own page
    }


def _areas(page: str, children: list[Region], year: int) -> list[dict[str, str]]:
    return [{"code": c.code, "name": c.name, "url": area_link(page, c, year),
             "village": "1" if c.level >= Level.VILLAGE else ""} for c in children]


def mechanism_charts(mech: Mechanism, data: Breakdown, areas: list[dict[str, str]], *,
                     first_only: bool = False) -> list[dict[str, Any]]:
    charts = []
    for chart in mech.charts[:1] if first_only else mech.charts:
        figures = [mech.figure(key) for key in chart.figures]
        charts.append(_chart(mech if first_only else None, chart, figures, data, areas, trend=False, prefix=mech.key))
        if not first_only:
            charts.append(_chart(None, chart, figures, data, areas, trend=True, prefix=mech.key))
    return charts


def reporting_table(data: Reporting, areas: list[dict[str, str]]) -> dict[str, Any]:
    return {"figures": REPORTING,
            "rows": [{"name": a["name"], "url": a["url"], "cells": [_cell(f, data.values[a["code"]][f.key])
                                                                  for f in REPORTING]} for a in areas],
            "total": [_cell(f, data.totals[f.key]) for f in REPORTING]}


def dashboard_context(request: AuthedRequest, page: str, year: int, region: str | None,
                      keys: tuple[str, ...]) -> dict[str, Any]:
    """What the overview and a mechanism page show: the area, its breadcrumb, its children, the charts."""
    # the page's parts read the stamps once; each selector's answer inside them is a cached part of its own
    with one_stamp_read(), reading(source_for(request.user)):
        shown, children = area_of(request.user, region)
        areas = _areas(page, children, year)
        codes = [c.code for c in children]
        charts: list[dict[str, Any]] = []
        for mech in mechanisms():
            if mech.key in keys:
                data = cached_for(request.user, f"breakdown:{mech.key}", year=year, region=shown.code, extra=codes,
                                  compute=partial(breakdown, mech, request.user, year=year, region=shown.code, areas=codes))
                charts += mechanism_charts(mech, data, areas, first_only=len(keys) > 1)
        crumbs = [{"name": r.name, "url": f"{reverse(page)}?{urlencode({'region': r.code, 'year': str(year)})}"}
                  for r in breadcrumb(request.user, shown)[:-1]]
        return {"shown": shown, "crumbs": crumbs, "areas": areas, "charts": charts,
                "child_level": "村（社区）" if children and children[0].level >= Level.VILLAGE
                else Level(children[0].level).label if children else "",
                "reporting": reporting_table(cached_for(
                    request.user, "reporting", year=year, region=shown.code, extra=codes,
                    compute=lambda: reporting(request.user, year=year, region=shown.code, areas=codes)), areas)
                if len(keys) > 1 else None}


@requires(Perm.VIEW_REGISTRY)
@require_GET
def section(request: AuthedRequest, key: str) -> HttpResponse:
    if key not in MECHANISM_KEYS:
        raise Http404()
    year = year_param(request.GET.get("year"), default=working_year())
    region = region_param(request.GET.get("region"))
    mech = mechanism(key)
    page = f"insight:{key}"
    context = year_context(year) | dashboard_context(request, page, year, region, (key,)) | {
        "mechanism": mech, "page": page,
        "filters": {"region": request.GET.get("region", "").strip() if region else ""},
    }
    return render(request, "insight/section.html", context)


urlpatterns = [path(f"{key}/", section, {"key": key}, name=key) for key in MECHANISM_KEYS]
