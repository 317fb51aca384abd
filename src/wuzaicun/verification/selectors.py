"""Reads of spot checks. The picks are secret until the plan closes (四不两直): only the plan's owner,
its inspectors and the system administrator see them; everybody else sees that a plan exists."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record

from .models import AssessmentResult, PlanStatus, SpotCheckPick, SpotCheckPlan


def plans_for(user: Any) -> QuerySet[SpotCheckPlan]:
    return scoped(SpotCheckPlan, user).select_related("region", "owner")


def get_plan_for_user(user: Any, pk: int) -> SpotCheckPlan:
    return get_for_user(plans_for(user), user, pk=pk)


def may_see_picks(user: Any, plan: SpotCheckPlan) -> bool:
    if plan.status == PlanStatus.CLOSED or getattr(user, "role", "") == "system_admin":
        return True
    if plan.owner_id is not None and plan.owner_id == getattr(user, "pk", None):
        return True
    return plan.inspectors.filter(pk=getattr(user, "pk", None)).exists()


def picks_for(user: Any, plan: SpotCheckPlan) -> QuerySet[SpotCheckPick] | None:
    """The plan's picks for a user allowed to see them (the view is audited while the plan is secret);
    None for anybody else. Closed plans are public within scope."""
    if not may_see_picks(user, plan):
        return None
    if plan.status == PlanStatus.DRAWN:
        with transaction.atomic():
            record(actor=user, action=Action.VIEW_SENSITIVE, object_type="spot_check_plan", object_id=plan.pk,
                   region_code=plan.region_id, summary=f"查看保密的{plan.label}抽查名单")
    # Inspectors are assigned only when their scope holds the plan's area, so scoping hides no pick from them.
    return scoped(SpotCheckPick, user).filter(plan=plan).select_related("assignment__village", "assignment__person", "assignment__team").order_by("stratum", "pk")


def results_for(user: Any, *, year: int) -> QuerySet[AssessmentResult]:
    return scoped(AssessmentResult, user).filter(year=year).select_related("subject", "scheme")


# --- the public verification page: closed plans only, entry numbers only ---------------------------------

def closed_plan(pk: int) -> SpotCheckPlan:
    """A closed plan for anybody (verification is public once the seed is revealed); else not found."""
    from wuzaicun.core.errors import NotFound

    plan = SpotCheckPlan.objects_unscoped.select_related("region").filter(pk=pk, status=PlanStatus.CLOSED).first()
    if plan is None:
        raise NotFound()
    return plan


def plan_population(plan: SpotCheckPlan) -> list[tuple[int, str, str]]:
    from .models import PopulationMember

    assert plan.status == PlanStatus.CLOSED
    return list(PopulationMember.objects_unscoped.filter(plan=plan).order_by("entry_id").values_list(
        "entry_id", "kind", "county"))


def plan_pick_ids(plan: SpotCheckPlan) -> list[int]:
    assert plan.status == PlanStatus.CLOSED
    return list(SpotCheckPick.objects_unscoped.filter(plan=plan).order_by("assignment_id").values_list(
        "assignment_id", flat=True))


def inspectors_for(user: Any) -> Any:
    """The active inspectors in the user's scope, to assign to a plan at the draw."""
    from wuzaicun.accounts.models import User

    return scoped(User, user).filter(role="inspector", is_active=True).order_by("username")


def open_plans_assigned(user: Any) -> int:
    """Open plans this user inspects (their picks are on the plan's page)."""
    return plans_for(user).filter(status=PlanStatus.DRAWN, inspectors=getattr(user, "pk", None)).count()
