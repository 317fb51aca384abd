"""Indicators the annual assessment computes from households (脱贫) and villages (出列)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Substr

from wuzaicun.core.indicators import IndicatorProvider, register_indicator, share
from wuzaicun.regions.codes import PREFIX_LENGTHS
from wuzaicun.regions.models import VillageYear

from .models import Household


def household_exits(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    """Share of the registered poor households out of poverty (已脱贫) by the end of the year."""
    width = PREFIX_LENGTHS[level]
    rows = (
        Household.objects_unscoped.annotate(p=Substr("region_id", 1, width)).values("p")
        .annotate(total=Count("id"), out=Count("id", filter=Q(status="已脱贫", exit_year__lte=year)))
        .values_list("p", "out", "total")
    )
    found = {p: (out, total) for p, out, total in rows}
    return {code: share(*found.get(code[:width], (0, 0))) for code in codes}


def village_exit_targets(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    """Poor villages set to exit (出列) by this year that have: exit year ≤ year among the year's poor villages."""
    width = PREFIX_LENGTHS[level]
    rows = (
        VillageYear.objects_unscoped.filter(year=year, is_poor=True).annotate(p=Substr("village_id", 1, width))
        .values("p").annotate(total=Count("id"), out=Count("id", filter=Q(exit_year__lte=year)))
        .values_list("p", "out", "total")
    )
    found = {p: (out, total) for p, out, total in rows}
    return {code: share(*found.get(code[:width], (0, 0))) for code in codes}


register_indicator(IndicatorProvider("household_exits", "贫困户脱贫率", "registry", household_exits))
register_indicator(IndicatorProvider("village_exits", "贫困村出列目标完成率", "registry", village_exit_targets))
