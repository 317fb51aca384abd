"""Coverage rules of 村级集体经济: `village_collective_entity` (一村一实体) and `village_shell` (空壳村)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from wuzaicun.responsibility.coverage import SubjectKind, register_rule
from wuzaicun.responsibility.rules import EffectiveRule, Gap, RuleSpec

from ..rules.economy import shell_reason
from ..selectors.economy import shell_villages, villages_for, villages_without_entity


def check_entity(user: Any, year: int, region: str | None, rule: EffectiveRule,
                 due: dt.date) -> tuple[int, Iterator[Gap]]:
    missing = villages_without_entity(user, year=year, region=region).values_list("code", "name")

    def gaps() -> Iterator[Gap]:
        for code, name in missing.iterator(chunk_size=5000):
            yield Gap("village_collective_entity", "village_economy", code, code, f"{name}没有村集体经济实体")

    return villages_for(user, region=region).count(), gaps()


def check_shell(user: Any, year: int, region: str | None, rule: EffectiveRule,
                due: dt.date) -> tuple[int, Iterator[Gap]]:
    shells = shell_villages(user, year=year, region=region).values_list("code", "name", "has_entity", "collective")  # type: ignore[misc]

    def gaps() -> Iterator[Gap]:
        for code, name, has_entity, collective in shells.iterator(chunk_size=5000):
            reason = shell_reason(entities=1 if has_entity else 0, collective_income=collective)
            yield Gap("village_shell", "village_economy", code, code, f"{name}是{year}年空壳村：{reason}")

    return villages_for(user, region=region).count(), gaps()


def _link(gap: Gap, year: int) -> str:
    from django.urls import reverse

    return f"{reverse('organization:entities')}?year={year}&region={gap.subject_id}"


_SUBJECTS = {"village_economy": SubjectKind("村集体经济", _link)}
register_rule(RuleSpec("village_collective_entity", "每个村至少有1个村集体经济实体（一村一实体）", "village_economy"),
              check_entity, subjects=_SUBJECTS)
register_rule(RuleSpec("village_shell", "消除“空壳村”（没有实体或当年没有集体收入）", "village_economy"),
              check_shell, subjects=_SUBJECTS)
