"""Coverage rule `weak_org_rectification_overdue`: a rectification case past its deadline and not 已转化."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.responsibility.coverage import SubjectKind, register_rule
from wuzaicun.responsibility.rules import EffectiveRule, Gap, RuleSpec

from ..models.rectification import RectificationCase
from ..selectors.rectification import overdue_condition, today

CODE = "weak_org_rectification_overdue"
SPEC = RuleSpec(CODE, "软弱涣散党组织整顿在时限内转化", "rectification_case")


def check(user: Any, year: int, region: str | None, rule: EffectiveRule, due: dt.date) -> tuple[int, Iterator[Gap]]:
    """The year's cases in scope are checked; each past its deadline and not 已转化 is a gap (one query each)."""
    cases = narrowed(scoped(RectificationCase, user), region).filter(year=year)
    late = cases.filter(overdue_condition(today())).values_list("pk", "village_id", "village__name", "deadline",
                                                                 "status").order_by("village_id", "pk")

    def gaps() -> Iterator[Gap]:
        labels = {"in_progress": "整顿中", "submitted": "待验收"}
        for pk, village, name, deadline, status in late:
            yield Gap(CODE, "rectification_case", str(pk), village,
                      f"{name}的软弱涣散党组织整顿已过时限 {deadline}，仍为“{labels.get(status, status)}”")

    return cases.count(), gaps()


register_rule(SPEC, check, subjects={
    "rectification_case": SubjectKind("整顿案例", lambda g, year: reverse("organization:case", args=[int(g.subject_id)])),
})
