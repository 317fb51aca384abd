"""The village-year list (村情): poor villages, exits, weak organisations, minority villages, demo sites."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.paging import paginate
from wuzaicun.core.params import year_param

from .codes import prefix_of
from .selectors import latest_year, village_years_for


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def villages(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=0) or latest_year(request.user)
    region = request.GET.get("region", "").strip()
    poor = request.GET.get("poor", "")
    queryset = village_years_for(request.user, year=year).order_by("village_id")
    if region:
        queryset = queryset.filter(village__code__within=prefix_of(region) if len(region) == 12 else region)
    if poor == "1":
        queryset = queryset.filter(is_poor=True)
    context = paginate(request, queryset) | {"year": year, "filters": {"region": region, "poor": poor}}
    name = "regions/villages.html#list" if getattr(request, "htmx", False) else "regions/villages.html"
    return render(request, name, context)
