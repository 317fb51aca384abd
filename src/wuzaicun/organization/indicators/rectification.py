"""The `rectification_status` indicator: how far a village's 软弱涣散 organisation is from 已转化 this year."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from wuzaicun.core.indicators import IndicatorProvider, register_indicator
from wuzaicun.regions.codes import PREFIX_LENGTHS

from ..models.rectification import CaseStatus, RectificationCase
from ..rules.rectification import HUNDRED, status_points


def rectification_status(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    """Villages: 100 when not under rectification this year or 已转化; 待验收 70; 整顿中 50; past the deadline and
    not 已转化 20 (rules.status_points). Townships and above: the mean over their villages under rectification
    (100 when none). One query."""
    width = PREFIX_LENGTHS[level]
    today = timezone.localdate()
    rows = (
        RectificationCase.objects_unscoped.filter(year=year)
        .annotate(p=Substr("village_id", 1, width),
                  state=Case(When(Q(deadline__lt=today) & ~Q(status=CaseStatus.TRANSFORMED), then=Value("overdue")),
                             default="status", output_field=CharField()))
        .values_list("p", "state")
    )
    points: dict[str, list[Decimal]] = {}
    for prefix, state in rows:
        overdue = state == "overdue"
        points.setdefault(prefix, []).append(status_points(status="in_progress" if overdue else state, overdue=overdue))
    return {code: (sum(found, Decimal(0)) / len(found)).quantize(Decimal("0.01"))
            if (found := points.get(code[:width])) else HUNDRED for code in codes}


register_indicator(IndicatorProvider(
    "rectification_status", "软弱涣散党组织整顿", "organization", rectification_status,
    "不在整顿名单或已转化 100 分，待验收 70 分，整顿中 50 分，超过整顿时限仍未转化 20 分；乡镇取所辖整顿村的平均",
))
