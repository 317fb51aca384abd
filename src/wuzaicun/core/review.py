"""The one small review workflow every upward submission uses (待审核 / 通过 / 有问题 / 退回).

Ledger reconciliations use it now; rectification cases, fund decisions and spot-check findings
will use the same states and the same rules.
"""

from __future__ import annotations

from django.db import models


class ReviewState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "通过"
    PROBLEM = "problem", "有问题"
    RETURNED = "returned", "退回"


DECISIONS = (ReviewState.APPROVED, ReviewState.PROBLEM, ReviewState.RETURNED)


def review_problem(current: str, decision: str, note: str) -> str | None:
    """None when `decision` may be taken on a submission in state `current`, else the Chinese reason."""
    if decision not in DECISIONS:
        return f"审核结论“{decision}”无效，应为通过、有问题或退回"
    if current != ReviewState.PENDING:
        return f"该材料当前状态为“{ReviewState(current).label}”，只有待审核的材料可以审核"
    if decision in (ReviewState.PROBLEM, ReviewState.RETURNED) and not note.strip():
        return f"审核结论为“{ReviewState(decision).label}”时必须填写意见"
    return None


def resubmit_problem(current: str) -> str | None:
    """A submission may be sent again only after it was returned (退回)."""
    if current == ReviewState.RETURNED:
        return None
    return f"该材料当前状态为“{ReviewState(current).label}”，只有被退回的材料可以重新提交"


# Roles in the order of the administrative hierarchy, for "approved one level up" (上一级审批).
ROLE_LEVEL = {"village_reporter": 1, "township_admin": 2, "county_admin": 3, "city_admin": 4, "system_admin": 5}


def one_level_up(requester_role: str, approver_role: str) -> bool:
    return ROLE_LEVEL.get(approver_role, 0) > ROLE_LEVEL.get(requester_role, 0)
