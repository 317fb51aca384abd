"""The indicator verification computes from its own data: the year's spot-check findings."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.indicators import (
    IndicatorProvider,
    PersonIndicatorProvider,
    Source,
    keep_asked,
    person_lookup,
    register_indicator,
    register_person_indicator,
    share,
)
from wuzaicun.regions.codes import PREFIX_LENGTHS, common_prefix

from .models import Finding, PlanStatus

POINTS = {"in_place": 100, "mostly": 70, "not_in_place": 0}


def spot_check_findings(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    """Average of the year's findings (到位 100, 基本到位 70, 不到位 0); no finding scores 100.
    Only closed plans count: a finding of an open plan would show which entries it picked."""
    width = PREFIX_LENGTHS[level]
    rows = (
        Finding.objects_unscoped.filter(pick__plan__year=year, pick__plan__status=PlanStatus.CLOSED,
                                        pick__village__code__within=common_prefix(c[:width] for c in codes))
        .annotate(p=Substr("pick__village_id", 1, width)).values("p")
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


# --- a person's indicator (六定一化考核 of cadres) ----------------------------------------------------------

def person_spot_checks(year: int, person_ids: Sequence[int]) -> dict[int, Decimal | None]:
    """Share of the findings of the year's closed plans on the person's entries found 到位; a person with entries
    and no finding scores 100 (nothing found wrong); a person in no list of the year has no data (None)."""
    from wuzaicun.responsibility.indicators import people_with_entries

    rows = (Finding.objects_unscoped.filter(pick__plan__year=year, pick__plan__status=PlanStatus.CLOSED,
                                            **person_lookup("pick__assignment__person_id", person_ids))
            .values("pick__assignment__person_id")
            .annotate(total=Count("id"), good=Count("id", filter=Q(result="in_place")))
            .values_list("pick__assignment__person_id", "good", "total"))
    counts = {pk: (good, total) for pk, good, total in rows}
    return keep_asked(person_ids, {pk: share(*counts.get(pk, (0, 0)))
                                   for pk in people_with_entries(year, person_ids)})


def spot_check_sources(user: Any, year: int, person_id: int) -> list[Source]:
    from django.urls import reverse

    findings = (scoped(Finding, user).filter(pick__plan__year=year, pick__plan__status=PlanStatus.CLOSED,
                                                pick__assignment__person_id=person_id)
                .select_related("pick__plan", "pick__assignment__village").order_by("visited_on", "pk"))
    return [Source("抽查发现", f"{f.pick.plan.year}年第{f.pick.plan.quarter}季度抽查，{f.pick.assignment.village.name}，"
                              f"{f.visited_on:%Y-%m-%d}检查", f.get_result_display(),
                   reverse("verification:plan", args=[f.pick.plan_id])) for f in findings]


register_person_indicator(PersonIndicatorProvider(
    "person_spot_checks", "抽查到位率", "verification", person_spot_checks, spot_check_sources,
    "当年已结束的抽查计划中，本人清单条目被抽中后检查结果为“到位”的占比；未被抽中的得 100 分；未列入任何清单的为缺数据",
))
