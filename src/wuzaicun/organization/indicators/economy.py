"""Indicator `collective_income`: a 0–100 score from a village's collective income that year.

0 for no collective income, 100 at or above `settings.COLLECTIVE_INCOME_FULL_SCORE` (default ¥50,000),
linear between. A township (level 4) scores the mean of its villages' scores (villages without income 0).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import Substr

from wuzaicun.core.indicators import IndicatorProvider, register_indicator
from wuzaicun.regions.codes import PREFIX_LENGTHS
from wuzaicun.regions.models import Level, Region

from ..models.economy import EntityIncome
from ..rules.economy import DEFAULT_INCOME_FULL_SCORE, income_score
from ..selectors.economy import existing_in


def full_score_income() -> Decimal:
    return Decimal(str(getattr(settings, "COLLECTIVE_INCOME_FULL_SCORE", DEFAULT_INCOME_FULL_SCORE)))


def collective_income(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    width = PREFIX_LENGTHS[level]
    wanted = {code[:width] for code in codes}
    full = full_score_income()
    totals = (EntityIncome.objects_unscoped.filter(existing_in(year, "entity__"), year=year).order_by()
              .values("entity__village_id").annotate(total=Sum("collective_income"))
              .values_list("entity__village_id", "total"))
    scores: dict[str, Decimal] = defaultdict(Decimal)
    for village, total in totals.iterator(chunk_size=5000):
        if village[:width] in wanted:
            scores[village[:width]] += income_score(total, full)
    if level == Level.VILLAGE:
        return {code: scores.get(code[:width], Decimal(0)) for code in codes}
    villages = dict(Region.objects_unscoped.filter(level=Level.VILLAGE).annotate(p=Substr("code", 1, width))
                    .values("p").annotate(n=Count("code")).values_list("p", "n"))
    return {code: (scores.get(code[:width], Decimal(0)) / villages[code[:width]]).quantize(Decimal("0.01"))
            if villages.get(code[:width]) else Decimal(0) for code in codes}


register_indicator(IndicatorProvider(
    "collective_income", "村集体经济收入", "organization", collective_income,
    "当年集体收入：无收入0分，达到5万元（可设置）100分，其间按比例计分；乡镇取所辖村平均分",
))
