"""Coverage rules of 资金使用决策: `decision_unpublished` (a resolution adopted but not published, or a decision
implemented without its result published once the year is over) and `decision_paid_early` (a payment dated before
the resolution's publicity had run its days; its threshold is the least days a publicity lasts, N on 规则设置).
The services refuse both; they come from imported or synthetic data, and the checks are still one query each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.responsibility.coverage import SubjectKind, register_rule
from wuzaicun.responsibility.rules import EffectiveRule, Gap, RuleSpec

from ..models.decisions import DecisionPayment, DecisionStatus, DecisionStep, FundDecision
from ..rules.decisions import DEFAULT_PUBLICITY_DAYS, first_payment_day

RESOLUTION_STEPS = ("resolve", "direct")  # the step whose adoption is the decision, in either flow


def _steps(user: Any, code: str | tuple[str, ...]) -> Any:
    codes = (code,) if isinstance(code, str) else code
    return scoped(DecisionStep, user).filter(decision=OuterRef("pk"), step__in=codes)


def check_unpublished(user: Any, year: int, region: str | None, rule: EffectiveRule,
                      due: dt.date) -> tuple[int, Iterator[Gap]]:
    decisions = narrowed(scoped(FundDecision, user), region).filter(year=year)
    year_over = timezone.localdate() > dt.date(year, 12, 31)
    resolved = Q(Exists(_steps(user, RESOLUTION_STEPS))) & ~Q(status=DecisionStatus.REJECTED) & ~Q(Exists(_steps(user, "publish")))
    unreported = Q(Exists(_steps(user, "implement"))) & ~Q(Exists(_steps(user, "result")))
    missing = (decisions.filter(resolved | unreported if year_over else resolved)
               .annotate(published=Exists(_steps(user, "publish")))
               .values_list("pk", "village_id", "village__name", "title", "published").order_by("pk"))

    def gaps() -> Iterator[Gap]:
        for pk, village, village_name, title, published in missing.iterator(chunk_size=5000):
            what = "已实施，年底前未公开实施结果" if published else "已作出决议，尚未公开决议"
            yield Gap("decision_unpublished", "fund_decision", str(pk), village, f"{village_name}“{title}”{what}")

    return decisions.count(), gaps()


def check_paid_early(user: Any, year: int, region: str | None, rule: EffectiveRule,
                     due: dt.date) -> tuple[int, Iterator[Gap]]:
    days = rule.threshold if rule.threshold is not None else DEFAULT_PUBLICITY_DAYS
    decisions = narrowed(scoped(FundDecision, user), region).filter(year=year)
    published = _steps(user, "publish")
    paid = (decisions.filter(Exists(scoped(DecisionPayment, user).filter(decision=OuterRef("pk"))))
            .annotate(first_paid=Min("payments__paid_on"),
                      published_on=Subquery(published.values("held_on")[:1]),
                      published_days=Subquery(published.values("publicity_days")[:1]))
            .values_list("pk", "village_id", "village__name", "title", "first_paid", "published_on", "published_days")
            .order_by("pk"))

    def gaps() -> Iterator[Gap]:
        for pk, village, village_name, title, first_paid, published_on, published_days in paid.iterator(chunk_size=5000):
            if published_on is None:
                yield Gap("decision_paid_early", "fund_decision", str(pk), village,
                          f"{village_name}“{title}”决议未公开即于{first_paid:%Y-%m-%d}支付")
                continue
            run = max(days, published_days or 0)
            allowed = first_payment_day(published_on, run)
            if first_paid < allowed:
                yield Gap("decision_paid_early", "fund_decision", str(pk), village,
                          f"{village_name}“{title}”于{first_paid:%Y-%m-%d}支付，决议公开自{published_on:%Y-%m-%d}起"
                          f"须满{run}天（{allowed:%Y-%m-%d}起方可支付）")

    return decisions.count(), gaps()


def _link(gap: Gap, year: int) -> str:
    from django.urls import reverse

    return reverse("resources:decision", args=[int(gap.subject_id)])


_SUBJECT = {"fund_decision": SubjectKind("资金使用决策", _link)}
register_rule(RuleSpec("decision_unpublished", "资金使用决议和实施结果均须公开（四议两公开）", "fund_decision"),
              check_unpublished, subjects=_SUBJECT)
register_rule(RuleSpec("decision_paid_early", "决议公开满N天后方可支付资金", "fund_decision", DEFAULT_PUBLICITY_DAYS,
                       "公示天数"), check_paid_early, subjects=_SUBJECT)
