"""一村一档 and 一户一档: a village's and a household's whole file over the years (being built: not found until then)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import path

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm


@requires(Perm.VIEW_REGISTRY)
def village(request: AuthedRequest, code: str) -> HttpResponse:
    raise Http404


@requires(Perm.VIEW_REGISTRY)
def household(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("villages/<str:code>/", village, name="village"),
    path("households/<id:pk>/", household, name="household"),
]
