"""Pages of the rectification area."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.roles import Perm


@requires(Perm.VIEW_REGISTRY)
def ranking(request: HttpRequest) -> HttpResponse:
    return render(request, "organization/building.html", {"title": "倒排整顿"})


@requires(Perm.VIEW_REGISTRY)
def cases(request: HttpRequest) -> HttpResponse:
    return render(request, "organization/building.html", {"title": "整顿案例"})


urlpatterns = [
    path("rectification/", ranking, name="ranking"),
    path("rectification/cases/", cases, name="cases"),
]
