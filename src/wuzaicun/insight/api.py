"""API of 数据分析: `GET /api/insight/stats?year=&region=`, the same document as `wuzaicun stats --json`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.services import require_perm
from wuzaicun.core.bounds import Year
from wuzaicun.core.params import region_param
from wuzaicun.responsibility.selectors import working_year

from .selectors import stats_for_user

router = Router(tags=["数据分析"])


class StatsFigureOut(Schema):
    key: str
    label: str
    value: int | str  # counts as numbers; money, land and shares as strings with two decimals (exact)
    unit: str


class StatsSectionOut(Schema):
    key: str
    title: str
    figures: list[StatsFigureOut]


class StatsOut(Schema):
    year: int
    region: str | None
    sections: list[StatsSectionOut]


@router.get("/stats", response=StatsOut, summary="数据概览（与 wuzaicun stats --json 相同）")
def stats(request: HttpRequest, year: Year | None = None, region: str = "") -> dict[str, Any]:
    require_perm(request.user, Perm.VIEW_REGISTRY)
    return stats_for_user(request.user, year=year or working_year(), region=region_param(region)).as_json()
