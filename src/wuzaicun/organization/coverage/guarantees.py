"""Coverage rule of 组织保障: `village_guarantee_below_standard`, one gap a village below any standard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from wuzaicun.responsibility.coverage import SubjectKind, register_rule
from wuzaicun.responsibility.rules import EffectiveRule, Gap, RuleSpec

from ..rules.guarantees import shortfalls
from ..selectors.guarantees import (
    shortfall_rows,
    standard_values,
    values_of,
    villages_in,
    villages_without_record,
)

CODE = "village_guarantee_below_standard"


def check(user: Any, year: int, region: str | None, rule: EffectiveRule, due: dt.date) -> tuple[int, Iterator[Gap]]:
    thresholds = standard_values(year)
    below = shortfall_rows(user, year=year, region=region)
    missing = villages_without_record(user, year=year, region=region).values_list("code", "name")

    def gaps() -> Iterator[Gap]:
        for g in below.iterator(chunk_size=5000):
            found = "；".join(s.message for s in shortfalls(values_of(g), thresholds))
            yield Gap(CODE, "village_guarantee", g.village_id, g.village_id, f"{g.village.name}{year}年组织保障未达标：{found}")
        for code, name in missing.iterator(chunk_size=5000):
            yield Gap(CODE, "village_guarantee", code, code, f"{name}未填报{year}年组织保障")

    return villages_in(user, region).count(), gaps()


def _link(gap: Gap, year: int) -> str:
    from django.urls import reverse

    return f"{reverse('organization:guarantees')}?year={year}&region={gap.subject_id}"


register_rule(RuleSpec(CODE, "每个村的组织保障达到标准（报酬、经费、党员群众之家）", "village_guarantee"), check,
              subjects={"village_guarantee": SubjectKind("村组织保障", _link)})
