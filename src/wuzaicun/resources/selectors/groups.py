"""Reads of 十户一体: groups in scope with their size, members and entities (every read scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped

from ..models.groups import GroupEntity, GroupMember, TenHouseholdGroup
from ..rules.groups import DEFAULT_TOLERANCE, TARGET_SIZE


def group_size_tolerance(year: int) -> int:
    """How far from ten households a group may be, as the year's `group_size` rule is set (规则设置)."""
    from wuzaicun.responsibility.selectors import rule_settings

    _, threshold = rule_settings(year).get("group_size", (True, None))
    return threshold if threshold is not None else DEFAULT_TOLERANCE


def groups_for(user: Any, *, region: str | None = None, q: str = "", size: str = "",
               tolerance: int = DEFAULT_TOLERANCE) -> QuerySet[TenHouseholdGroup]:
    """Groups in scope with `member_count` and `entity_count`; `size` "far" keeps those more than `tolerance`
    households from ten."""
    rows = narrowed(scoped(TenHouseholdGroup, user), region)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(head__name__icontains=q) | Q(village__name__icontains=q))
    rows = rows.annotate(member_count=Count("members", distinct=True), entity_count=Count("entities", distinct=True))
    if size == "far":
        rows = rows.filter(Q(member_count__lt=max(TARGET_SIZE - tolerance, 1))
                           | Q(member_count__gt=TARGET_SIZE + tolerance))
    return rows.select_related("village", "village__parent", "head").order_by("village_id", "name")


def get_group_for_user(user: Any, pk: int) -> TenHouseholdGroup:
    return get_for_user(scoped(TenHouseholdGroup, user).select_related("village", "village__parent", "head"),
                        user, pk=pk)


def members_of(user: Any, group: TenHouseholdGroup) -> QuerySet[GroupMember]:
    return scoped(GroupMember, user).filter(group=group).select_related("household").order_by("household__head_name")


def entities_of(user: Any, group: TenHouseholdGroup) -> QuerySet[GroupEntity]:
    return scoped(GroupEntity, user).filter(group=group).order_by("kind", "name")


def group_totals(user: Any, *, region: str | None = None, year: int | None = None) -> dict[str, int]:
    """Groups, member households and tied entities in scope (with `year`: of the groups formed by its end)."""
    formed = {} if year is None else {"formed_on__year__lte": year}
    return {"groups": narrowed(scoped(TenHouseholdGroup, user), region).filter(**formed).count(),
            "households": narrowed(scoped(GroupMember, user), region).filter(
                **{f"group__{k}": v for k, v in formed.items()}).count(),
            "entities": narrowed(scoped(GroupEntity, user), region).filter(
                **{f"group__{k}": v for k, v in formed.items()}).count()}
