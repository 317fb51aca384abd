"""Synthetic 千村千人计划 talents with their villages, visit plans and visits, and 项目书记 with the projects they
lead (领办) and drive (带动).

At city scale (遵义市, seed 2016) the seed's figures come out exactly: 5,378 talents, 1,433 项目书记, 918 projects
led and 1,240 driven; province scale is ten times, shared among the cities by their villages (as
organization's O3). Each city's quota is split among its counties by their villages, so a quota never depends
on what else the run generates; within a run the counties filled share their quotas' total in proportion to
the people available (decision T5), so a city run is exact even where a county has fewer 专业人才 than its share.

Talents are the county's 专业人才 (registry's synth places them mostly in poor villages), registered by the
county, serving their own village and sometimes one or two more of the same township. Visits follow the plan
with some slack; about a quarter of pairs lapse or are never visited, so the year ends with a realistic share
overdue (逾期未走访). 项目书记 are township 乡科级 cadres (serving the township) or 乡科级 第一书记 (serving their
village). A county that already has talents (or secretaries) for the year is left as it is: rerun adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.codes import level_of
from wuzaicun.registry.models import Rank

from ..models.talents import (
    ProjectRole,
    ProjectSecretary,
    SecretaryProject,
    Talent,
    TalentField,
    TalentVillage,
    TalentVisit,
    VisitPlan,
)

CITY_QUOTAS: dict[str, int] = {"talents": 5378, "secretaries": 1433, "led": 918, "driven": 1240}
SCALE_FACTOR = {"city": 1, "province": 10}
# Who serves as a talent: the 专业人才 registry's synth places in villages, then (where they are too few)
# 能人党员, the villages' capable party members (种养殖大户, 合作社带头人).
TALENT_RANKS = (Rank.PROFESSIONAL, Rank.CAPABLE_PARTY_MEMBER)

_FIELD_WEIGHTS = ((TalentField.AGRICULTURE, 34), (TalentField.TECHNOLOGY, 14), (TalentField.FINANCE, 9),
                  (TalentField.COMMERCE, 9), (TalentField.EDUCATION, 12), (TalentField.HEALTH, 14),
                  (TalentField.LAW, 5), (TalentField.OTHER, 3))
_PLAN_WEIGHTS = ((VisitPlan.MONTHLY, 45), (VisitPlan.BIMONTHLY, 25), (VisitPlan.QUARTERLY, 22),
                 (VisitPlan.HALF_YEARLY, 8))
_CONTENT = {
    TalentField.AGRICULTURE: ("种植技术指导", "病虫害防治指导", "养殖技术培训", "测土配方施肥指导"),
    TalentField.TECHNOLOGY: ("农机操作培训", "农产品加工技术指导", "科技示范推广"),
    TalentField.FINANCE: ("特惠贷政策宣讲", "产业资金申报指导", "农村金融知识培训"),
    TalentField.COMMERCE: ("电商开店培训", "农产品网销对接", "直播带货指导"),
    TalentField.EDUCATION: ("留守儿童课业辅导", "家庭教育讲座", "控辍保学走访"),
    TalentField.HEALTH: ("义诊与健康体检", "慢病随访", "家庭医生签约服务"),
    TalentField.LAW: ("法律咨询", "矛盾纠纷调解", "普法宣传"),
    TalentField.OTHER: ("政策宣讲", "就业信息服务"),
}
_INDUSTRIES = ("茶叶", "辣椒", "生猪养殖", "中药材", "精品水果", "蔬菜", "食用菌", "肉牛养殖", "乡村旅游", "光伏")
_PROJECT_KINDS = ("种植基地", "产业园", "合作社", "加工厂", "示范点", "扶贫车间")


def _share(total: int, weights: dict[str, int]) -> dict[str, int]:
    """`total` split by weights, largest remainder, ties by key: exact and the same on every run."""
    whole = sum(weights.values())
    if not whole:
        return dict.fromkeys(weights, 0)
    raw = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for key in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[: total - sum(out.values())]:
        out[key] += 1
    return out


def _capped_share(total: int, pools: dict[str, int]) -> dict[str, int]:
    """`total` split in proportion to `pools`, never more than a pool holds (the rest goes where there is room)."""
    out = dict.fromkeys(pools, 0)
    left = min(total, sum(pools.values()))
    while left > 0:
        room = {k: pools[k] - out[k] for k in pools if pools[k] > out[k]}
        for key, extra in _share(left, room).items():
            out[key] += min(extra, room[key])
        left = min(total, sum(pools.values())) - sum(out.values())
    return out


def county_quotas(ctx: SynthContext) -> dict[str, dict[str, int]]:
    """kind → county → quota, over the scale's whole area: cities by villages, then counties by villages."""
    villages: dict[str, int] = defaultdict(int)
    for code in ctx.region_names:
        if level_of(code) == 5:
            villages[code[:6].ljust(12, "0")] += 1
    by_city: dict[str, dict[str, int]] = defaultdict(dict)
    for county, n in villages.items():
        by_city[county[:4].ljust(12, "0")][county] = n
    factor = SCALE_FACTOR.get(ctx.quota_scale, 1)
    out: dict[str, dict[str, int]] = {}
    for kind, base in CITY_QUOTAS.items():
        cities = _share(ctx.quota(base * factor), {city: sum(c.values()) for city, c in by_city.items()})
        out[kind] = {}
        for city, quota in cities.items():
            out[kind].update(_share(quota, by_city[city]))
    return out


def _weighted(rng: random.Random, options: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _counties_with(model: Any, ctx: SynthContext) -> set[str]:
    """Counties that already have records of `model` for the year (left as they are)."""
    rows = scoped(model, OPERATOR).filter(region__code__within=ctx.prefix, year=ctx.year).values_list(
        "region_id", flat=True).distinct()
    return {code[:6].ljust(12, "0") for code in rows}


# ---------------------------------------------------------------------------------------------------------
# 千村千人计划


def _visit_dates(rng: random.Random, every: int, year: int, last_day: dt.date) -> list[dt.date]:
    """A pair's visits over the year: most keep to the plan with some slack, some lapse, a few never go."""
    habit = rng.random()
    if habit < 0.06 or last_day < dt.date(year, 1, 1):
        return []
    stop = last_day if habit >= 0.22 else dt.date(year, rng.randint(3, 10), rng.randint(1, 28))
    out: list[dt.date] = []
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(3, max(4, every - 3)))
    while day <= stop:
        out.append(day)
        day += dt.timedelta(days=max(7, every - rng.randint(0, every // 4) + (rng.randint(0, 10) if rng.random() < 0.15 else 0)))
    return out


def _pool(ctx: SynthContext, county: str, rank: str) -> list[tuple[int, str]]:
    """(person id, village) of the county's people of `rank` living in a village."""
    return [(pk, village) for village in ctx.villages_by_county.get(county, [])
            for pk in ctx.people_by_region.get(village, {}).get(rank, [])]


def generate_talents(ctx: SynthContext) -> None:
    done = _counties_with(Talent, ctx)
    counties = [c for c in ctx.counties if c not in done]
    if kept := len(ctx.counties) - len(counties):
        ctx.log(f"  已有人才的 {kept} 个县沿用原有数据")
    if not counties:
        return
    target = sum(county_quotas(ctx)["talents"].get(c, 0) for c in counties)
    home: dict[int, str] = {}
    rows: list[tuple[Any, ...]] = []
    for rank in TALENT_RANKS:  # 专业人才 first; 能人党员 make up a shortfall (decision T5)
        pools = {c: [p for p in _pool(ctx, c, rank) if p[0] not in home] for c in counties}
        counts = _capped_share(target - len(rows), {c: len(p) for c, p in pools.items()})
        for county in counties:
            rng = ctx.rng_for("talents", rank, county)
            for person, village in sorted(rng.sample(pools[county], counts[county])):
                home[person] = village
                rows.append((person, county, _weighted(rng, _FIELD_WEIGHTS), ctx.year, _weighted(rng, _PLAN_WEIGHTS)))
    ctx.insert(Talent._meta.db_table, ("person_id", "region_id", "field", "year", "visit_every"), rows)
    ids = scoped(Talent, OPERATOR).filter(year=ctx.year, region_id__in=counties).values_list(
        "id", "person_id", "field", "visit_every").order_by("id")
    last_day = min(dt.date(ctx.year, 12, 31), timezone.localdate())
    links: list[tuple[int, str]] = []
    visits: list[tuple[Any, ...]] = []
    for talent_id, person_id, field, every in ids.iterator(chunk_size=20000):
        rng = ctx.rng_for("talent", ctx.year, person_id)
        village = home[person_id]
        township = ctx.villages_by_township.get(village[:9].ljust(12, "0"), [village])
        others = [v for v in township if v != village]
        extra = 0 if rng.random() < 0.5 else 1 if rng.random() < 0.7 else 2
        served = [village, *rng.sample(others, min(len(others), extra))]
        contents = _CONTENT[TalentField(field)]
        for code in served:
            links.append((talent_id, code))
            visits += [(talent_id, code, day, rng.choice(contents)) for day in _visit_dates(rng, every, ctx.year, last_day)]
    ctx.insert(TalentVillage._meta.db_table, ("talent_id", "village_id"), links)
    ctx.insert(TalentVisit._meta.db_table, ("talent_id", "village_id", "date", "content"), visits)


# ---------------------------------------------------------------------------------------------------------
# 项目书记


def _secretary_pool(ctx: SynthContext, county: str) -> list[tuple[int, str]]:
    """(person id, region served): township 乡科级 cadres (their township), 乡科级 第一书记 (their village)."""
    out: list[tuple[int, str]] = []
    for township in ctx.townships_by_county.get(county, []):
        out += [(pk, township) for pk in ctx.people_by_region.get(township, {}).get(Rank.TOWNSHIP_LEVEL, [])]
        for village in ctx.villages_by_township.get(township, []):
            ranks = ctx.people_by_region.get(village, {})
            township_level = set(ranks.get(Rank.TOWNSHIP_LEVEL, []))
            out += [(pk, village) for pk, post, _ in ctx.stationed.get(village, [])
                    if post == "第一书记" and pk in township_level]
    return out


def _project(ctx: SynthContext, rng: random.Random, region: str, role: str) -> tuple[str, str, Decimal]:
    villages = [region] if level_of(region) == 5 else ctx.villages_by_township.get(region, [])
    poor = [v for v in villages if v in ctx.poor_villages]
    village = rng.choice(poor if poor and rng.random() < 0.7 else villages)
    name = f"{ctx.region_names[village]}{rng.choice(_INDUSTRIES)}{rng.choice(_PROJECT_KINDS)}"
    low, high = (2000, 50000) if role == ProjectRole.LEAD else (500, 20000)  # hundreds of yuan
    return village, name, Decimal(rng.randint(low, high) * 100)


def generate_secretaries(ctx: SynthContext) -> None:
    done = _counties_with(ProjectSecretary, ctx)
    counties = [c for c in ctx.counties if c not in done]
    if kept := len(ctx.counties) - len(counties):
        ctx.log(f"  已有项目书记的 {kept} 个县沿用原有数据")
    if not counties:
        return
    quotas = county_quotas(ctx)
    pools = {c: [(pk, region) for pk, region in _secretary_pool(ctx, c)
                 if level_of(region) == 5 or ctx.villages_by_township.get(region)] for c in counties}
    counts = _capped_share(sum(quotas["secretaries"].get(c, 0) for c in counties), {c: len(p) for c, p in pools.items()})
    rows: list[tuple[Any, ...]] = []
    for county in counties:
        rng = ctx.rng_for("secretaries", county)
        rows += [(pk, region, ctx.year) for pk, region in sorted(rng.sample(pools[county], counts[county]))]
    ctx.insert(ProjectSecretary._meta.db_table, ("person_id", "region_id", "year"), rows)
    stored: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, region in scoped(ProjectSecretary, OPERATOR).filter(year=ctx.year, region__code__within=ctx.prefix).values_list(
            "id", "region_id").order_by("id"):
        stored[region[:6].ljust(12, "0")].append((pk, region))
    projects: list[tuple[Any, ...]] = []
    for kind, role in (("led", ProjectRole.LEAD), ("driven", ProjectRole.DRIVE)):
        holders = {c: len(stored[c]) for c in counties}
        shares = _capped_share(sum(quotas[kind].get(c, 0) for c in counties),
                               {c: n * 1000 if n else 0 for c, n in holders.items()})
        for county in counties:
            rng = ctx.rng_for("projects", kind, county)
            for _ in range(shares[county]):
                secretary, region = rng.choice(stored[county])
                village, name, amount = _project(ctx, rng, region, role)
                projects.append((secretary, role, name, village, amount))
    ctx.insert(SecretaryProject._meta.db_table, ("secretary_id", "role", "name", "village_id", "amount"), projects)


def generate(ctx: SynthContext) -> None:
    generate_talents(ctx)
    generate_secretaries(ctx)


register_step("talents", 68, generate, label="千村千人计划人才与项目书记")
