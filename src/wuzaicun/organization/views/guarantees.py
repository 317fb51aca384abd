"""Pages of the guarantees area."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.roles import Perm


@requires(Perm.VIEW_REGISTRY)
def guarantees(request: HttpRequest) -> HttpResponse:
    return render(request, "organization/building.html", {"title": "组织保障"})


urlpatterns = [
    path("guarantees/", guarantees, name="guarantees"),
]
