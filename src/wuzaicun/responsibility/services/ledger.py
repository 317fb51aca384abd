"""The ledger's life (责任台账): 定账 → 季度对账 (reviewed by the township) → 次年销账, and 重审.

Every step is one durable transaction that locks the line it changes (select_for_update), writes its
audit row, and refuses out-of-order steps with a Chinese message. Closed lines never change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import diff, record
from wuzaicun.core.errors import Conflict, DomainError, NotFound, OutOfOrder, PermissionDenied
from wuzaicun.core.evidence import Upload, attach_evidence
from wuzaicun.core.review import ReviewState, one_level_up, resubmit_problem, review_problem
from wuzaicun.registry.models import Household

from ..models import (
    PROGRESS_VALUE_RANGE,
    TARGET_VALUE_RANGE,
    Assignment,
    AssignmentHousehold,
    Evidence,
    LedgerLine,
    LineStatus,
    Reconciliation,
    ReopenRequest,
    Visit,
)
from ..rules import quantity_problem
from ..selectors import get_helper_for_user


def _locked_line(actor: Any, line_id: int) -> LedgerLine:
    """The line, in the actor's scope, locked for this transaction (404 when out of scope)."""
    get_for_user(LedgerLine, actor, pk=line_id)
    return LedgerLine.objects_unscoped.select_for_update(of=("self",)).select_related("assignment").get(pk=line_id)


def _refuse_closed(line: LedgerLine) -> None:
    if line.is_closed:
        raise OutOfOrder(f"该台账条目已销账（{line.get_status_display()}），不能再修改")


def _today() -> dt.date:
    return timezone.localdate()


def _check_target(value: Decimal | None, unit: str) -> Decimal | None:
    """The target as the column stores it; refused when negative, too large or without a unit."""
    if value is not None and value < 0:
        raise DomainError("目标值不能为负数", field="目标值")
    checked: Decimal | None = TARGET_VALUE_RANGE.check(value)
    if checked is not None and not unit.strip():
        raise DomainError("填写了目标值时须写明单位", field="单位")
    if problem := quantity_problem(value, unit, "目标值"):
        raise DomainError(problem, field="目标值")
    return checked


def add_line(
    *, actor: Any, assignment_id: int, commitment: str, target_value: Decimal | None = None, target_unit: str = ""
) -> LedgerLine:
    """A new commitment (草稿) of an entry, for the entry's year."""
    require_perm(actor, Perm.EDIT_LISTS)
    if not commitment.strip():
        raise DomainError("请填写承诺事项", field="承诺事项")
    target_value = _check_target(target_value, target_unit)
    with transaction.atomic(durable=True):
        entry = get_for_user(Assignment, actor, pk=assignment_id)
        line = LedgerLine.objects_unscoped.create(
            assignment=entry, village_id=entry.village_id, year=entry.year, commitment=commitment.strip(),
            target_value=target_value, target_unit=target_unit.strip(),
        )
        record(actor=actor, action=Action.CREATE, object_type="ledger_line", object_id=line.pk,
               region_code=entry.village_id, summary=f"新增台账条目：{line.commitment}")
    return line


def update_line(
    *, actor: Any, line_id: int, expected_version: int, commitment: str, target_value: Decimal | None,
    target_unit: str,
) -> LedgerLine:
    """Change a draft line; once 定账, targets cannot change (a 重审 reopens it)."""
    require_perm(actor, Perm.EDIT_LISTS)
    target_value = _check_target(target_value, target_unit)
    with transaction.atomic(durable=True):
        line = _locked_line(actor, line_id)
        _refuse_closed(line)
        if line.status != LineStatus.DRAFT:
            raise OutOfOrder("已定账的条目目标不能修改；如确需修改，请提出重审申请")
        if line.version != expected_version:
            raise Conflict()
        old = {"commitment": line.commitment, "target_value": line.target_value, "target_unit": line.target_unit}
        new = {"commitment": commitment.strip(), "target_value": target_value, "target_unit": target_unit.strip()}
        for key, value in new.items():
            setattr(line, key, value)
        line.version += 1
        line.save(update_fields=[*new, "version"])
        record(actor=actor, action=Action.UPDATE, object_type="ledger_line", object_id=line.pk,
               region_code=line.assignment.village_id, summary="修改台账条目", changes=diff(old, new))
    return line


def lock_line(*, actor: Any, line_id: int) -> LedgerLine:
    """定账: a draft line is locked by the township or county; its targets are fixed from now on."""
    require_perm(actor, Perm.EDIT_LISTS)
    with transaction.atomic(durable=True):
        line = _locked_line(actor, line_id)
        _refuse_closed(line)
        if line.status != LineStatus.DRAFT:
            raise OutOfOrder("该条目已定账")
        line.status, line.locked_at, line.locked_by = LineStatus.LOCKED, timezone.now(), actor
        line.version += 1
        line.save(update_fields=["status", "locked_at", "locked_by", "version"])
        record(actor=actor, action=Action.UPDATE, object_type="ledger_line", object_id=line.pk,
               region_code=line.assignment.village_id, summary=f"定账：{line.commitment}",
               changes={"status": [LineStatus.DRAFT, LineStatus.LOCKED]})
    return line


def quarter_started(year: int, quarter: int, today: dt.date) -> bool:
    return today >= dt.date(year, 3 * quarter - 2, 1)


def submit_reconciliation(
    *, actor: Any, line_id: int, quarter: int, narrative: str, progress_value: Decimal | None = None,
    on_track: bool = True, files: Iterable[Upload] = (), today: dt.date | None = None,
) -> Reconciliation:
    """对账: the quarter's progress of a locked line, with evidence; sent again only after 退回."""
    require_perm(actor, Perm.RECONCILE)
    if not 1 <= quarter <= 4:
        raise DomainError("季度须为 1–4", field="季度")
    if not narrative.strip():
        raise DomainError("请填写进展情况", field="进展情况")
    progress_value = PROGRESS_VALUE_RANGE.check(progress_value)
    today = today or _today()
    with transaction.atomic(durable=True):
        line = _locked_line(actor, line_id)
        _refuse_closed(line)
        if line.status != LineStatus.LOCKED:
            raise OutOfOrder("台账条目尚未定账，不能对账")
        if not quarter_started(line.year, quarter, today):
            raise OutOfOrder(f"{line.year}年第{quarter}季度尚未开始，不能对账")
        if problem := quantity_problem(progress_value, line.target_unit, "进展数值"):
            raise DomainError(problem, field="进展数值")
        existing = Reconciliation.objects_unscoped.select_for_update().filter(line=line, quarter=quarter).first()
        values = {"narrative": narrative.strip(), "progress_value": progress_value, "on_track": on_track,
                  "submitted_by": actor, "submitted_at": timezone.now(), "state": ReviewState.PENDING,
                  "review_note": "", "reviewed_by": None, "reviewed_at": None}
        if existing is None:
            entry = Reconciliation.objects_unscoped.create(line=line, quarter=quarter, **values)
        else:
            if problem := resubmit_problem(existing.state):
                raise OutOfOrder(f"第{quarter}季度已对账：{problem}")
            for key, value in values.items():
                setattr(existing, key, value)
            existing.version += 1
            existing.save()
            entry = existing
        attached = attach_evidence(Evidence, files, region_code=line.assignment.village_id, uploaded_by=actor,
                                   reconciliation=entry)
        record(actor=actor, action=Action.CREATE if existing is None else Action.UPDATE,
               object_type="reconciliation", object_id=entry.pk, region_code=line.assignment.village_id,
               summary=f"第{quarter}季度对账：{line.commitment}（佐证 {attached} 份）")
    return entry


def review_reconciliation(*, actor: Any, reconciliation_id: int, decision: str, note: str = "") -> Reconciliation:
    """The township's review: 通过 / 有问题 (note required) / 退回 (note required, may be sent again)."""
    require_perm(actor, Perm.REVIEW_LEDGER)
    with transaction.atomic(durable=True):
        return _review(actor, get_for_user(Reconciliation, actor, pk=reconciliation_id), decision, note)


def approve_reconciliations(*, actor: Any, reconciliation_ids: list[int]) -> int:
    """批量通过: approve several reconciliations at once, all or none; a refusal names the one refused."""
    require_perm(actor, Perm.REVIEW_LEDGER)
    wanted = sorted(set(reconciliation_ids))
    if not wanted:
        raise DomainError("请先勾选要通过的对账", field="对账")
    with transaction.atomic(durable=True):
        found = list(scoped(Reconciliation, actor).filter(pk__in=wanted).select_related(
            "line__assignment__village"))
        if len(found) != len(wanted):
            raise NotFound("部分对账不存在或不在您的管辖范围内，请刷新后重试")
        for entry in sorted(found, key=lambda r: (r.line_id, r.pk)):  # lines locked in one order: no deadlock
            try:
                _review(actor, entry, ReviewState.APPROVED, "")
            except DomainError as exc:
                where = f"{entry.line.assignment.village.name}“{entry.line.commitment}”第{entry.quarter}季度对账"
                raise type(exc)(f"{where}：{exc.message}；本次未通过任何对账") from None
    return len(found)


def _review(actor: Any, found: Reconciliation, decision: str, note: str) -> Reconciliation:
    line = _locked_line(actor, found.line_id)  # the line first, as every ledger step locks it
    entry = Reconciliation.objects_unscoped.select_for_update().get(pk=found.pk)
    entry.line = line
    if line.is_closed:
        raise OutOfOrder("该台账条目已销账，不能再审核")
    if line.status != LineStatus.LOCKED:
        raise OutOfOrder("该台账条目已退回草稿（重审），不能审核其对账")
    if problem := review_problem(entry.state, decision, note):
        raise OutOfOrder(problem)
    if entry.submitted_by_id is not None and entry.submitted_by_id == getattr(actor, "pk", None):
        raise PermissionDenied("不能审核自己提交的对账")
    old = entry.state
    entry.state, entry.review_note = decision, note.strip()
    entry.reviewed_by, entry.reviewed_at = actor, timezone.now()
    entry.version += 1
    entry.save(update_fields=["state", "review_note", "reviewed_by", "reviewed_at", "version"])
    record(actor=actor, action=Action.UPDATE, object_type="reconciliation", object_id=entry.pk,
           region_code=entry.line.assignment.village_id,
           summary=f"审核第{entry.quarter}季度对账：{ReviewState(decision).label}",
           changes={"state": [old, decision], "note": [None, entry.review_note]})
    return entry


def close_line(
    *, actor: Any, line_id: int, fulfilled: bool, note: str = "", today: dt.date | None = None
) -> LedgerLine:
    """销账 in the next year: fulfilled lines close; unfulfilled ones close, are flagged for accountability,
    and carry over as a new draft line of the next year that links back."""
    require_perm(actor, Perm.EDIT_LISTS)
    today = today or _today()
    with transaction.atomic(durable=True):
        line = _locked_line(actor, line_id)
        _refuse_closed(line)
        if line.status != LineStatus.LOCKED:
            raise OutOfOrder("只有已定账的条目可以销账")
        if today < dt.date(line.year + 1, 1, 1):
            raise OutOfOrder(f"{line.year}年度台账须在{line.year + 1}年第一季度销账")
        if not fulfilled and not note.strip():
            raise DomainError("未兑现的条目销账时须写明原因", field="销账说明")
        if line.reconciliations.filter(state=ReviewState.PENDING).exists():
            raise OutOfOrder("该条目还有待审核的对账，审核后才能销账")
        if ReopenRequest.objects_unscoped.filter(line=line, decision="pending").exists():
            raise OutOfOrder("该条目还有待审批的重审申请，审批后才能销账")
        if fulfilled and not line.reconciliations.filter(quarter=4, state=ReviewState.APPROVED).exists():
            raise OutOfOrder("第四季度对账审核通过后才能按“兑现”销账")
        line.status = LineStatus.FULFILLED if fulfilled else LineStatus.UNFULFILLED
        line.closed_at, line.closed_by, line.closing_note = timezone.now(), actor, note.strip()
        line.accountability = not fulfilled
        line.version += 1
        line.save(update_fields=["status", "closed_at", "closed_by", "closing_note", "accountability", "version"])
        summary = f"销账（{line.get_status_display()}）：{line.commitment}"
        if not fulfilled:
            carried = LedgerLine.objects_unscoped.create(
                assignment=line.assignment, village_id=line.village_id, year=line.year + 1, commitment=line.commitment,
                target_value=line.target_value, target_unit=line.target_unit, carried_from=line,
            )
            summary += f"；结转为{line.year + 1}年度台账 #{carried.pk}，列入问责"
            record(actor=actor, action=Action.CREATE, object_type="ledger_line", object_id=carried.pk,
                   region_code=line.assignment.village_id,
                   summary=f"结转{line.year}年度未兑现台账 #{line.pk}：{carried.commitment}")
        record(actor=actor, action=Action.UPDATE, object_type="ledger_line", object_id=line.pk,
               region_code=line.assignment.village_id, summary=summary,
               changes={"status": [LineStatus.LOCKED, line.status]})
    return line


def request_reopen(*, actor: Any, line_id: int, reason: str) -> ReopenRequest:
    """重审: ask one level up to reopen a locked line, with a reason."""
    require_perm(actor, Perm.EDIT_LISTS)
    if not reason.strip():
        raise DomainError("请填写重审理由", field="重审理由")
    with transaction.atomic(durable=True):
        line = _locked_line(actor, line_id)
        _refuse_closed(line)
        if line.status != LineStatus.LOCKED:
            raise OutOfOrder("只有已定账的条目需要重审")
        if ReopenRequest.objects_unscoped.filter(line=line, decision="pending").exists():
            raise OutOfOrder("该条目已有待审批的重审申请")
        request = ReopenRequest.objects_unscoped.create(line=line, reason=reason.strip(), requested_by=actor)
        record(actor=actor, action=Action.CREATE, object_type="reopen_request", object_id=request.pk,
               region_code=line.assignment.village_id, summary=f"申请重审：{reason.strip()[:100]}")
    return request


def decide_reopen(*, actor: Any, request_id: int, approve: bool) -> ReopenRequest:
    """Approved one level up (not by the requester): the line returns to draft; refused: it stays locked."""
    require_perm(actor, Perm.REVIEW_LEDGER)
    with transaction.atomic(durable=True):
        found = get_for_user(ReopenRequest, actor, pk=request_id)
        line = _locked_line(actor, found.line_id)
        request = ReopenRequest.objects_unscoped.select_for_update().get(pk=request_id)
        if request.decision != "pending":
            raise OutOfOrder("该重审申请已审批")
        requester = request.requested_by
        requester_role = requester.role if requester is not None else ""
        if request.requested_by_id == getattr(actor, "pk", None) or not one_level_up(requester_role, actor.role):
            raise PermissionDenied("重审申请须由申请人的上一级审批")
        _refuse_closed(line)
        request.decision = "approved" if approve else "refused"
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["decision", "decided_by", "decided_at"])
        if approve:
            line.status = LineStatus.DRAFT
            line.version += 1
            line.save(update_fields=["status", "version"])
        record(actor=actor, action=Action.UPDATE, object_type="reopen_request", object_id=request.pk,
               region_code=line.assignment.village_id,
               summary=f"重审申请{'同意，台账条目退回草稿' if approve else '不同意'}")
    return request


def record_visit(
    *, actor: Any, person_id: int, household_id: int, visited_on: dt.date, activity: str,
    files: Iterable[Upload] = (), today: dt.date | None = None,
) -> Visit:
    """遍访: a helper's visit to a household the helper's entries name."""
    require_perm(actor, Perm.RECONCILE)
    if not activity.strip():
        raise DomainError("请填写走访内容", field="走访内容")
    if visited_on > (today or _today()):
        raise DomainError("走访日期不能晚于今天", field="走访日期")
    with transaction.atomic(durable=True):
        person = get_helper_for_user(actor, person_id)
        household = get_for_user(Household, actor, pk=household_id)
        helps = scoped(AssignmentHousehold, actor).filter(
            household=household, assignment__person=person, assignment__year=visited_on.year).exists()
        if not helps:
            raise DomainError(f"{person.name}在{visited_on.year}年度的清单中没有帮扶该户", field="农户")
        visit = Visit.objects_unscoped.create(person=person, household=household, visited_on=visited_on,
                                              activity=activity.strip(), recorded_by=actor)
        attached = attach_evidence(Evidence, files, region_code=household.region_id, uploaded_by=actor,
                                   visit=visit)
        record(actor=actor, action=Action.CREATE, object_type="visit", object_id=visit.pk,
               region_code=household.region_id,
               summary=f"走访记录：{person.name} → {household.head_name}户（照片 {attached} 张）")
    return visit


def mark_spot_checks(results: Iterable[tuple[int, str]]) -> int:
    """A closed spot-check plan's findings mark the open ledger lines of their entries (called by
    verification's services, inside their transaction). Closed lines never change. Returns the lines marked."""
    by_result: dict[str, list[int]] = {}
    for entry_id, result in results:
        by_result.setdefault(result, []).append(entry_id)
    marked = 0
    for result, entry_ids in by_result.items():
        for start in range(0, len(entry_ids), 500):
            marked += LedgerLine.objects_unscoped.filter(assignment_id__in=entry_ids[start:start + 500]).exclude(
                status__in=[LineStatus.FULFILLED, LineStatus.UNFULFILLED]).update(spot_check_result=result)
    return marked
