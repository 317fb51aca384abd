"""Coverage of the orgs area (registered on import): every village in scope has a 村务监督委员会."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.regions.models import Level, Region
from wuzaicun.responsibility.coverage import SubjectKind, register_rule
from wuzaicun.responsibility.rules import EffectiveRule, Gap, RuleSpec

CODE = "village_supervisory_committee"
SPEC = RuleSpec(CODE, "每个村都建立村务监督委员会", "village_committee")


def _villages_without_committee(user: Any, year: int, region: str | None, rule: EffectiveRule,
                                due: dt.date) -> tuple[int, Iterator[Gap]]:
    """Villages in scope (narrowed to `region`) with no committee: a count and a left join, whatever the size."""
    villages = narrowed(scoped(Region, user), region).filter(level=Level.VILLAGE)
    missing = villages.filter(supervisory_committee__isnull=True).values_list("code", "name").order_by("code")

    def gaps() -> Iterator[Gap]:
        for code, name in missing.iterator(chunk_size=5000):
            yield Gap(CODE, "village_committee", code, code, f"“{name}”未建立村务监督委员会")

    return villages.count(), gaps()


def _committee_link(gap: Gap, year: int) -> str:
    from django.urls import reverse

    return f"{reverse('organization:committees')}?tab=without&region={gap.region_code}"


register_rule(SPEC, _villages_without_committee,
              subjects={"village_committee": SubjectKind("村", _committee_link)})
