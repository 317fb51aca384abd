"""Reads of spot checks. The picks are secret until the plan closes (四不两直): only the plan's owner,
its inspectors and the system administrator see them; everybody else sees that a plan exists."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from wuzaicun.accounts.scope import may_read, prefix_for, scoped
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.errors import NotFound
from wuzaicun.regions.codes import PREFIX_LENGTHS, code_from_prefix, prefix_of

from .models import (
    REVEALED_STATUSES,
    STANDING_STATUSES,
    AssessmentResult,
    PlanStatus,
    SpotCheckPick,
    SpotCheckPlan,
)


def quarters_to_draw(user: Any, year: int) -> tuple[list[tuple[str, str]], str]:
    """The quarters the draw form offers (the working year's and the year before, as 2016Q3 with 2016年第3季度)
    and the one chosen first: the working year's first quarter that no standing plan covering or within the
    user's area has taken (the draw's own overlap rule; one query of the public register: which plans exist, for
    which area and quarter, is public from their draw on)."""
    scope = getattr(user, "scope_id", None)
    mine = prefix_of(scope) if scope else ""
    taken = {quarter for quarter, region in public_register().filter(
        year=year, status__in=STANDING_STATUSES).values_list("quarter", "region_id")
        if mine.startswith(prefix_of(region)) or prefix_of(region).startswith(mine)}
    choices = [(f"{y}Q{q}", f"{y}年第{q}季度") for y in (year, year - 1) for q in (1, 2, 3, 4)]
    first = next((q for q in (1, 2, 3, 4) if q not in taken), 4)
    return choices, f"{year}Q{first}"


def plans_for(user: Any) -> QuerySet[SpotCheckPlan]:
    """Plans of the user's area; plans the user is named on (owner, inspector, witness); and revealed plans
    whose area holds the user's (a county's inspector reads the closed city-wide plan, for the county)."""
    prefix = prefix_for(user)
    if prefix is None or not may_read(SpotCheckPlan, user):  # 三员分立: no business data for the administrators
        return SpotCheckPlan.objects_unscoped.none()
    mine = scoped(SpotCheckPlan, user)
    if prefix:
        pk = getattr(user, "pk", None)
        covering = [code_from_prefix(prefix[:width]) for width in PREFIX_LENGTHS.values() if width <= len(prefix)]
        mine = SpotCheckPlan.objects_unscoped.filter(
            Q(pk__in=mine.values("pk")) | Q(owner=pk) | Q(witness=pk) | Q(inspectors=pk)
            | Q(status__in=REVEALED_STATUSES, region__in=covering)).distinct()
    return mine.select_related("region", "owner")


def get_plan_for_user(user: Any, pk: int) -> SpotCheckPlan:
    plan = plans_for(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


def may_see_picks(user: Any, plan: SpotCheckPlan) -> bool:
    if plan.is_revealed or getattr(user, "role", "") == "system_admin":
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
    # An inspector whose scope lies within the plan's area (a county's, on a city-wide plan) sees its picks there.
    return scoped(SpotCheckPick, user).filter(plan=plan).select_related("assignment__village", "assignment__person", "assignment__team").order_by("stratum", "pk")


def results_for(user: Any, *, year: int) -> QuerySet[AssessmentResult]:
    return scoped(AssessmentResult, user).filter(year=year).select_related("subject", "scheme")


# --- the public register and verification pages: every plan; picks and seed only once revealed ---------

def public_register() -> QuerySet[SpotCheckPlan]:
    """Every plan ever drawn, open, closed or voided: what was drawn, when, and its commitment."""
    return SpotCheckPlan.objects_unscoped.select_related("region", "witness").order_by("-drawn_at", "-id")


def public_plan(pk: int) -> SpotCheckPlan:
    """One plan of the public register; not found when there is none."""
    plan = public_register().filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


def plan_strata(plan: SpotCheckPlan) -> list[dict[str, Any]]:
    """Each stratum's size and number of picks: what the rule gives for the frozen population, public at the
    draw (the picks themselves stay secret until the seed is revealed)."""
    from django.db.models import Count

    from wuzaicun.regions.selectors import region_names

    from .models import PopulationMember
    from .sampling import picks_per_stratum

    rows = list(PopulationMember.objects_unscoped.filter(plan=plan).values("kind", "county")
                .annotate(n=Count("id")).order_by("kind", "county").values_list("kind", "county", "n"))
    names = region_names({county.ljust(12, "0") for _, county, _ in rows})
    return [{"code": f"{kind}:{county}", "label": stratum_label(kind, county, names), "size": n,
             "picks": picks_per_stratum(n, plan.rate)} for kind, county, n in rows]


def stratum_label(kind: str, county: str, names: dict[str, str]) -> str:
    """助村·红花岗区 for the stratum `helper:520302`."""
    from wuzaicun.responsibility.duties import ListKind

    kind_label = ListKind(kind).label if kind in ListKind.values else kind
    return f"{kind_label}·{names.get(county.ljust(12, '0'), county)}"


def plan_population(plan: SpotCheckPlan) -> list[tuple[int, str, str]]:
    from .models import PopulationMember

    assert plan.is_revealed
    return list(PopulationMember.objects_unscoped.filter(plan=plan).order_by("entry_id").values_list(
        "entry_id", "kind", "county"))


def plan_pick_ids(plan: SpotCheckPlan) -> list[int]:
    assert plan.is_revealed
    return list(SpotCheckPick.objects_unscoped.filter(plan=plan).order_by("assignment_id").values_list(
        "assignment_id", flat=True))


def inspectors_for(user: Any) -> Any:
    """The active inspectors in the user's scope, to assign to a plan at the draw."""
    from wuzaicun.accounts.models import User

    return scoped(User, user).filter(role="inspector", is_active=True).order_by("username")


def witnesses_for(user: Any) -> Any:
    """Who may witness a draw (e.g. the 纪委 observer): any other active account in the user's scope."""
    from wuzaicun.accounts.models import User

    return scoped(User, user).filter(is_active=True).exclude(pk=user.pk).order_by("username")


def open_plans_assigned(user: Any) -> int:
    """Open plans this user inspects (their picks are on the plan's page)."""
    return plans_for(user).filter(status=PlanStatus.DRAWN, inspectors=getattr(user, "pk", None)).count()


def village_totals_for(user: Any, *, year: int, region: str | None = None) -> dict[str, Any]:
    """{village code: the year's assessment total} within the user's scope (narrowed to `region`), one query:
    what another mechanism reads of the annual assessment (the 倒排 ranking reads the year before's)."""
    from wuzaicun.accounts.scope import narrowed

    rows = narrowed(scoped(AssessmentResult, user), region).filter(year=year, subject__level=5)
    return dict(rows.values_list("subject_id", "total"))


def plans_drawn(user: Any, *, year: int, region: str | None = None) -> int:
    """The year's standing plans (not voided) the user sees whose area holds or lies within the region (one
    query). It depends on the user, not only on the scope: a user named on a plan (owner, witness, inspector)
    sees it wherever it is (`plans_for`)."""
    from .models import STANDING_STATUSES

    plans = plans_for(user).filter(year=year, status__in=STANDING_STATUSES)
    if region:
        prefix = prefix_of(region)
        covering = [code_from_prefix(prefix[:width]) for width in PREFIX_LENGTHS.values() if width <= len(prefix)]
        plans = plans.filter(Q(region__code__within=prefix) | Q(region__in=covering))
    return plans.count()


def spot_check_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """The year's 季度抽查 as the user may see them (four queries): plans drawn (not voided) whose area holds
    or lies within the region; then, of closed plans only (an open plan's picks stay secret, whoever asks, and
    so do the findings that would name them), the entries picked, findings by result and sanctions by kind."""
    from django.db.models import Count

    from wuzaicun.accounts.scope import narrowed

    from .models import Finding, FindingResult, PlanStatus, Sanction, SanctionKind

    picks = narrowed(scoped(SpotCheckPick, user), region).filter(plan__year=year, plan__status=PlanStatus.CLOSED)
    findings = narrowed(scoped(Finding, user), region).filter(
        pick__plan__year=year, pick__plan__status=PlanStatus.CLOSED).aggregate(
        findings=Count("id"), in_place=Count("id", filter=Q(result=FindingResult.IN_PLACE)),
        mostly=Count("id", filter=Q(result=FindingResult.MOSTLY)),
        not_in_place=Count("id", filter=Q(result=FindingResult.NOT_IN_PLACE)))
    sanctions = narrowed(scoped(Sanction, user), region).filter(
        finding__pick__plan__year=year, finding__pick__plan__status=PlanStatus.CLOSED).aggregate(
        sanctions=Count("id"), **{kind: Count("id", filter=Q(kind=kind)) for kind in SanctionKind.values})
    return {"plans": plans_drawn(user, year=year, region=region), "picks": picks.count(), **findings,
            **{f"sanction_{k}" if k != "sanctions" else k: int(v or 0) for k, v in sanctions.items()}}


def assessment_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """The year's 年度考核 results in scope (one query): villages and townships assessed, villages by grade."""
    from django.db.models import Count

    from wuzaicun.accounts.scope import narrowed

    from .models import Grade, SubjectLevel

    village = Q(subject__level=SubjectLevel.VILLAGE)
    found = narrowed(scoped(AssessmentResult, user), region).filter(year=year).aggregate(
        villages=Count("id", filter=village), townships=Count("id", filter=Q(subject__level=SubjectLevel.TOWNSHIP)),
        excellent=Count("id", filter=village & Q(grade=Grade.EXCELLENT)),
        good=Count("id", filter=village & Q(grade=Grade.GOOD)),
        fair=Count("id", filter=village & Q(grade=Grade.FAIR)),
        poor=Count("id", filter=village & Q(grade=Grade.POOR)))
    return {key: int(value or 0) for key, value in found.items()}


def finding_figures_by_area(user: Any, *, within: str, width: int) -> dict[tuple[str, int], dict[str, int]]:
    """Per child area (the first `width` digits of the village code, under `within`) and year, in scope (three
    grouped queries): findings of **closed** plans' picks (an open plan's stay secret), those 到位 and 不到位,
    their sanctions, and the villages' 年度考核 results with those graded 优."""
    from django.db.models import Count

    from wuzaicun.regions.selectors import by_area, merged

    from .models import Finding, FindingResult, Grade, Sanction, SubjectLevel

    return merged(
        by_area(scoped(Finding, user).filter(pick__plan__status=PlanStatus.CLOSED), within=within, width=width,
                year="pick__plan__year", findings=Count("id"),
                findings_in_place=Count("id", filter=Q(result=FindingResult.IN_PLACE)),
                findings_not_in_place=Count("id", filter=Q(result=FindingResult.NOT_IN_PLACE))),
        by_area(scoped(Sanction, user).filter(finding__pick__plan__status=PlanStatus.CLOSED), within=within,
                width=width, year="finding__pick__plan__year", sanctions=Count("id")),
        by_area(scoped(AssessmentResult, user).filter(subject__level=SubjectLevel.VILLAGE), within=within,
                width=width, assessed_villages=Count("id"),
                assessed_excellent=Count("id", filter=Q(grade=Grade.EXCELLENT))))


def findings_recorded_by_area(user: Any, *, year: int, within: str, width: int) -> dict[str, dict[str, int]]:
    """The entries picked by the year's **closed** plans in scope and those with a finding recorded, per child
    area (the first `width` digits of the village code, under `within`) (one grouped query)."""
    from django.db.models import Count

    from wuzaicun.regions.selectors import by_area

    picks = scoped(SpotCheckPick, user).filter(plan__year=year, plan__status=PlanStatus.CLOSED)
    found = by_area(picks, within=within, width=width, year="plan__year", picks=Count("id"),
                    picks_with_finding=Count("id", filter=Q(finding__isnull=False)))
    return {area: values for (area, _), values in found.items()}
# --- 一村一档 (insight reads these) ------------------------------------------------------------------------

def village_findings(user: Any, code: str) -> list[SpotCheckPick]:
    """The village's entries picked by **closed** spot-check plans, every year, with their finding (one query).
    An open plan's picks are secret whoever asks (docs/sampling.md): they never appear here, not even counted."""
    return list(scoped(SpotCheckPick, user).filter(village_id=code, plan__status=PlanStatus.CLOSED)
                .select_related("plan", "assignment__person", "assignment__team", "finding")
                .order_by("-plan__year", "-plan__quarter", "id"))


def village_assessments(user: Any, code: str) -> list[AssessmentResult]:
    """The village's annual assessment results of every year, newest first (one query)."""
    return list(scoped(AssessmentResult, user).filter(subject_id=code).order_by("-year"))
