"""The home page (工作台): headline counts within the user's scope."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.regions.selectors import latest_year, poor_village_count, region_counts
from wuzaicun.registry.selectors import household_totals, people_for


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    year = latest_year(user)
    regions = region_counts(user)
    households = household_totals(user)
    cards = [
        {"label": "县（市、区）", "value": regions["counties"]},
        {"label": "乡（镇、街道）", "value": regions["townships"]},
        {"label": "村（社区）", "value": regions["villages"]},
        {"label": f"贫困村（{year or '—'}年）", "value": poor_village_count(user, year)},
        {"label": "建档立卡户", "value": households["total"]},
        {"label": "未脱贫户", "value": households["poor"]},
        {"label": "登记人员", "value": people_for(user).count()},
    ]
    return render(request, "portal/home.html", {"cards": cards, "year": year})
