"""The `decisions_published` indicator: of a village's (or a township's) decisions of the year whose resolution
was adopted, the share published in full — 决议公开 for at least the year's days, and 实施结果公开 too once
implemented."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Substr

from wuzaicun.core.indicators import IndicatorProvider, register_indicator, share
from wuzaicun.regions.codes import PREFIX_LENGTHS, common_prefix

from ..models.decisions import DecisionStatus, DecisionStep, FundDecision
from ..rules.decisions import DEFAULT_PUBLICITY_DAYS


def _days(code: str) -> Subquery:
    return Subquery(DecisionStep.objects_unscoped.filter(decision=OuterRef("pk"), step=code)
                    .values("publicity_days")[:1])


def decisions_published(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    """One query over the year's adopted decisions; 100 where there are none (nothing left unpublished)."""
    from wuzaicun.responsibility.selectors import rule_settings

    _, threshold = rule_settings(year).get("decision_paid_early", (True, None))
    minimum = threshold if threshold is not None else DEFAULT_PUBLICITY_DAYS
    width = PREFIX_LENGTHS[level]
    adopted = Exists(DecisionStep.objects_unscoped.filter(decision=OuterRef("pk"), step__in=("resolve", "direct")))
    implemented = Exists(DecisionStep.objects_unscoped.filter(decision=OuterRef("pk"), step="implement"))
    rows = (FundDecision.objects_unscoped.filter(year=year, village__code__within=common_prefix(c[:width] for c in codes))
            .exclude(status=DecisionStatus.REJECTED).filter(adopted)
            .annotate(p=Substr("village_id", 1, width), published=_days("publish"), result=_days("result"),
                      implemented=implemented)
            .values_list("p", "published", "result", "implemented"))
    wanted = {code[:width] for code in codes}
    counts: dict[str, list[int]] = {}
    for prefix, published, result, was_implemented in rows.iterator(chunk_size=5000):
        if prefix not in wanted:
            continue
        full = (published or 0) >= minimum and (not was_implemented or (result or 0) >= minimum)
        tally = counts.setdefault(prefix, [0, 0])
        tally[0] += int(full)
        tally[1] += 1
    return {code: share(*counts.get(code[:width], [0, 0])) for code in codes}


register_indicator(IndicatorProvider(
    "decisions_published", "资金使用决策公开", "resources", decisions_published,
    "当年作出决议的资金使用事项中，决议公开满规定天数（已实施的还须公开实施结果）的比例；无此类事项为 100 分",
))
