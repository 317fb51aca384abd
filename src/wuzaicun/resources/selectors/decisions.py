"""Reads of 资金使用决策: decisions in scope with what has been paid, a decision's timeline of steps with their
minutes, its payments, and the list's totals (every read scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped

from ..models.decisions import DecisionMinutes, DecisionPayment, DecisionStatus, DecisionStep, FundDecision
from ..rules.decisions import STEP_LABELS, Step, first_payment_day, flow_steps, next_step

_MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)


def decisions_for(user: Any, *, year: int, region: str | None = None, q: str = "", status: str = "",
                  flow: str = "", fund_kind: str = "", step: str = "") -> QuerySet[FundDecision]:
    """Decisions of the year in scope, with `paid` (the sum of their payments)."""
    rows = narrowed(scoped(FundDecision, user), region).filter(year=year)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(village__name__icontains=q))
    if status:
        rows = rows.filter(status=status)
    if flow:
        rows = rows.filter(flow=flow)
    if fund_kind:
        rows = rows.filter(fund_kind=fund_kind)
    if step:
        rows = rows.filter(step=step)
    sums = (scoped(DecisionPayment, user).filter(decision=OuterRef("pk")).order_by().values("decision")
            .annotate(s=Sum("amount")).values("s"))
    return (rows.annotate(paid=Coalesce(Subquery(sums, output_field=_MONEY), Value(Decimal(0)), output_field=_MONEY))
            .select_related("village", "village__parent").order_by("village_id", "-id"))


def get_decision_for_user(user: Any, pk: int) -> FundDecision:
    return get_for_user(scoped(FundDecision, user).select_related("village", "village__parent"), user, pk=pk)


def steps_of(user: Any, decision: FundDecision) -> list[DecisionStep]:
    minutes = Prefetch("minutes", queryset=scoped(DecisionMinutes, user).order_by("id"))
    return list(scoped(DecisionStep, user).filter(decision=decision).select_related("recorded_by")
                .prefetch_related(minutes).order_by("held_on", "id"))


def payments_of(user: Any, decision: FundDecision) -> QuerySet[DecisionPayment]:
    return scoped(DecisionPayment, user).filter(decision=decision).order_by("paid_on", "id")


@dataclass(frozen=True)
class TimelineRow:
    step: Step
    done: DecisionStep | None
    is_next: bool


def timeline(decision: FundDecision, done: list[DecisionStep]) -> list[TimelineRow]:
    """Every step of the decision's flow: the recorded ones with their record, and which one comes next."""
    by_code = {s.step: s for s in done}
    following = None if decision.status != DecisionStatus.IN_PROGRESS else next_step(decision.flow, decision.step)
    return [TimelineRow(s, by_code.get(s.code), following is not None and s.code == following.code)
            for s in flow_steps(decision.flow)]


def payable_from(done: list[DecisionStep]) -> dt.date | None:
    """The first day a payment may be made: the resolution's publicity has run its days."""
    published = next((s for s in done if s.step == "publish"), None)
    if published is None or published.publicity_days is None:
        return None
    return first_payment_day(published.held_on, published.publicity_days)


def decision_totals(user: Any, *, year: int, region: str | None = None) -> dict[str, Any]:
    """Decisions, their amount and what was paid, by status, in scope."""
    rows = narrowed(scoped(FundDecision, user), region).filter(year=year)
    found = rows.aggregate(
        n=Count("id"), amount=Coalesce(Sum("amount"), Value(Decimal(0)), output_field=_MONEY),
        in_progress=Count("id", filter=Q(status=DecisionStatus.IN_PROGRESS)),
        done=Count("id", filter=Q(status=DecisionStatus.DONE)),
        rejected=Count("id", filter=Q(status=DecisionStatus.REJECTED)))
    paid = narrowed(scoped(DecisionPayment, user), region).filter(decision__year=year).aggregate(
        s=Coalesce(Sum("amount"), Value(Decimal(0)), output_field=_MONEY))["s"]
    return {**found, "paid": paid}


def step_label(code: str) -> str:
    return STEP_LABELS.get(code, code)
