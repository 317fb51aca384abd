"""The village-year list (村情), the side region tree of list pages, and the village and region pickers."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.errors import NotFound
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import year_param
from wuzaicun.core.pickers import picker_query, render_choices

from .codes import prefix_of
from .pickers import KINDS, region_choices
from .selectors import get_region_for_user, latest_year, tree_nodes, village_years_for


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


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def tree_children(request: AuthedRequest, code: str) -> HttpResponse:
    """The children of one node of the side region tree: the nodes for htmx, a small page otherwise."""
    region = get_region_for_user(request.user, code)
    return render_list(request, "regions/tree_children.html",
                       {"region": region, "nodes": tree_nodes(request.user, region)}, partial="nodes")


@requires(Perm.VIEW_REGISTRY)
@require_POST
def pick(request: AuthedRequest, kind: str) -> HttpResponse:
    """Villages (or regions of any level) in scope matching the typed name or code, for a picker."""
    if kind not in KINDS:
        raise NotFound()
    query = picker_query(request)
    return render_choices(request, region_choices(request.user, query.term, kind=kind), query=query)
