"""Pages of the economy area."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.roles import Perm


@requires(Perm.VIEW_REGISTRY)
def entities(request: HttpRequest) -> HttpResponse:
    return render(request, "organization/building.html", {"title": "村集体经济"})


urlpatterns = [
    path("entities/", entities, name="entities"),
]
