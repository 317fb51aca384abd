"""A page not built yet (建设中); each area replaces its stubs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.roles import Perm


def building(title: str) -> Callable[[HttpRequest], HttpResponse]:
    @requires(Perm.VIEW_REGISTRY)
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, "cadres/building.html", {"title": title})

    return view
