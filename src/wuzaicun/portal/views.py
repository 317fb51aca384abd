"""The home page (工作台): headline counts within the user's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.models import User
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.params import year_param
from wuzaicun.regions.selectors import poor_village_count, region_counts
from wuzaicun.registry.selectors import household_totals, people_for
from wuzaicun.responsibility.ledger_selectors import quarter_of, reconciliations_due, review_queue
from wuzaicun.responsibility.selectors import working_year, year_context
from wuzaicun.verification.selectors import open_plans_assigned


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    year = year_param(request.GET.get("year"), default=working_year())
    if not user.can(Perm.VIEW_REGISTRY):  # the security and audit administrators: their tools, no business figures
        return render(request, "portal/home.html", year_context(year))
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
    return render(request, "portal/home.html", year_context(year) | {"cards": cards, "todos": _todos(user, year)})


def _todos(user: User, year: int) -> list[dict[str, Any]]:
    """What waits for this user (待办) in the year shown: one count query each, only for what the role may do.
    The quarter is this one in the calendar year, the fourth of a year gone by."""
    today = timezone.localdate()
    quarter = quarter_of(today) if year == today.year else 4
    todos: list[dict[str, Any]] = []
    if user.can(Perm.REVIEW_LEDGER):
        todos.append({"label": f"{year}年待审核的季度对账", "value": review_queue(user, year=year).count(),
                      "url": f"{reverse('responsibility:review')}?year={year}"})
    if user.can(Perm.RECONCILE):
        todos.append({"label": f"{year}年第{quarter}季度待对账的台账条目",
                      "value": reconciliations_due(user, year=year, quarter=quarter), "url": ""})
    if user.role == "inspector":
        todos.append({"label": "指派给我的进行中的抽查计划", "value": open_plans_assigned(user),
                      "url": reverse("verification:plans")})
    return todos
