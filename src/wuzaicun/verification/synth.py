"""Synthetic verification data: the year's four quarterly plans drawn by the real code, visits with
findings (a few 不到位 with sanctions), the first three plans closed; and a year of assessment results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import SynthContext, register_step

from .assessment import ensure_scheme, run_assessment
from .models import (
    CHECKLIST,
    EnteredScore,
    Finding,
    FindingResult,
    Indicator,
    Sanction,
    SanctionKind,
    SpotCheckPick,
    SpotCheckPlan,
    SubjectLevel,
)
from .services import close_plan, draw_spot_check_plan

_NOTES = {
    FindingResult.IN_PLACE: "责任落实到位，群众知晓率高",
    FindingResult.MOSTLY: "责任基本落实，走访记录不够完整",
    FindingResult.NOT_IN_PLACE: "帮扶措施未落地，群众不知情",
}


def generate_verification(ctx: SynthContext) -> None:
    for city in ctx.cities:
        if SpotCheckPlan.objects_unscoped.filter(year=ctx.year, region_id=city).exists():
            continue
        rng = ctx.rng_for("spotcheck", city)
        for quarter in (1, 2, 3, 4):
            plan = draw_spot_check_plan(actor=OPERATOR, year=ctx.year, quarter=quarter, rate=Decimal("0.10"),
                                        region_code=city, exclude_checked=True, durable=False)
            picks = list(SpotCheckPick.objects_unscoped.filter(plan=plan).values_list("pk", flat=True))
            findings, sanctions = [], []
            for pick in picks if quarter < 4 else picks[: len(picks) // 2]:
                draw = rng.random()
                result = (FindingResult.NOT_IN_PLACE if draw < 0.04 else
                          FindingResult.MOSTLY if draw < 0.2 else FindingResult.IN_PLACE)
                visited = dt.date(ctx.year, 3 * quarter - 1, 1) + dt.timedelta(days=rng.randint(0, 40))
                findings.append(Finding(pick_id=pick, visited_on=visited, result=result, notes=_NOTES[result],
                                        checklist={key: rng.random() < 0.95 for key, _ in CHECKLIST}))
            Finding.objects_unscoped.bulk_create(findings, batch_size=2000)
            for finding in Finding.objects_unscoped.filter(pick__plan=plan, result=FindingResult.NOT_IN_PLACE):
                sanctions.append(Sanction(
                    finding=finding, kind=rng.choice(SanctionKind.values), decision=f"遵组通〔{ctx.year}〕{rng.randint(1, 99)}号",
                    decided_on=finding.visited_on + dt.timedelta(days=7), task="限期整改，落实帮扶措施",
                    deadline=finding.visited_on + dt.timedelta(days=37)))
            Sanction.objects_unscoped.bulk_create(sanctions)
            ctx.rows["verification_finding"] += len(findings)
            if quarter < 4:
                close_plan(actor=OPERATOR, plan_id=plan.pk, durable=False)
        _field_review_scores(ctx, city, rng)
        run_assessment(actor=OPERATOR, year=ctx.year, region_code=city, durable=False)


def _field_review_scores(ctx: SynthContext, city: str, rng: Any) -> None:
    """The 实地考核 scores a county's assessment team enters for each village and township."""
    from wuzaicun.regions.models import Region

    rows = []
    for level in (SubjectLevel.VILLAGE, SubjectLevel.TOWNSHIP):
        field = Indicator.objects_unscoped.get(scheme=ensure_scheme(year=ctx.year, level=level), code="field_review")
        codes = Region.objects_unscoped.filter(code__within=city[:4], level=level).values_list("code", flat=True)
        rows += [(field.pk, code, Decimal(rng.randint(65, 100)), None) for code in codes]
    ctx.insert(EnteredScore._meta.db_table, ("indicator_id", "subject_id", "score", "entered_by_id"), rows)


register_step("verification", 90, generate_verification, label="季度抽查与年度考核")
