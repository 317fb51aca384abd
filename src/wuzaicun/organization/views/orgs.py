"""Pages of the orgs area."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.roles import Perm


@requires(Perm.VIEW_REGISTRY)
def orgs(request: HttpRequest) -> HttpResponse:
    return render(request, "organization/building.html", {"title": "党组织"})


@requires(Perm.VIEW_REGISTRY)
def committees(request: HttpRequest) -> HttpResponse:
    return render(request, "organization/building.html", {"title": "村务监督委员会"})


@requires(Perm.VIEW_REGISTRY)
def social(request: HttpRequest) -> HttpResponse:
    return render(request, "organization/building.html", {"title": "社会组织与电商服务站点"})


urlpatterns = [
    path("orgs/", orgs, name="orgs"),
    path("committees/", committees, name="committees"),
    path("social/", social, name="social"),
]
