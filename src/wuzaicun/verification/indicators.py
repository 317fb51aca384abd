"""The indicator verification computes from its own data: the year's spot-check findings."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Substr

from wuzaicun.core.indicators import IndicatorProvider, register_indicator
from wuzaicun.regions.codes import PREFIX_LENGTHS, common_prefix

from .models import Finding, PlanStatus

POINTS = {"in_place": 100, "mostly": 70, "not_in_place": 0}


def spot_check_findings(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    """Average of the year's findings (到位 100, 基本到位 70, 不到位 0); no finding scores 100.
    Only closed plans count: a finding of an open plan would show which entries it picked."""
    width = PREFIX_LENGTHS[level]
    rows = (
        Finding.objects_unscoped.filter(pick__plan__year=year, pick__plan__status=PlanStatus.CLOSED,
                                        pick__assignment__village__code__within=common_prefix(c[:width] for c in codes))
        .annotate(p=Substr("pick__assignment__village_id", 1, width)).values("p")
        .annotate(**{key: Count("id", filter=Q(result=key)) for key in POINTS})
        .values_list("p", *POINTS)
    )
    found: dict[str, Decimal] = {}
    for prefix, *counts in rows:
        total = sum(counts)
        found[prefix] = (Decimal(sum(c * p for c, p in zip(counts, POINTS.values(), strict=True))) / total).quantize(
            Decimal("0.01")) if total else Decimal(100)
    return {code: found.get(code[:width], Decimal(100)) for code in codes}


register_indicator(IndicatorProvider(
    "spot_check_findings", "季度抽查结果", "verification", spot_check_findings,
    "已结束的抽查计划中，到位 100 分、基本到位 70 分、不到位 0 分的平均；当年未被抽中的得 100 分",
))
