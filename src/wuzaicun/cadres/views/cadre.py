"""The cadre's page (干部在村成长记录): dispatches, working groups, talent and 项目书记 records, trainings,
ledger lines, household visits, spot-check findings, grades and outcomes over the years."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm

from ..selectors.cadre import VISITS_SHOWN, cadre_record


@requires(Perm.VIEW_REGISTRY)
@require_GET
def cadre(request: AuthedRequest, person_id: int) -> HttpResponse:
    """One person in scope (404 otherwise), every section a small table with a year column."""
    record = cadre_record(request.user, person_id)
    return render(request, "cadres/cadre.html", {"r": record, "p": record.person, "visits_shown": VISITS_SHOWN})


urlpatterns = [
    path("people/<id:person_id>/", cadre, name="cadre"),
]
