"""Synthetic 倒排整顿: plausible 民主评议 scores for every village (the year's 软弱涣散 villages score lower, so
they are the natural candidates), then the year's round ranked by the real code, confirmed, and each case
carried to 已转化 with progress and both sign-offs: 120 at city scale, 1,200 at province scale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.review import ReviewState
from wuzaicun.core.synth import SynthContext, register_step

from ..models.rectification import (
    CaseProgress,
    CaseStatus,
    DemocraticScore,
    RankingPick,
    RankingRound,
    RectificationCase,
)
from ..rules.rectification import DEFAULT_COUNT
from ..services.rectification import adjust_pick, confirm_round, propose_round

COUNTS = {"city": DEFAULT_COUNT, "province": 10 * DEFAULT_COUNT}
PROBLEMS = ("班子不团结、战斗力不强", "组织生活不规范，“三会一课”落实不到位", "村干部作用发挥不明显，群众认可度低",
            "村级集体经济薄弱，为民办事能力不足", "党员队伍老化，后备干部缺乏")
MEASURES = ("县级领导联系包保，乡镇党委书记蹲点指导", "选派第一书记驻村，调整充实村“两委”班子",
            "规范“三会一课”和主题党日，建立党员积分管理", "发展村级集体经济项目，建立为民服务代办点")


def generate_rectification(ctx: SynthContext) -> None:
    _democratic_scores(ctx)
    if ctx.prefix != ctx.universe:  # a county or a city run of a larger scale: no round of its own
        return
    region = ctx.universe.ljust(12, "0")
    if RankingRound.objects_unscoped.filter(year=ctx.year).exists():
        return
    count = ctx.quota(COUNTS[ctx.quota_scale])
    round_ = propose_round(actor=OPERATOR, year=ctx.year, region_code=region, count=count, durable=False)
    _weak_first(ctx, round_.pk)
    confirm_round(actor=OPERATOR, round_id=round_.pk, durable=False)
    _transform_cases(ctx)


def _weak_first(ctx: SynthContext, round_id: int) -> None:
    """The county organisation departments' review of the proposal (研判): a proposed village not flagged
    软弱涣散 this year gives its place to the lowest-ranked flagged village left out, each with its reason."""
    picks = list(RankingPick.objects_unscoped.filter(round_id=round_id).order_by("rank").values_list(
        "village_id", "proposed"))
    out = [v for v, proposed in picks if proposed and v not in ctx.weak_villages]
    waiting = [v for v, proposed in picks if not proposed and v in ctx.weak_villages]
    for leaving, joining in zip(reversed(out), waiting, strict=False):
        adjust_pick(actor=OPERATOR, round_id=round_id, village_code=leaving, selected=False, durable=False,
                    reason="经县委组织部研判，班子运转正常，不列为软弱涣散党组织")
        adjust_pick(actor=OPERATOR, round_id=round_id, village_code=joining, selected=True, durable=False,
                    reason="经县委组织部研判，村党组织软弱涣散问题突出，列入整顿")


def _democratic_scores(ctx: SynthContext) -> None:
    villages = sorted(v for county in ctx.counties for v in ctx.villages_by_county.get(county, ()))
    done = set(DemocraticScore.objects_unscoped.filter(year=ctx.year, village_id__in=villages).values_list(
        "village_id", flat=True)) if villages else set()
    rows = []
    for village in villages:
        if village in done:
            continue
        rng = ctx.rng_for("democratic", village)
        low, high = (30, 65) if village in ctx.weak_villages else (68, 100)
        rows.append((village, ctx.year, Decimal(rng.randint(low * 10, high * 10)) / 10))
    ctx.insert(DemocraticScore._meta.db_table, ("village_id", "year", "score"), rows)


def _leader_for(ctx: SynthContext, village: str) -> int | None:
    near = ctx.people_by_region.get(village[:6].ljust(12, "0"), {}).get("县处级") or []
    pool = near or ctx.people_by_rank.get("县处级") or []
    return ctx.rng_for("rectification_leader", village).choice(pool) if pool else None


def _transform_cases(ctx: SynthContext) -> None:
    cases = list(RectificationCase.objects_unscoped.filter(year=ctx.year, status=CaseStatus.IN_PROGRESS))
    progress = []
    for case in cases:
        rng = ctx.rng_for("rectification", case.village_id)
        start = dt.date(ctx.year, 3, 1) + dt.timedelta(days=rng.randint(0, 30))
        case.problems = "；".join(rng.sample(PROBLEMS, 2))
        case.plan = f"{ctx.year}年内完成整顿转化：{rng.choice(MEASURES)}"
        case.measures = "；".join(rng.sample(MEASURES, 2))
        case.leader_id = _leader_for(ctx, case.village_id)
        case.deadline = dt.date(ctx.year, 11, 30)
        signed = dt.date(ctx.year, 11, 1) + dt.timedelta(days=rng.randint(0, 25))
        case.status = CaseStatus.TRANSFORMED
        case.township_state = case.county_state = ReviewState.APPROVED
        case.township_at = timezone.make_aware(dt.datetime.combine(signed, dt.time(10)))
        case.county_at = timezone.make_aware(dt.datetime.combine(signed + dt.timedelta(days=3), dt.time(15)))
        case.township_note = case.county_note = "整顿到位，同意转化"
        case.transformed_on = signed + dt.timedelta(days=3)
        for month, text in ((start, "召开专题组织生活会，查摆问题，制定整顿方案"),
                            (start + dt.timedelta(days=120), "调整充实村“两委”班子，落实整顿措施"),
                            (signed - dt.timedelta(days=5), "整顿任务完成，申请验收")):
            progress.append((case.pk, month, text))
    RectificationCase.objects_unscoped.bulk_update(cases, [
        "problems", "plan", "measures", "leader_id", "deadline", "status", "township_state", "county_state",
        "township_at", "county_at", "township_note", "county_note", "transformed_on"], batch_size=1000)
    ctx.insert(CaseProgress._meta.db_table, ("case_id", "reported_on", "narrative"), progress)
    ctx.rows["organization_rectificationcase"] += len(cases)


register_step("rectification", 95, generate_rectification, label="软弱涣散党组织倒排整顿")
