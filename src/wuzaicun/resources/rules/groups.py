"""十户一体: who may head a group, and when a group is too far from ten households (the `group_size` rule)."""

from __future__ import annotations

from wuzaicun.registry.models import PARTY_STATUSES

TARGET_SIZE = 10  # “十户一体”: about ten households a group
DEFAULT_TOLERANCE = 5  # `group_size` flags a group with fewer than 5 or more than 15 member households


def head_problem(*, name: str, political_status: str, person_region: str, village: str, village_name: str) -> str | None:
    """A 党群连心户户长 is a party member (能人党员) who lives in the group's village."""
    if political_status not in PARTY_STATUSES:
        return f"{name}的政治面貌为“{political_status}”，党群连心户户长须为中共党员"
    if person_region != village:
        return f"{name}不是{village_name}的人员，不能担任该村“十户一体”的户长"
    return None


def size_problem(members: int, tolerance: int = DEFAULT_TOLERANCE) -> str | None:
    """None when the group has about ten households (10 ± tolerance), else what is wrong, in Chinese."""
    low, high = max(TARGET_SIZE - tolerance, 1), TARGET_SIZE + tolerance
    if members < low:
        return f"只有 {members} 户，少于 {low} 户"
    if members > high:
        return f"有 {members} 户，多于 {high} 户"
    return None
