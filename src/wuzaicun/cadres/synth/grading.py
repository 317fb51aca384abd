"""Synthetic 六定一化考核 (step `cadre_grading`, order 97, after the dispatches and 倒排整顿): entered 民主评议 and
群众满意度 for every cadre assessed in the year, the grades computed by the real code and confirmed, and the
outcomes approved: at city scale exactly 67 推荐进入乡镇领导班子, 108 享受副科级待遇 and 27 问责; ten times that at
province scale."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.codes import code_from_prefix

from ..models.grading import CadreGrade, CadreOutcome, CadreRole, CadreScore
from ..rules.grading import DEMOCRATIC, SATISFACTION
from ..selectors.grading import assessed
from ..services.grading import confirm_grades, ensure_indicator_set, grade_cadres

OUTCOMES = {"city": {"promotion": 67, "treatment": 108, "accountability": 27}}
OUTCOMES["province"] = {kind: 10 * n for kind, n in OUTCOMES["city"].items()}
WEAK = 0.012  # a cadre the masses rate poorly: 民主评议 under the veto line (graded 差)
REASONS = {
    "promotion": "驻村期间表现突出，带领群众发展产业成效明显，考核等次为{grade}，推荐进入乡镇领导班子",
    "treatment": "任村党组织书记以来实绩突出，群众满意度高，考核等次为{grade}，按规定享受副科级待遇",
    "accountability": "民主评议和群众满意度低，履职不到位，考核等次为差，予以问责",
}
# who each outcome is drawn from: promotions among the stationed cadres, treatments among village secretaries
POOLS = {"promotion": (CadreRole.FIRST_SECRETARY, CadreRole.RESIDENT), "treatment": (CadreRole.VILLAGE_SECRETARY,),
         "accountability": tuple(CadreRole.values)}
WANTED = {"promotion": ("优",), "treatment": ("优", "良"), "accountability": ("差",)}


def generate_grading(ctx: SynthContext) -> None:
    region = code_from_prefix(ctx.prefix) if ctx.prefix else None
    if CadreGrade.objects_unscoped.filter(year=ctx.year, region__code__within=ctx.prefix).exists():
        return  # graded already: a rerun adds nothing
    graded = 0
    for role in CadreRole.values:
        people = assessed(OPERATOR, year=ctx.year, role=role, region=region)
        if not people:
            continue
        _entered(ctx, role, sorted(people))
        grade_cadres(actor=OPERATOR, year=ctx.year, role=role, region=region, durable=False)
        if CadreGrade.objects_unscoped.filter(year=ctx.year, role=role, region__code__within=ctx.prefix).exclude(
                grade="").exists():
            confirm_grades(actor=OPERATOR, year=ctx.year, role=role, region=region, durable=False)
        graded += len(people)
    ctx.log(f"干部考核：{graded} 人")
    if graded and ctx.prefix == ctx.universe:  # outcomes for the whole scale only (a county run has none)
        _outcomes(ctx)


def _entered(ctx: SynthContext, role: str, people: list[int]) -> None:
    rows = {r.code: r.pk for r in ensure_indicator_set(year=ctx.year, role=role)}
    taken = set(CadreScore.objects_unscoped.filter(indicator_id__in=[rows[DEMOCRATIC], rows[SATISFACTION]])
                .values_list("indicator_id", "person_id"))
    at = timezone.make_aware(dt.datetime.combine(dt.date(ctx.year, 12, 10), dt.time(10)))
    out = []
    for person in people:
        rng = ctx.rng_for("cadre_scores", role, person)
        weak = rng.random() < WEAK
        democratic = _score(rng, 40, 58) if weak else _score(rng, 72, 99)
        satisfaction = _score(rng, 45, 70) if weak else min(Decimal(100), democratic + _score(rng, -6, 6))
        for code, score in ((DEMOCRATIC, democratic), (SATISFACTION, satisfaction)):
            if (rows[code], person) not in taken:
                out.append((rows[code], person, score, None, at))
    ctx.insert(CadreScore._meta.db_table, ("indicator_id", "person_id", "score", "entered_by_id", "entered_at"), out)


def _score(rng: random.Random, low: int, high: int) -> Decimal:
    return (Decimal(rng.randint(low * 100, high * 100)) / 100).quantize(Decimal("0.01"))


def _outcomes(ctx: SynthContext) -> None:
    """The best graded (by total, then person) of each pool get the outcome the scale's numbers ask for; each
    cadre at most one outcome."""
    counts = {kind: ctx.quota(n) for kind, n in OUTCOMES.get(ctx.quota_scale, OUTCOMES["city"]).items()}
    grades = CadreGrade.objects_unscoped.filter(year=ctx.year, region__code__within=ctx.prefix).exclude(grade="")
    used: set[int] = set()
    proposed = timezone.make_aware(dt.datetime.combine(dt.date(ctx.year, 12, 20), dt.time(9)))
    decided = proposed + dt.timedelta(days=5)
    rows = []
    for kind, count in counts.items():
        pool = grades.filter(role__in=POOLS[kind], grade__in=WANTED[kind], total__isnull=False).values_list(
            "pk", "grade", "total")
        order = sorted(pool, key=lambda r: (r[2] or 0 if kind == "accountability" else -(r[2] or 0), r[0]))
        given = 0
        for pk, grade, _total in order:
            if given >= count:
                break
            if pk in used:
                continue
            used.add(pk)
            given += 1
            rows.append((pk, kind, REASONS[kind].format(grade=grade), "approved", None, proposed, None, decided,
                         "同意"))
    ctx.insert(CadreOutcome._meta.db_table, ("grade_id", "kind", "reason", "state", "proposed_by_id", "proposed_at",
                                             "decided_by_id", "decided_at", "note"), rows)


register_step("cadre_grading", 97, generate_grading, label="六定一化考核与结果运用")
