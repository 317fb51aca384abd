"""Synthetic 资金使用决策: about a third of the villages (村, not 社区) decide one to three uses of leftover unit funds or
donations in the year, by 四议两公开 (four in five) or 党群直议制, stopped at every step (most complete), with
realistic attendance and votes; a few rejected (乡镇党委不同意 or a vote short of a majority), a few adopted but not
published or implemented without the result published (`decision_unpublished`), and a few paid before the
resolution's publicity had run (`decision_paid_early`); payments within the amount otherwise.

Drawn village by village (a generator per village), so a county run gives that county what a city run does; a
prefix that has decisions already is left as it is."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wuzaicun.core.synth import SynthContext, register_step

from ..models.decisions import DecisionPayment, DecisionStep, FundDecision
from ..rules.decisions import QUORUM_LABELS, Kind, Quorum, Step, flow_steps

VILLAGES_WITH_DECISIONS = 0.35
DIRECT_FLOW = 0.2
DONATION = 0.4
REJECTED = 0.06
UNPUBLISHED = 0.04  # adopted, never published
UNREPORTED = 0.04  # implemented, result never published
PAID_EARLY = 0.03
PURPOSES = {
    "leftover": ("修建通组路", "维修村级活动场所", "修建人饮水池", "安装太阳能路灯", "建设产业路", "修缮村卫生室",
                 "购置茶叶加工设备", "修建灌溉渠", "发展林下养鸡", "建设村级光伏电站"),
    "donation": ("资助贫困家庭学生", "慰问困难党员和群众", "购买图书充实农家书屋", "修建村民文化广场",
                 "为留守儿童购置学习用品", "改善敬老院生活设施", "资助大病困难群众"),
}
PAYEES = ("遵义市某建筑工程有限公司", "村级项目施工队", "县农资公司", "乡镇供销社", "受助群众（名单见附件）",
          "新华书店遵义分店", "村股份经济合作社")


def _meeting(rng: random.Random, quorum: Quorum, households: int, fail: bool) -> dict[str, Any]:
    """Attendance that meets the quorum; votes that carry unless `fail`."""
    if quorum is Quorum.TWO_COMMITTEES:
        eligible = rng.randint(5, 9)
        present = rng.randint(eligible // 2 + 1, eligible)
    elif quorum is Quorum.PARTY:
        eligible = rng.randint(18, 80)
        present = rng.randint(eligible // 2 + 1, eligible)
    elif quorum is Quorum.VILLAGERS:
        eligible = max(households, 60) * 3
        present = rng.randint(eligible // 2 + 1, eligible * 3 // 4)
    else:  # representatives, 党群议事会
        eligible = rng.randint(15, 45)
        present = rng.randint(-(-eligible * 2 // 3), eligible)
    votes_for = rng.randint(present // 4, present // 2) if fail else rng.randint(present // 2 + 1, present)
    rest = present - votes_for
    against = rng.randint(0, rest)
    abstain = rng.randint(0, rest - against)
    return {"meeting_kind": QUORUM_LABELS[quorum], "eligible": eligible, "present": present, "votes_for": votes_for,
            "votes_against": against, "votes_abstain": abstain}


def _plan(rng: random.Random, village: str, households: int, year: int, last_day: dt.date,
          index: int) -> tuple[tuple[Any, ...], list[dict[str, Any]], list[tuple[dt.date, Decimal, str]]] | None:
    """One decision: its row, its steps and its payments."""
    flow = "direct" if rng.random() < DIRECT_FLOW else "four_two"
    kind = "donation" if rng.random() < DONATION else "leftover"
    amount = Decimal(rng.randint(30, 3000) * 100)
    title = rng.choice(PURPOSES[kind]) + (f"（{index + 1}）" if index else "")
    steps = flow_steps(flow)
    roll = rng.random()
    rejected = roll < REJECTED
    unpublished = REJECTED <= roll < REJECTED + UNPUBLISHED
    unreported = REJECTED + UNPUBLISHED <= roll < REJECTED + UNPUBLISHED + UNREPORTED
    early = REJECTED + UNPUBLISHED + UNREPORTED <= roll < REJECTED + UNPUBLISHED + UNREPORTED + PAID_EARLY
    codes = [s.code for s in steps]
    if rejected:
        stop = rng.choice(["township", *[s.code for s in steps if s.kind is Kind.MEETING]])
    elif unpublished:
        stop = next(s.code for s in steps if s.resolution)
    elif unreported:
        stop = "implement"
    elif early:
        stop = "result"
    else:  # most complete, the rest stopped at every step
        stop = "result" if rng.random() < 0.55 else rng.choice(codes)
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 240))
    rows: list[dict[str, Any]] = []
    status = "in_progress"
    published: tuple[dt.date, int] | None = None
    for spec in steps:
        gap = (rng.randint(20, 60) if spec.code == "result" else rng.randint(2, 12)) if rows else 0
        if published and spec.code == "implement":
            day = max(day, published[0] + dt.timedelta(days=published[1]))
        day = day + dt.timedelta(days=gap)
        if day > last_day:
            break
        row = _step(rng, spec, day, households, fail=rejected and spec.code == stop)
        rows.append(row)
        if spec.code == "publish":
            published = (day, row["publicity_days"])
        if rejected and spec.code == stop:
            status = "rejected"
            break
        if spec.code == stop:
            break
    if not rows:
        return None
    if status != "rejected" and rows[-1]["step"] == codes[-1]:
        status = "done"
    payments: list[tuple[dt.date, Decimal, str]] = []
    if published and status != "rejected":
        first = published[0] + dt.timedelta(days=published[1])
        paid_on = published[0] + dt.timedelta(days=rng.randint(0, published[1] - 1)) if early else \
            first + dt.timedelta(days=rng.randint(0, 20))
        if paid_on <= last_day:
            share = Decimal(rng.choice((100, 100, 60, 50, 30))) / 100
            payments.append((paid_on, (amount * share).quantize(Decimal("0.01")), rng.choice(PAYEES)))
    decision = (village, year, title, kind, amount, flow, rows[-1]["step"], status, len(rows))
    return decision, rows, payments


def _step(rng: random.Random, spec: Step, day: dt.date, households: int, fail: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"step": spec.code, "held_on": day, "meeting_kind": "", "eligible": None, "present": None,
                           "households_represented": None, "households_total": None, "votes_for": None,
                           "votes_against": None, "votes_abstain": None, "publicity_days": None, "note": ""}
    if spec.kind is Kind.PROPOSAL:
        row["note"] = "村党组织提议，经支委会研究"
    elif spec.kind is Kind.TOWNSHIP:
        row["meeting_kind"] = "不同意" if fail else "同意"
        row["note"] = "资金用途不符合帮扶资金使用规定" if fail else ""
    elif spec.kind is Kind.MEETING:
        quorum = spec.quorums[0] if len(spec.quorums) == 1 or rng.random() < 0.8 else spec.quorums[1]
        row.update(_meeting(rng, quorum, households, fail))
    elif spec.kind is Kind.PUBLICITY:
        row["publicity_days"] = rng.choice((7, 7, 7, 10, 15))
    else:
        row["note"] = "按决议组织实施"
    return row


def generate_decisions(ctx: SynthContext) -> None:
    if FundDecision.objects_unscoped.filter(village__code__within=ctx.prefix, year=ctx.year).exists():
        return
    last_day = min(dt.date(ctx.year, 12, 31), timezone.localdate())
    # 四议两公开 is the villages' (村) way: communities (社区/居委会) are left out
    villages = sorted(v for vs in ctx.villages_by_county.values() for v in vs
                      if ctx.covers(v) and (v in ctx.rural_villages or not ctx.rural_villages))
    decisions, plans = [], []
    for village in villages:
        rng = ctx.rng_for("decisions", village)
        if rng.random() >= VILLAGES_WITH_DECISIONS:
            continue
        households = ctx.households_by_village.get(village, 200)
        for index in range(rng.choice((1, 1, 2, 3))):
            planned = _plan(rng, village, households, ctx.year, last_day, index)
            if planned is None:
                continue
            decision, steps, payments = planned
            decisions.append(decision)
            plans.append((village, decision[2], steps, payments))
    ctx.insert(FundDecision._meta.db_table, ("village_id", "year", "title", "fund_kind", "amount", "flow", "step",
                                             "status", "version"), decisions)
    ids = {(v, t): pk for pk, v, t in FundDecision.objects_unscoped
           .filter(village__code__within=ctx.prefix, year=ctx.year).values_list("pk", "village_id", "title")}
    columns = ("step", "held_on", "meeting_kind", "eligible", "present", "households_represented",
               "households_total", "votes_for", "votes_against", "votes_abstain", "publicity_days", "note")
    ctx.insert(DecisionStep._meta.db_table, ("decision_id", *columns),
               [(ids[(v, t)], *(s[c] for c in columns)) for v, t, steps, _ in plans for s in steps])
    # minutes are files: the synth records none (the timeline shows 无会议记录)
    ctx.insert(DecisionPayment._meta.db_table, ("decision_id", "paid_on", "amount", "payee"),
               [(ids[(v, t)], *p) for v, t, _, payments in plans for p in payments])


register_step("resources_decisions", 78, generate_decisions, label="资金使用决策")
