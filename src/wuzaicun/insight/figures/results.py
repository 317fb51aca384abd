"""取得成效: the year's outcome in the villages and households (出列, 脱贫) and the 一村一实体 coverage."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wuzaicun.regions.selectors import village_year_counts
from wuzaicun.registry.selectors import household_year_counts

from . import Figure, once


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.01")) if whole else Decimal(0)


def figures(user: Any, year: int, region: str | None) -> list[Figure]:
    villages = once(village_year_counts, user, year=year, region=region)
    households = once(household_year_counts, user, year=year, region=region)
    return [
        Figure("villages", "村（含社区）", villages["villages"], "个"),
        Figure("poor_villages_exited", "当年出列贫困村", villages["exited"], "个"),
        Figure("poor_villages_exited_share", "贫困村出列比例", _share(villages["exited"], villages["poor"]), "%"),
        Figure("poor_households", "建档立卡贫困户", households["households"], "户"),
        Figure("households_exited", "当年脱贫户", households["exited"], "户"),
        Figure("households_still_poor", "年末未脱贫户", households["poor"], "户"),
    ]
