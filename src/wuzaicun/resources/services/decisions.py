"""Writes of 资金使用决策: a decision proposed by the village party organisation, each later step in the flow's
order (乡镇党委把关 by the township), minutes through the evidence mechanism, payments once the resolution's
publicity has run; one transaction each, audited, the decision's version checked (optimistic lock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, prefix_for, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.bounds import range_of
from wuzaicun.core.errors import Conflict, DomainError, NotFound, OutOfOrder, PermissionDenied
from wuzaicun.core.evidence import Upload, attach_evidence
from wuzaicun.regions.selectors import get_village_for_user

from ..models.decisions import (
    DecisionFlow,
    DecisionMinutes,
    DecisionPayment,
    DecisionStatus,
    DecisionStep,
    FundDecision,
    FundKind,
)
from ..rules.decisions import (
    DEFAULT_PUBLICITY_DAYS,
    PROPOSE,
    QUORUM_BY_LABEL,
    QUORUM_LABELS,
    STEP_LABELS,
    Attendance,
    Kind,
    date_problem,
    flow_steps,
    id_number_problem,
    meeting_outcome,
    order_problem,
    payment_problems,
    publicity_problem,
    step_of,
)

AMOUNT_RANGE = range_of(FundDecision, "amount", low=Decimal("0.01"), label="金额")
PAYMENT_RANGE = range_of(DecisionPayment, "amount", low=Decimal("0.01"), label="金额")
TOWNSHIP_WIDTH = 9  # 乡镇党委把关 is recorded by a user whose scope is a township or wider



def publicity_minimum(year: int) -> int:
    """The least days a publicity lasts: the year's `decision_paid_early` threshold (规则设置), else 7."""
    from wuzaicun.responsibility.selectors import rule_settings

    _, threshold = rule_settings(year).get("decision_paid_early", (True, None))
    return threshold if threshold is not None else DEFAULT_PUBLICITY_DAYS


def may_review(actor: Any) -> bool:
    """Whether the actor records 乡镇党委把关: EDIT_RESOURCES with a township (or wider) scope."""
    if not getattr(actor, "can", lambda perm: False)(Perm.EDIT_RESOURCES):
        return False
    prefix = prefix_for(actor)
    return prefix is None or len(prefix) <= TOWNSHIP_WIDTH


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _locked(actor: Any, decision_id: int) -> FundDecision:
    return get_for_user(scoped(FundDecision, actor).select_related("village").select_for_update(), actor,
                        pk=decision_id)


def create_decision(*, actor: Any, village_code: str, year: int, title: str, fund_kind: str, amount: Decimal,
                    flow: str = DecisionFlow.FOUR_TWO, proposed_on: dt.date, note: str = "",
                    files: Sequence[Upload] = ()) -> FundDecision:
    """A decision begins with its first step, 村党组织提议 (what is proposed, on which day, with its minutes)."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    village = get_village_for_user(actor, village_code)
    title = title.strip()
    if not title:
        raise DomainError("事项为必填项", field="事项")
    if problem := id_number_problem(title, "事项"):
        raise DomainError(problem, field="事项")
    if fund_kind not in FundKind.values:
        raise DomainError(f"资金类型应为{'、'.join(FundKind.labels)}", field="资金类型")
    if flow not in DecisionFlow.values:
        raise DomainError(f"决策程序应为{'、'.join(DecisionFlow.labels)}", field="决策程序")
    amount = AMOUNT_RANGE.check(amount)
    if proposed_on > timezone.localdate():
        raise DomainError("提议日期不能晚于今天", field="提议日期")
    if proposed_on.year != year:
        raise DomainError(f"提议日期须在{year}年度之内", field="提议日期")
    if problem := id_number_problem(note, "提议内容"):
        raise DomainError(problem, field="提议内容")
    with transaction.atomic(durable=True):
        decision = FundDecision.objects_unscoped.create(
            village=village, year=year, title=title, fund_kind=fund_kind, amount=amount, flow=flow,
            step=PROPOSE.code, created_by=_user(actor))
        step = DecisionStep.objects_unscoped.create(decision=decision, step=PROPOSE.code, held_on=proposed_on,
                                                    note=note.strip()[:500], recorded_by=_user(actor))
        count = attach_evidence(DecisionMinutes, files, step=step)
        record(actor=actor, action=Action.CREATE, object_type="fund_decision", object_id=decision.pk,
               region_code=village.code,
               summary=f"{village.name}村党组织提议“{title}”（{FundKind(fund_kind).label}{amount}元，"
                       f"{DecisionFlow(flow).label}，会议记录 {count} 份）")
    return decision


@dataclass(frozen=True)
class StepInput:
    """What a step records; a field a step does not use is ignored."""

    held_on: dt.date
    meeting_kind: str = ""  # a meeting's form (村民代表会议 / 村民会议 …), or 同意 / 不同意 for 乡镇党委把关
    eligible: int | None = None
    present: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    households_represented: int | None = None
    households_total: int | None = None
    publicity_days: int | None = None
    note: str = ""


def record_step(*, actor: Any, decision_id: int, step: str, data: StepInput, version: int | None = None,
                files: Sequence[Upload] = ()) -> FundDecision:
    """Record the flow's next step. A meeting without its quorum, a date before the previous step's, a short
    publicity or a step out of order is refused (nothing saved); a vote that did not carry, or the township's
    不同意, is recorded and ends the decision 未通过."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    if problem := id_number_problem(data.note, "意见或说明"):
        raise DomainError(problem, field="意见或说明")
    with transaction.atomic(durable=True):
        decision = _locked(actor, decision_id)
        if version is not None and version != decision.version:
            raise Conflict()
        if problem := order_problem(decision.flow, decision.step, step, status=decision.status):
            raise OutOfOrder(problem, field="环节")
        spec = step_of(decision.flow, step)
        assert spec is not None  # order_problem accepted it
        if spec.kind is Kind.TOWNSHIP and not may_review(actor):
            raise PermissionDenied("“乡镇党委把关”须由乡镇（或以上）的用户记录")
        previous = (DecisionStep.objects_unscoped.filter(decision=decision).order_by("-held_on", "-id")
                    .values_list("held_on", "step").first())
        if problem := date_problem(data.held_on, previous[0] if previous else None,
                                   STEP_LABELS.get(previous[1], "") if previous else "", timezone.localdate()):
            raise DomainError(f"{spec.label}：{problem}", field="日期")
        row = DecisionStep(decision=decision, step=step, held_on=data.held_on, note=data.note.strip()[:500],
                           recorded_by=_user(actor))
        rejected, why = _fill(decision, spec.kind, spec.quorums, data, row)
        row.save()
        count = attach_evidence(DecisionMinutes, files, step=row)
        old = (decision.step, decision.status)
        decision.step = step
        if rejected:
            decision.status = DecisionStatus.REJECTED
        elif step == flow_steps(decision.flow)[-1].code:
            decision.status = DecisionStatus.DONE
        decision.version += 1
        decision.save(update_fields=["step", "status", "version"])
        outcome = f"，{why}，决策未通过" if rejected else ""
        record(actor=actor, action=Action.UPDATE, object_type="fund_decision", object_id=decision.pk,
               region_code=decision.village_id,
               summary=f"{decision.village.name}“{decision.title}”记录{spec.label}（{data.held_on:%Y-%m-%d}）"
                       f"{outcome}，会议记录 {count} 份",
               changes={"step": [old[0], step], "status": [old[1], decision.status]})
    return decision


def _fill(decision: FundDecision, kind: Kind, quorums: tuple[Any, ...], data: StepInput,
          row: DecisionStep) -> tuple[bool, str]:
    """Check the step's own figures into `row`; (rejected, why) when the decision ends 未通过."""
    if kind is Kind.PROPOSAL:
        return False, ""
    if kind is Kind.TOWNSHIP:
        opinion = data.meeting_kind or "同意"
        if opinion not in ("同意", "不同意"):
            raise DomainError("把关意见应为“同意”或“不同意”", field="把关意见")
        if opinion == "不同意" and not data.note.strip():
            raise DomainError("乡镇党委不同意时须填写意见或说明", field="意见或说明")
        row.meeting_kind = opinion
        return opinion == "不同意", "乡镇党委把关不同意"
    if kind is Kind.PUBLICITY:
        minimum = publicity_minimum(decision.year)
        if problem := publicity_problem(data.publicity_days, minimum):
            raise DomainError(problem, field="公示天数")
        row.publicity_days = data.publicity_days
        return False, ""
    if kind is Kind.ACTION:
        published = (DecisionStep.objects_unscoped.filter(decision=decision, step="publish")
                     .values_list("held_on", "publicity_days").first())
        if published and published[1] and data.held_on < published[0] + dt.timedelta(days=published[1]):
            first = published[0] + dt.timedelta(days=published[1])
            raise DomainError(f"决议公开自{published[0]:%Y-%m-%d}起须满{published[1]}天，{first:%Y-%m-%d}前不能实施",
                              field="日期")
        return False, ""
    label = data.meeting_kind or QUORUM_LABELS[quorums[0]]
    quorum = QUORUM_BY_LABEL.get(label)
    if quorum is None or quorum not in quorums:
        raise DomainError(f"会议形式应为{'或'.join(QUORUM_LABELS[q] for q in quorums)}", field="会议形式")
    attendance = Attendance(data.eligible, data.present, data.votes_for, data.votes_against or 0,
                            data.votes_abstain or 0, data.households_represented, data.households_total)
    outcome = meeting_outcome(quorum, attendance)
    if outcome.problems:
        raise DomainError("；".join(m for _, m in outcome.problems), field=outcome.problems[0][0])
    row.meeting_kind = label
    row.eligible, row.present = data.eligible, data.present
    row.votes_for, row.votes_against, row.votes_abstain = data.votes_for, data.votes_against or 0, data.votes_abstain or 0
    row.households_represented, row.households_total = data.households_represented, data.households_total
    return not outcome.adopted, outcome.reason


def add_minutes(*, actor: Any, decision_id: int, step: str, files: Sequence[Upload]) -> int:
    """More minutes, sign-in sheets or notice photos for a step already recorded (the API's upload)."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        decision = _locked(actor, decision_id)
        row = DecisionStep.objects_unscoped.filter(decision=decision, step=step).first()
        if row is None:
            raise NotFound(f"该决策尚未记录“{STEP_LABELS.get(step, step)}”")
        count = attach_evidence(DecisionMinutes, files, step=row)
        if not count:
            raise DomainError("请选择要上传的会议记录", field="会议记录")
        record(actor=actor, action=Action.UPDATE, object_type="fund_decision", object_id=decision.pk,
               region_code=decision.village_id,
               summary=f"{decision.village.name}“{decision.title}”{STEP_LABELS.get(step, step)}上传会议记录 {count} 份")
    return count


def add_payment(*, actor: Any, decision_id: int, paid_on: dt.date, amount: Decimal, payee: str) -> DecisionPayment:
    """A payment under the decision: not before the resolution's publicity has run its days, and all payments
    together within the decided amount."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    amount = PAYMENT_RANGE.check(amount)
    payee = payee.strip()
    if not payee:
        raise DomainError("收款方为必填项", field="收款方")
    if problem := id_number_problem(payee, "收款方"):
        raise DomainError(problem, field="收款方")
    with transaction.atomic(durable=True):
        decision = _locked(actor, decision_id)
        published = (DecisionStep.objects_unscoped.filter(decision=decision, step="publish")
                     .values_list("held_on", "publicity_days").first())
        paid = (DecisionPayment.objects_unscoped.filter(decision=decision).aggregate(s=Sum("amount"))["s"]
                or Decimal(0))
        problems = payment_problems(paid_on=paid_on, amount=amount, decision_amount=decision.amount, paid_before=paid,
                                    published_on=published[0] if published else None,
                                    days=published[1] if published else None, status=decision.status,
                                    today=timezone.localdate())
        if problems:
            raise DomainError("；".join(m for _, m in problems), field=problems[0][0])
        payment = DecisionPayment.objects_unscoped.create(decision=decision, paid_on=paid_on, amount=amount,
                                                          payee=payee[:200], recorded_by=_user(actor))
        record(actor=actor, action=Action.CREATE, object_type="fund_decision", object_id=decision.pk,
               region_code=decision.village_id,
               summary=f"{decision.village.name}“{decision.title}”支付{amount}元给{payee}（{paid_on:%Y-%m-%d}）")
    return payment


def delete_decision(*, actor: Any, decision_id: int) -> None:
    """Withdraw a proposal: only while nothing after 村党组织提议 is recorded."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        decision = _locked(actor, decision_id)
        if decision.step != PROPOSE.code:
            raise OutOfOrder(f"该决策已进行到“{STEP_LABELS.get(decision.step, decision.step)}”，只有提议阶段的决策可以撤销")
        title, village = decision.title, decision.village
        DecisionStep.objects_unscoped.filter(decision=decision).delete()
        decision.delete()
        record(actor=actor, action=Action.DELETE, object_type="fund_decision", object_id=decision_id,
               region_code=village.code, summary=f"撤销{village.name}资金使用决策“{title}”（提议阶段）")
