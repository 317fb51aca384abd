"""Coverage rules of 十户一体: `daicun_group_head` (every 能人党员 in the year's 带村 list heads a group in that
village; it replaces the lists' placeholder, which could not see groups) and `group_size` (a group more than the
threshold's households away from ten)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.responsibility.coverage import SubjectKind, register_rule
from wuzaicun.responsibility.duties import ListKind
from wuzaicun.responsibility.rules import RULES_BY_CODE, EffectiveRule, Gap, RuleSpec
from wuzaicun.responsibility.selectors import entries_for

from ..models.groups import TenHouseholdGroup
from ..rules.groups import DEFAULT_TOLERANCE, TARGET_SIZE, size_problem


def check_heads(user: Any, year: int, region: str | None, rule: EffectiveRule,
                due: dt.date) -> tuple[int, Iterator[Gap]]:
    heads = scoped(TenHouseholdGroup, user).filter(head=OuterRef("person"), village=OuterRef("village"))
    entries = entries_for(user, year=year, kind=ListKind.GROUP_HEAD, region=region or "", household_counts=False)
    missing = (entries.filter(~Exists(heads)).values_list("pk", "village_id", "village__name", "person__name")
               .order_by("pk"))

    def gaps() -> Iterator[Gap]:
        for pk, village, village_name, person in missing.iterator(chunk_size=5000):
            yield Gap("daicun_group_head", "assignment", str(pk), village,
                      f"{village_name}带村清单中的{person or '责任人'}尚未担任“十户一体”党群连心户户长")

    return entries.count(), gaps()


def check_size(user: Any, year: int, region: str | None, rule: EffectiveRule,
               due: dt.date) -> tuple[int, Iterator[Gap]]:
    tolerance = rule.threshold if rule.threshold is not None else DEFAULT_TOLERANCE
    groups = narrowed(scoped(TenHouseholdGroup, user), region).annotate(n=Count("members"))
    far = (groups.filter(Q(n__lt=max(TARGET_SIZE - tolerance, 1)) | Q(n__gt=TARGET_SIZE + tolerance))
           .values_list("pk", "village_id", "village__name", "name", "n").order_by("pk"))

    def gaps() -> Iterator[Gap]:
        for pk, village, village_name, name, n in far.iterator(chunk_size=5000):
            yield Gap("group_size", "ten_household_group", str(pk), village,
                      f"{village_name}“{name}”{size_problem(n, tolerance)}（应为10户左右）")

    return groups.count(), gaps()


def _link(gap: Gap, year: int) -> str:
    from django.urls import reverse

    return reverse("resources:group", args=[int(gap.subject_id)])


register_rule(RULES_BY_CODE["daicun_group_head"], check_heads)
register_rule(RuleSpec("group_size", "“十户一体”小组约10户（偏离不超过N户）", "ten_household_group", DEFAULT_TOLERANCE,
                       "允许偏离户数"), check_size, subjects={"ten_household_group": SubjectKind("十户一体小组", _link)})
