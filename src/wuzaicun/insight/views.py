"""数据概览: the headline figures of the five mechanisms for a year and a region, with the seed's figures beside
them at city scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import prefix_for
from wuzaicun.core.params import region_param, year_param
from wuzaicun.responsibility.selectors import working_year, year_context

from .dashboards import dashboard_context
from .figures import Stats
from .figures.areas import MECHANISM_KEYS
from .formatting import exact, readable, seed_text
from .jobs import submit_report
from .selectors import stats_for_user

SEED_CITY = "520300000000"  # 遵义市, the city the seed's figures are about
SEED_YEAR = 2016  # the year they are of


def _cards(stats: Stats, *, with_seed: bool) -> list[dict[str, Any]]:
    sections = []
    for section in stats.sections:
        rows = []
        for figure in section.figures:
            number, unit = readable(figure.value, figure.unit)
            rows.append({"key": figure.key, "label": figure.label, "number": number, "unit": unit,
                         "exact": f"{exact(figure.value, figure.unit)} {figure.unit}",
                         "seed": seed_text(figure) if with_seed else ""})
        sections.append({"key": section.key, "title": section.title, "figures": rows,
                         "has_seed": any(r["seed"] for r in rows)})
    return sections


@requires(Perm.VIEW_REGISTRY)
@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=working_year())
    region = region_param(request.GET.get("region"))
    stats = stats_for_user(request.user, year=year, region=region)
    # the seed's figures are 遵义市's of 2016: shown for comparison only for that city and year
    city_wide = year == SEED_YEAR and (region == SEED_CITY or (region is None and prefix_for(request.user) == SEED_CITY[:4]))
    context = year_context(year) | dashboard_context(request, "insight:overview", year, region, MECHANISM_KEYS) | {
        "sections": _cards(stats, with_seed=city_wide), "city_wide": city_wide,
        "filters": {"region": request.GET.get("region", "").strip() if region else ""},
    }
    return render(request, "insight/overview.html", context)


@requires(Perm.EXPORT_DATA)
@require_POST
def report(request: AuthedRequest) -> HttpResponse:
    """生成年度报告: queued as a job of 下载中心 (a .docx takes seconds to minutes); the job's page shows its progress
    and, once written, the download."""
    year = year_param(request.POST.get("year"), default=working_year())
    region = region_param(request.POST.get("region"))
    job = submit_report(request.user, year=year, region=region)
    return redirect("jobs:detail", job_id=job.pk)


urlpatterns = [path("", overview, name="overview"), path("report/", report, name="report")]
