"""一村一档: what 干部在村成长 holds about one village (insight reads it); one query a block, whatever its size."""

from __future__ import annotations

from typing import Any

from wuzaicun.accounts.scope import scoped

from ..models.dispatch import Dispatch, WorkingGroup
from ..models.talents import SecretaryProject, TalentVillage
from .dispatch import active_during


def village_groups(user: Any, code: str, *, year: int) -> list[WorkingGroup]:
    """The 驻村工作组 in post in the village at some time of the year, with unit and leader (one query)."""
    return list(scoped(WorkingGroup, user).filter(active_during(year), village_id=code)
                .select_related("unit", "leader").order_by("start", "id"))


def village_dispatches(user: Any, code: str, *, year: int) -> list[Dispatch]:
    """第一书记 and 驻村干部 in post in the village at some time of the year, 第一书记 first (one query)."""
    return list(scoped(Dispatch, user).filter(active_during(year), village_id=code)
                .select_related("person", "unit").order_by("kind", "start", "id"))


def village_dispatch_years(user: Any, code: str) -> list[Dispatch]:
    """历年: every dispatch to the village, newest first (one query; a village has a few a year)."""
    return list(scoped(Dispatch, user).filter(village_id=code).select_related("person", "unit")
                .order_by("-start", "kind", "id"))


def village_secretary_projects(user: Any, code: str, *, year: int) -> list[SecretaryProject]:
    """Projects that the year's 项目书记 lead (领办) or drive (带动) in the village, with the secretary (one query)."""
    return list(scoped(SecretaryProject, user).filter(village_id=code, secretary__year=year)
                .select_related("secretary__person").order_by("role", "id"))


def village_talents(user: Any, code: str, *, year: int) -> list[TalentVillage]:
    """千村千人 talents of the year serving the village (one query)."""
    return list(scoped(TalentVillage, user).filter(village_id=code, talent__year=year)
                .select_related("talent__person").order_by("talent_id"))
