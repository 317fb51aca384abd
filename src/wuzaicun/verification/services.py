"""Writes of 成效在村检验: drawing, closing and verifying quarterly spot-check plans."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import code_in_scope, get_for_user
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core import crypto
from wuzaicun.core.bounds import MAX_YEAR, MIN_YEAR
from wuzaicun.core.errors import DomainError, NotFound, OutOfOrder, PermissionDenied
from wuzaicun.core.evidence import attach_evidence
from wuzaicun.core.text import required_text
from wuzaicun.regions.codes import code_from_prefix, prefix_of
from wuzaicun.regions.models import Region
from wuzaicun.responsibility.selectors import draw_population
from wuzaicun.responsibility.services import mark_spot_checks
from wuzaicun.tabular.bulk import insert_rows

from .models import (
    CHECKLIST,
    STANDING_STATUSES,
    Finding,
    FindingEvidence,
    FindingResult,
    PlanStatus,
    PopulationMember,
    Sanction,
    SanctionKind,
    SpotCheckPick,
    SpotCheckPlan,
)
from .sampling import Member, commitment, draw, draw_key, population_hash, rate_problem, strata_sizes

SEED_CONTEXT = b"spot_check_seed"
_QUARTER = re.compile(r"^(\d{4})\s*[Qq季]?\s*([1-4])$")



def parse_quarter(text: str) -> tuple[int, int]:
    """'2016Q3' (or 2016q3, 2016-3) to (2016, 3)."""
    match = _QUARTER.match(text.strip().replace("-", ""))
    if not match or not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
        raise DomainError(f"季度“{text}”无效，应写作 2016Q3", field="季度")
    return int(match[1]), int(match[2])


def draw_spot_check_plan(
    *, actor: Any, year: int, quarter: int, rate: Decimal = Decimal("0.10"), region_code: str,
    exclude_checked: bool = False, inspector_ids: list[int] | None = None, witness_id: int | None = None,
    durable: bool = True,
) -> SpotCheckPlan:
    """Freeze the population, seal a fresh secret seed and publish its commitment; draw the picks now,
    or, with a witness, once the witness has added a contribution (`witness_plan`)."""
    require_perm(actor, Perm.RUN_SPOT_CHECKS)
    if problem := rate_problem(rate):
        raise DomainError(problem, field="抽查比例")
    region = get_for_user(Region, actor, code=region_code)
    witness = _witness(actor, witness_id) if witness_id else None
    # `durable=False` only for a caller that holds the transaction itself (the synthetic data run).
    with transaction.atomic(durable=durable):
        _lock_quarter_draws(region.code)
        _refuse_overlap(year=year, quarter=quarter, region=region)
        rows = draw_population(actor, year=year, region=region.code)
        if exclude_checked:
            # Only picks already public may be left out: leaving out an open plan's picks would let
            # anybody find them by subtracting this plan's published population from the year's entries.
            checked = set(SpotCheckPick.objects_unscoped.filter(
                plan__year=year, plan__status=PlanStatus.CLOSED).values_list("assignment_id", flat=True))
            rows = [row for row in rows if row[0] not in checked]
        if not rows:
            raise DomainError(f"{region.name}{year}年度没有可抽查的清单条目", code="empty_population")
        members = [Member(pk, kind, village[:6]) for pk, kind, village in rows]
        seed = os.urandom(32)
        plan = SpotCheckPlan.objects_unscoped.create(
            year=year, quarter=quarter, region=region, rate=rate, exclude_checked=exclude_checked,
            owner=actor if getattr(actor, "pk", None) else None, witness=witness,
            status=PlanStatus.AWAITING_WITNESS if witness else PlanStatus.DRAWN,
            seed_sealed=crypto.encrypt(seed.hex(), context=SEED_CONTEXT), seed_commitment=commitment(seed),
            population_hash=population_hash(members), population_size=len(members),
            pick_count=sum(k for *_, k in strata_sizes(members, rate)),
        )
        if inspector_ids:
            plan.inspectors.set(_inspectors(actor, inspector_ids, region))
        insert_rows(PopulationMember._meta.db_table, ("plan_id", "entry_id", "kind", "county"),
                    ((plan.pk, m.entry_id, m.kind, m.county) for m in members))
        if witness is None:
            _insert_picks(plan, draw(draw_key(seed), members, rate))
        # The audit row says that a plan was drawn and how big it is, never which entries were picked.
        record(actor=actor, action=Action.CREATE, object_type="spot_check_plan", object_id=plan.pk,
               region_code=region.code,
               summary=f"抽取{year}年第{quarter}季度抽查计划：总体 {len(members)} 条，比例 {rate}，"
                       f"承诺值 {plan.seed_commitment[:16]}…" + (f"，待见证人{witness.display_name}提交随机数"
                                                               if witness else ""))
    return plan


def _insert_picks(plan: SpotCheckPlan, picks: list[Member]) -> None:
    """The picks with their entries' villages (D49), read with the plan's frozen population in one query."""
    villages = dict(PopulationMember.objects_unscoped.filter(plan=plan).values_list("entry_id", "entry__village_id"))
    insert_rows(SpotCheckPick._meta.db_table, ("plan_id", "assignment_id", "village_id", "stratum"),
                ((plan.pk, m.entry_id, villages[m.entry_id], f"{m.kind}:{m.county}") for m in picks))


def _lock_quarter_draws(region_code: str) -> None:
    """Serialise draws within a province so that two overlapping draws cannot both pass the check."""
    list(Region.objects_unscoped.select_for_update().filter(code=code_from_prefix(region_code[:2])))


def _refuse_overlap(*, year: int, quarter: int, region: Region) -> None:
    """One plan per quarter and area: a plan whose area holds, or lies in, this one stands unless voided."""
    mine = prefix_of(region.code)
    for other in SpotCheckPlan.objects_unscoped.filter(
            year=year, quarter=quarter, status__in=STANDING_STATUSES).select_related("region"):
        theirs = prefix_of(other.region_id)
        if mine.startswith(theirs) or theirs.startswith(mine):
            raise DomainError(
                f"{year}年第{quarter}季度已有覆盖{other.region.name}的抽查计划（{other.number}），每季度每个地区只能抽取一次；"
                "确需重抽，须先由该计划负责人写明原因将其作废", code="plan_exists", field="季度")


def _witness(actor: Any, witness_id: int) -> Any:
    from wuzaicun.accounts.models import User
    from wuzaicun.accounts.scope import scoped

    witness = scoped(User, actor).filter(pk=witness_id, is_active=True).first()
    if witness is None:
        raise DomainError("见证人不存在或不在您的管辖范围内", field="见证人")
    if witness.pk == getattr(actor, "pk", None):
        raise DomainError("见证人须是抽取人以外的另一人", field="见证人")
    return witness


def witness_plan(*, actor: Any, plan_id: int, contribution: str) -> SpotCheckPlan:
    """The witness adds a random contribution after the commitment is public; only then are the picks
    drawn, from a key neither the drawer nor the witness could know or choose alone."""
    contribution = required_text(contribution, field="见证随机数", max_length=200, hint="（如掷骰子的结果或任意随机字符）")
    with transaction.atomic(durable=True):
        plan = SpotCheckPlan.objects_unscoped.select_for_update().filter(pk=plan_id).first()
        if plan is None or plan.witness_id is None or plan.witness_id != getattr(actor, "pk", None):
            raise NotFound()
        if plan.status != PlanStatus.AWAITING_WITNESS:
            raise OutOfOrder("该抽查计划已见证或已结束")
        seed = bytes.fromhex(crypto.decrypt(plan.seed_sealed, context=SEED_CONTEXT))
        members = _frozen_members(plan)
        picks = draw(draw_key(seed, contribution), members, plan.rate)
        _insert_picks(plan, picks)
        plan.witness_contribution, plan.witnessed_at = contribution, timezone.now()
        plan.status = PlanStatus.DRAWN
        plan.save(update_fields=["witness_contribution", "witnessed_at", "status"])
        record(actor=actor, action=Action.UPDATE, object_type="spot_check_plan", object_id=plan.pk,
               region_code=plan.region_id, summary=f"见证{plan.label}抽查计划，提交随机数“{contribution}”")
    return plan


def _frozen_members(plan: SpotCheckPlan) -> list[Member]:
    return [Member(e, k, c) for e, k, c in
            PopulationMember.objects_unscoped.filter(plan=plan).values_list("entry_id", "kind", "county")]


def _inspectors(actor: Any, ids: list[int], region: Region) -> list[Any]:
    from wuzaicun.accounts.models import User
    from wuzaicun.accounts.scope import scoped

    found = list(scoped(User, actor).filter(pk__in=ids, role="inspector", is_active=True))
    if len(found) != len(set(ids)):
        raise DomainError("督查员不存在或不在您的管辖范围内", field="督查员")
    area = prefix_of(region.code)
    for inspector in found:
        theirs = inspector.scope_prefix
        # An inspector checks the picks in their own scope: it must hold the area or lie within it.
        if theirs is None or not (area.startswith(theirs) or theirs.startswith(area)):
            raise DomainError(f"督查员{inspector.display_name}的管辖范围与{region.name}不相交", field="督查员")
    return found


def close_plan(*, actor: Any, plan_id: int, durable: bool = True) -> SpotCheckPlan:
    """End the quarter's checks: the picks become public and the seed is revealed for verification."""
    require_perm(actor, Perm.RUN_SPOT_CHECKS)
    with transaction.atomic(durable=durable):
        get_for_user(SpotCheckPlan, actor, pk=plan_id)
        plan = SpotCheckPlan.objects_unscoped.select_for_update(of=("self",)).get(pk=plan_id)
        if plan.status == PlanStatus.AWAITING_WITNESS:
            raise OutOfOrder("见证人尚未提交随机数，还没有抽中名单，不能结束；如需放弃请作废")
        if plan.status != PlanStatus.DRAWN:
            raise OutOfOrder("该抽查计划已结束")
        _require_owner(actor, plan, "结束")
        plan.revealed_seed = crypto.decrypt(plan.seed_sealed, context=SEED_CONTEXT)
        plan.status, plan.closed_at = PlanStatus.CLOSED, timezone.now()
        plan.save(update_fields=["revealed_seed", "status", "closed_at"])
        # Findings reach the ledger only now: while the plan is open a marked line would show its picks.
        marked = mark_spot_checks(Finding.objects_unscoped.filter(pick__plan=plan).values_list(
            "pick__assignment_id", "result"))
        record(actor=actor, action=Action.UPDATE, object_type="spot_check_plan", object_id=plan.pk,
               region_code=plan.region_id,
               summary=f"结束{plan.label}抽查计划，公开种子 {plan.revealed_seed}，标记台账 {marked} 条")
    return plan


def void_plan(*, actor: Any, plan_id: int, reason: str) -> SpotCheckPlan:
    """Void a plan drawn in error (wrong area, rate or quarter): it ends at once, its seed is revealed
    and it stays on the public register with the reason, so a redraw is never done in the dark."""
    require_perm(actor, Perm.RUN_SPOT_CHECKS)
    reason = required_text(reason, field="作废原因", max_length=500)
    with transaction.atomic(durable=True):
        get_for_user(SpotCheckPlan, actor, pk=plan_id)
        plan = SpotCheckPlan.objects_unscoped.select_for_update(of=("self",)).get(pk=plan_id)
        if plan.status not in (PlanStatus.AWAITING_WITNESS, PlanStatus.DRAWN):
            raise OutOfOrder("该抽查计划已结束，不能作废")
        _require_owner(actor, plan, "作废")
        if Finding.objects_unscoped.filter(pick__plan=plan).exists():
            raise OutOfOrder("该抽查计划已录入检查结果，不能作废，请按期结束")
        plan.revealed_seed = crypto.decrypt(plan.seed_sealed, context=SEED_CONTEXT)
        plan.status, plan.closed_at, plan.void_reason = PlanStatus.VOIDED, timezone.now(), reason
        plan.save(update_fields=["revealed_seed", "status", "closed_at", "void_reason"])
        record(actor=actor, action=Action.UPDATE, object_type="spot_check_plan", object_id=plan.pk,
               region_code=plan.region_id,
               summary=f"作废{plan.label}抽查计划（{reason}），公开种子 {plan.revealed_seed}")
    return plan


def _require_owner(actor: Any, plan: SpotCheckPlan, doing: str) -> None:
    is_owner = plan.owner_id is not None and plan.owner_id == getattr(actor, "pk", None)
    if not is_owner and getattr(actor, "role", "") != "system_admin":
        raise PermissionDenied(f"只有抽查计划的负责人或系统管理员可以{doing}计划")


@dataclass
class Verification:
    plan_id: int
    ok: bool
    checks: dict[str, bool] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"plan": self.plan_id, "ok": self.ok, "checks": self.checks, "problems": self.problems}


def verify_plan(*, plan_id: int) -> Verification:
    """Redo the draw from the revealed seed and the stored population; any difference fails loudly."""
    plan = SpotCheckPlan.objects_unscoped.filter(pk=plan_id).first()
    if plan is None:
        raise DomainError(f"抽查计划 {plan_id} 不存在", code="not_found")
    if not plan.is_revealed or not plan.revealed_seed:
        raise OutOfOrder("抽查计划尚未结束，种子未公开，不能验证")
    result = Verification(plan_id=plan.pk, ok=True)
    seed = bytes.fromhex(plan.revealed_seed)
    members = _frozen_members(plan)
    stored = set(SpotCheckPick.objects_unscoped.filter(plan=plan).values_list("assignment_id", flat=True))
    result.checks = {
        "commitment": commitment(seed) == plan.seed_commitment,
        "population_hash": population_hash(members) == plan.population_hash,
        "population_size": len(members) == plan.population_size,
    }
    # A plan voided while it waited for its witness never had picks: there is nothing to redraw.
    drawn = plan.witness_id is None or bool(plan.witness_contribution)
    redrawn = {m.entry_id for m in draw(draw_key(seed, plan.witness_contribution), members, plan.rate)} \
        if drawn else set()
    if drawn:
        result.checks["picks"] = redrawn == stored
    messages = {
        "commitment": "公开的种子与抽取时公布的承诺值不符",
        "population_hash": "冻结的总体与抽取时公布的总体哈希不符",
        "population_size": "冻结的总体条目数与抽取时不符",
        "picks": f"按公开的种子重新抽取的结果与保存的抽中名单不符（重抽 {len(redrawn)} 条，保存 {len(stored)} 条）",
    }
    result.problems = [messages[name] for name, passed in result.checks.items() if not passed]
    result.ok = not result.problems
    return result


def _check_finding(*, result: str, notes: str, checklist: dict[str, bool], sanction: dict[str, Any] | None) -> None:
    if result not in FindingResult.values:
        raise DomainError(f"检查结果“{result}”无效，应为到位、基本到位或不到位", field="检查结果")
    if not notes.strip():
        raise DomainError("请填写情况说明", field="情况说明")
    unknown = set(checklist) - {key for key, _ in CHECKLIST}
    if unknown:
        raise DomainError(f"“四不两直”清单项无效：{'、'.join(sorted(unknown))}", field="四不两直")
    if result != FindingResult.NOT_IN_PLACE:
        return
    if not sanction:
        raise DomainError("检查结果为“不到位”时须写明处理方式、处理决定和整改任务", field="处理方式")
    if sanction.get("kind") not in SanctionKind.values:
        raise DomainError("处理方式应为召回、组织调整、约谈或问责", field="处理方式")
    if not str(sanction.get("decision", "")).strip() or not str(sanction.get("task", "")).strip():
        raise DomainError("请写明处理决定和整改任务", field="处理决定")


def _open_pick(actor: Any, pick: SpotCheckPick | None) -> SpotCheckPick:
    """A pick the actor may record for, of a plan still open; else not found, or out of order."""
    if pick is None or not _may_record(actor, pick.plan, pick.assignment.village_id):
        raise NotFound()
    if pick.plan.status != PlanStatus.DRAWN:
        raise OutOfOrder("抽查计划已结束，不能再录入或修改检查结果")
    return pick


def record_finding(
    *, actor: Any, pick_id: int, visited_on: dt.date, inspector_ids: list[int], checklist: dict[str, bool],
    result: str, notes: str, sanction: dict[str, Any] | None = None,
    files: Iterable[tuple[Iterable[bytes], str]] = (),
) -> Finding:
    """The visit to a pick (四不两直) with its finding; 不到位 requires a sanction and a rectification task.
    Recorded by the plan's inspectors (for the picks in their scope) or owner, while the plan is open;
    the entry's ledger lines are marked when the plan closes."""
    _check_finding(result=result, notes=notes, checklist=checklist, sanction=sanction)
    with transaction.atomic(durable=True):
        pick = _open_pick(actor, SpotCheckPick.objects_unscoped.select_related("plan", "assignment").filter(
            pk=pick_id).first())
        if Finding.objects_unscoped.filter(pick=pick).exists():
            raise OutOfOrder("该条目已录入检查结果，请打开该结果修改")
        finding = Finding.objects_unscoped.create(
            pick=pick, visited_on=visited_on, checklist={key: bool(checklist.get(key)) for key, _ in CHECKLIST},
            result=result, notes=notes.strip(), recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        finding.inspectors.set(list(pick.plan.inspectors.filter(pk__in=inspector_ids)))
        if result == FindingResult.NOT_IN_PLACE and sanction:
            Sanction.objects_unscoped.create(finding=finding, kind=sanction["kind"], decision=sanction["decision"],
                                             decided_on=sanction.get("decided_on") or visited_on,
                                             task=sanction["task"], deadline=sanction["deadline"])
        attach_evidence(FindingEvidence, files, finding=finding)
        # Audited without naming the village: the plan is still secret.
        record(actor=actor, action=Action.CREATE, object_type="spot_check_finding", object_id=finding.pk,
               region_code=pick.plan.region_id,
               summary=f"录入{pick.plan.label}抽查结果（{FindingResult(result).label}）")
    return finding


def correct_finding(
    *, actor: Any, finding_id: int, visited_on: dt.date, checklist: dict[str, bool], result: str, notes: str,
    sanction: dict[str, Any] | None = None, files: Iterable[tuple[Iterable[bytes], str]] = (),
) -> Finding:
    """Correct a saved finding while its plan is open (by whoever may record it). A sanction whose
    rectification is already being followed up stays: the result can no longer leave 不到位."""
    _check_finding(result=result, notes=notes, checklist=checklist, sanction=sanction)
    with transaction.atomic(durable=True):
        finding = Finding.objects_unscoped.select_for_update(of=("self",)).select_related(
            "pick__plan", "pick__assignment").filter(pk=finding_id).first()
        _open_pick(actor, finding.pick if finding else None)
        assert finding is not None
        sanctions = list(finding.sanctions.all())
        followed = [s for s in sanctions if s.follow_up or s.completed_on]
        if followed and result != FindingResult.NOT_IN_PLACE:
            raise OutOfOrder("该结果的整改已在跟踪，检查结果不能再改为到位或基本到位")
        old = {"检查日期": str(finding.visited_on), "检查结果": finding.get_result_display(), "情况说明": finding.notes}
        finding.visited_on, finding.result, finding.notes = visited_on, result, notes.strip()
        finding.checklist = {key: bool(checklist.get(key)) for key, _ in CHECKLIST}
        finding.save(update_fields=["visited_on", "result", "notes", "checklist"])
        if result == FindingResult.NOT_IN_PLACE and sanction:
            kept = sanctions[0] if sanctions else Sanction(finding=finding, decided_on=visited_on)
            kept.kind, kept.decision, kept.task = sanction["kind"], sanction["decision"], sanction["task"]
            kept.deadline = sanction["deadline"]
            kept.save()
        elif sanctions:
            Sanction.objects_unscoped.filter(pk__in=[s.pk for s in sanctions]).delete()
        attach_evidence(FindingEvidence, files, finding=finding)
        new = {"检查日期": str(visited_on), "检查结果": finding.get_result_display(), "情况说明": finding.notes}
        record(actor=actor, action=Action.UPDATE, object_type="spot_check_finding", object_id=finding.pk,
               region_code=finding.pick.plan.region_id, summary=f"修改{finding.pick.plan.label}抽查结果",
               changes={k: [old[k], new[k]] for k in old if old[k] != new[k]})
    return finding


def _may_record(actor: Any, plan: SpotCheckPlan, village_code: str) -> bool:
    if getattr(actor, "role", "") == "system_admin" or getattr(actor, "scope_prefix", None) == "":
        return True
    if plan.owner_id is not None and plan.owner_id == getattr(actor, "pk", None):
        return True
    # An inspector records for the picks in their own scope (a county's inspector on a city-wide plan).
    return code_in_scope(actor, village_code) and plan.inspectors.filter(pk=getattr(actor, "pk", None)).exists()


def record_follow_up(*, actor: Any, sanction_id: int, follow_up: str, completed_on: dt.date | None) -> Sanction:
    """The rectification's follow-up (整改情况), by whoever runs spot checks in scope, open or closed plan."""
    require_perm(actor, Perm.RUN_SPOT_CHECKS)
    if not follow_up.strip():
        raise DomainError("请填写整改情况", field="整改情况")
    with transaction.atomic(durable=True):
        get_for_user(Sanction, actor, pk=sanction_id)
        sanction = Sanction.objects_unscoped.select_for_update(of=("self",)).select_related(
            "finding__pick__plan").get(pk=sanction_id)
        if sanction.completed_on is not None:
            raise OutOfOrder("该整改任务已完成")
        if completed_on is not None and completed_on < sanction.decided_on:
            raise DomainError("整改完成日期不能早于处理决定日期", field="整改完成日期")
        sanction.follow_up, sanction.completed_on = follow_up.strip(), completed_on
        sanction.save(update_fields=["follow_up", "completed_on"])
        record(actor=actor, action=Action.UPDATE, object_type="sanction", object_id=sanction.pk,
               region_code=sanction.finding.pick.plan.region_id,
               summary=f"整改跟踪：{'已完成' if completed_on else '进行中'}")
    return sanction
