"""一村一档 and 一户一档: a village's and a household's whole file over the years, and the household's 明白卡."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.paging import paginate
from wuzaicun.core.params import year_param
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.selectors import breadcrumb, get_region_for_user
from wuzaicun.registry.models import PovertyStatus
from wuzaicun.registry.selectors import get_household_for_user, households_for
from wuzaicun.responsibility.selectors import working_year, year_context

from .files import VILLAGE_SECTIONS, flags_of, household_file, public_id, village_file


def _village(request: AuthedRequest, code: str) -> Region:
    """The village in the user's scope: anything else (missing, out of scope, not a village) is not found."""
    region = get_region_for_user(request.user, code)
    if region.level != Level.VILLAGE:
        raise Http404
    return region


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def village(request: AuthedRequest, code: str) -> HttpResponse:
    region = _village(request, code)
    year = year_param(request.GET.get("year"), default=working_year())
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "").strip()
    status = status if status in PovertyStatus.values else ""
    households = households_for(request.user, region=region.code, q=q, status=status).order_by("id")
    listing = paginate(request, households) | {"filters": {"q": q, "status": status}, "village": region,
                                                "year": year, "statuses": PovertyStatus.choices}
    if getattr(request, "htmx", False):
        return render(request, "insight/village.html#households", listing)
    data = village_file(request.user, region, year=year)
    context: dict[str, Any] = year_context(year) | listing | data | {
        "trail": breadcrumb(request.user, region)[:-1], "sections": VILLAGE_SECTIONS,
        "flags_now": flags_of(data["flags"]["this_year"]),
    }
    return render(request, "insight/village.html", context)


def _household_context(request: AuthedRequest, pk: int) -> dict[str, Any]:
    household = get_household_for_user(request.user, pk)
    year = year_param(request.GET.get("year"), default=working_year())
    trail = breadcrumb(request.user, household.region)
    return year_context(year) | household_file(request.user, household, year=year) | {
        "household": household, "trail": trail, "township": trail[-2] if len(trail) > 1 else None,
        "public_id": public_id(household),
    }


@requires(Perm.VIEW_REGISTRY)
@require_GET
def household(request: AuthedRequest, pk: int) -> HttpResponse:
    return render(request, "insight/household.html", _household_context(request, pk))


@requires(Perm.VIEW_REGISTRY)
@require_GET
def household_card(request: AuthedRequest, pk: int) -> HttpResponse:
    """明白卡: the household's file on one A5 page with the public masking profile (names shown, ID and phones
    masked, the address down to the township), whoever prints it."""
    return render(request, "insight/household_card.html", _household_context(request, pk))


urlpatterns = [
    path("villages/<str:code>/", village, name="village"),
    path("households/<id:pk>/", household, name="household"),
    path("households/<id:pk>/card/", household_card, name="household_card"),
]
