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
from wuzaicun.accounts.scope import get_for_user
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core import crypto
from wuzaicun.core.bounds import MAX_YEAR, MIN_YEAR
from wuzaicun.core.errors import DomainError, NotFound, PermissionDenied
from wuzaicun.core.evidence import store_evidence_file
from wuzaicun.regions.models import Region
from wuzaicun.responsibility.selectors import draw_population
from wuzaicun.tabular.bulk import insert_rows

from .models import (
    CHECKLIST,
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
from .sampling import Member, commitment, draw, population_hash, rate_problem

SEED_CONTEXT = b"spot_check_seed"
_QUARTER = re.compile(r"^(\d{4})\s*[Qq季]?\s*([1-4])$")


class OutOfOrder(DomainError):
    code = "out_of_order"
    status = 409


def parse_quarter(text: str) -> tuple[int, int]:
    """'2016Q3' (or 2016q3, 2016-3) to (2016, 3)."""
    match = _QUARTER.match(text.strip().replace("-", ""))
    if not match or not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
        raise DomainError(f"季度“{text}”无效，应写作 2016Q3", field="季度")
    return int(match[1]), int(match[2])


def draw_spot_check_plan(
    *, actor: Any, year: int, quarter: int, rate: Decimal = Decimal("0.10"), region_code: str,
    exclude_checked: bool = False, inspector_ids: list[int] | None = None, durable: bool = True,
) -> SpotCheckPlan:
    """Freeze the population, draw the picks with a fresh secret seed, publish its commitment."""
    require_perm(actor, Perm.RUN_SPOT_CHECKS)
    if problem := rate_problem(rate):
        raise DomainError(problem, field="抽查比例")
    region = get_for_user(Region, actor, code=region_code)
    rows = draw_population(actor, year=year, region=region.code)
    if exclude_checked:
        checked = set(SpotCheckPick.objects_unscoped.filter(plan__year=year).values_list("assignment_id", flat=True))
        rows = [row for row in rows if row[0] not in checked]
    if not rows:
        raise DomainError(f"{region.name}{year}年度没有可抽查的清单条目", code="empty_population")
    members = [Member(pk, kind, village[:6]) for pk, kind, village in rows]
    seed = os.urandom(32)
    picks = draw(seed, members, rate)
    # `durable=False` only for a caller that holds the transaction itself (the synthetic data run).
    with transaction.atomic(durable=durable):
        plan = SpotCheckPlan.objects_unscoped.create(
            year=year, quarter=quarter, region=region, rate=rate, exclude_checked=exclude_checked,
            owner=actor if getattr(actor, "pk", None) else None,
            seed_sealed=crypto.encrypt(seed.hex(), context=SEED_CONTEXT), seed_commitment=commitment(seed),
            population_hash=population_hash(members), population_size=len(members), pick_count=len(picks),
        )
        if inspector_ids:
            plan.inspectors.set(_inspectors(actor, inspector_ids, region))
        insert_rows(PopulationMember._meta.db_table, ("plan_id", "entry_id", "kind", "county"),
                    ((plan.pk, m.entry_id, m.kind, m.county) for m in members))
        insert_rows(SpotCheckPick._meta.db_table, ("plan_id", "assignment_id", "stratum"),
                    ((plan.pk, m.entry_id, f"{m.kind}:{m.county}") for m in picks))
        # The audit row says that a plan was drawn and how big it is, never which entries were picked.
        record(actor=actor, action=Action.CREATE, object_type="spot_check_plan", object_id=plan.pk,
               region_code=region.code,
               summary=f"抽取{year}年第{quarter}季度抽查计划：总体 {len(members)} 条，比例 {rate}，"
                       f"承诺值 {plan.seed_commitment[:16]}…")
    return plan


def _inspectors(actor: Any, ids: list[int], region: Region) -> list[Any]:
    from wuzaicun.accounts.models import User
    from wuzaicun.accounts.scope import scoped

    found = list(scoped(User, actor).filter(pk__in=ids, role="inspector", is_active=True))
    if len(found) != len(set(ids)):
        raise DomainError("督查员不存在或不在您的管辖范围内", field="督查员")
    for inspector in found:
        if not region.code.startswith(inspector.scope_prefix or "\x00"):
            raise DomainError(f"督查员{inspector.display_name}的管辖范围不含{region.name}", field="督查员")
    return found


def close_plan(*, actor: Any, plan_id: int, durable: bool = True) -> SpotCheckPlan:
    """End the quarter's checks: the picks become public and the seed is revealed for verification."""
    require_perm(actor, Perm.RUN_SPOT_CHECKS)
    with transaction.atomic(durable=durable):
        get_for_user(SpotCheckPlan, actor, pk=plan_id)
        plan = SpotCheckPlan.objects_unscoped.select_for_update(of=("self",)).get(pk=plan_id)
        if plan.status != PlanStatus.DRAWN:
            raise OutOfOrder("该抽查计划已结束")
        is_owner = plan.owner_id is not None and plan.owner_id == getattr(actor, "pk", None)
        if not is_owner and getattr(actor, "role", "") != "system_admin":
            raise PermissionDenied("只有抽查计划的负责人或系统管理员可以结束计划")
        plan.revealed_seed = crypto.decrypt(plan.seed_sealed, context=SEED_CONTEXT)
        plan.status, plan.closed_at = PlanStatus.CLOSED, timezone.now()
        plan.save(update_fields=["revealed_seed", "status", "closed_at"])
        record(actor=actor, action=Action.UPDATE, object_type="spot_check_plan", object_id=plan.pk,
               region_code=plan.region_id, summary=f"结束{plan.label}抽查计划，公开种子 {plan.revealed_seed}")
    return plan


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
    if plan.status != PlanStatus.CLOSED or not plan.revealed_seed:
        raise OutOfOrder("抽查计划尚未结束，种子未公开，不能验证")
    result = Verification(plan_id=plan.pk, ok=True)
    seed = bytes.fromhex(plan.revealed_seed)
    members = [Member(e, k, c) for e, k, c in
               PopulationMember.objects_unscoped.filter(plan=plan).values_list("entry_id", "kind", "county")]
    stored = set(SpotCheckPick.objects_unscoped.filter(plan=plan).values_list("assignment_id", flat=True))
    redrawn = {m.entry_id for m in draw(seed, members, plan.rate)}
    result.checks = {
        "commitment": commitment(seed) == plan.seed_commitment,
        "population_hash": population_hash(members) == plan.population_hash,
        "population_size": len(members) == plan.population_size,
        "picks": redrawn == stored,
    }
    messages = {
        "commitment": "公开的种子与抽取时公布的承诺值不符",
        "population_hash": "冻结的总体与抽取时公布的总体哈希不符",
        "population_size": "冻结的总体条目数与抽取时不符",
        "picks": f"按公开的种子重新抽取的结果与保存的抽中名单不符（重抽 {len(redrawn)} 条，保存 {len(stored)} 条）",
    }
    result.problems = [messages[name] for name, passed in result.checks.items() if not passed]
    result.ok = not result.problems
    return result


def record_finding(
    *, actor: Any, pick_id: int, visited_on: dt.date, inspector_ids: list[int], checklist: dict[str, bool],
    result: str, notes: str, sanction: dict[str, Any] | None = None,
    files: Iterable[tuple[Iterable[bytes], str]] = (),
) -> Finding:
    """The visit to a pick (四不两直) with its finding; 不到位 requires a sanction and a rectification task.
    Recorded by the plan's inspectors or owner, while the plan is open; marks the entry's ledger lines."""
    from wuzaicun.responsibility.services import mark_spot_check

    if result not in FindingResult.values:
        raise DomainError(f"检查结果“{result}”无效，应为到位、基本到位或不到位", field="检查结果")
    if not notes.strip():
        raise DomainError("请填写情况说明", field="情况说明")
    unknown = set(checklist) - {key for key, _ in CHECKLIST}
    if unknown:
        raise DomainError(f"“四不两直”清单项无效：{'、'.join(sorted(unknown))}", field="四不两直")
    if result == FindingResult.NOT_IN_PLACE and not sanction:
        raise DomainError("检查结果为“不到位”时须写明处理方式、处理决定和整改任务", field="处理方式")
    with transaction.atomic(durable=True):
        pick = SpotCheckPick.objects_unscoped.select_related("plan", "assignment").filter(pk=pick_id).first()
        if pick is None or not _may_record(actor, pick.plan):
            raise NotFound()
        if pick.plan.status != PlanStatus.DRAWN:
            raise OutOfOrder("抽查计划已结束，不能再录入检查结果")
        if Finding.objects_unscoped.filter(pick=pick).exists():
            raise OutOfOrder("该条目已录入检查结果")
        finding = Finding.objects_unscoped.create(
            pick=pick, visited_on=visited_on, checklist={key: bool(checklist.get(key)) for key, _ in CHECKLIST},
            result=result, notes=notes.strip(), recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        finding.inspectors.set(list(pick.plan.inspectors.filter(pk__in=inspector_ids)))
        if result == FindingResult.NOT_IN_PLACE and sanction:
            if sanction.get("kind") not in SanctionKind.values:
                raise DomainError("处理方式应为召回、组织调整、约谈或问责", field="处理方式")
            if not str(sanction.get("decision", "")).strip() or not str(sanction.get("task", "")).strip():
                raise DomainError("请写明处理决定和整改任务", field="处理决定")
            Sanction.objects_unscoped.create(finding=finding, kind=sanction["kind"], decision=sanction["decision"],
                                             decided_on=sanction.get("decided_on") or visited_on,
                                             task=sanction["task"], deadline=sanction["deadline"])
        for chunks, name in files:
            stored = store_evidence_file(chunks, original_name=name)
            FindingEvidence.objects_unscoped.create(finding=finding, **stored.fields())
        marked = mark_spot_check(entry_id=pick.assignment_id, result=result)
        # Audited without naming the village: the plan is still secret.
        record(actor=actor, action=Action.CREATE, object_type="spot_check_finding", object_id=finding.pk,
               region_code=pick.plan.region_id,
               summary=f"录入{pick.plan.label}抽查结果（{FindingResult(result).label}），标记台账 {marked} 条")
    return finding


def _may_record(actor: Any, plan: SpotCheckPlan) -> bool:
    if getattr(actor, "role", "") == "system_admin" or getattr(actor, "scope_prefix", None) == "":
        return True
    if plan.owner_id is not None and plan.owner_id == getattr(actor, "pk", None):
        return True
    return plan.inspectors.filter(pk=getattr(actor, "pk", None)).exists()


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
