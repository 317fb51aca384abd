"""Indicator `guarantees_met`: the share of the year's 组织保障 standards a village meets (0–100).

A township (level 4) scores the standards met over those that apply across all its villages; a village
with no record for the year meets none of the five money standards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import Substr

from wuzaicun.core.indicators import IndicatorProvider, register_indicator, share
from wuzaicun.regions.codes import PREFIX_LENGTHS
from wuzaicun.regions.models import Level, Region

from ..models.guarantees import Guarantee
from ..rules.guarantees import STANDARDS, met_share
from ..selectors.guarantees import standard_values

MONEY_STANDARDS = sum(1 for s in STANDARDS if s.blank_is_shortfall)


def guarantees_met(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    width = PREFIX_LENGTHS[level]
    wanted = {code[:width] for code in codes}
    thresholds = standard_values(year)
    met: dict[str, int] = defaultdict(int)
    applicable: dict[str, int] = defaultdict(int)
    recorded: dict[str, int] = defaultdict(int)
    fields = [s.code for s in STANDARDS]
    rows = Guarantee.objects_unscoped.filter(year=year).values_list("village_id", *fields)
    for village, *values in rows.iterator(chunk_size=5000):
        key = village[:width]
        if key not in wanted:
            continue
        good, checked = met_share(dict(zip(fields, values, strict=True)), thresholds)
        met[key] += good
        applicable[key] += checked
        recorded[key] += 1
    villages = dict(Region.objects_unscoped.filter(level=Level.VILLAGE).annotate(p=Substr("code", 1, width))
                    .values("p").annotate(n=Count("code")).values_list("p", "n"))
    out = {}
    for code in codes:
        key = code[:width]
        unrecorded = max(villages.get(key, 0) - recorded[key], 0)
        out[code] = share(met[key], applicable[key] + unrecorded * MONEY_STANDARDS)
    return out


register_indicator(IndicatorProvider(
    "guarantees_met", "组织保障达标率", "organization", guarantees_met,
    "村达到的组织保障标准占适用标准的比例（未建党员群众之家的村不计面积标准；未填报的村记为未达标）",
))
