"""Synthetic 干部培训: the seed's 10 city sessions with 1,200 person-times and 95 county sessions with 11,000
(ten times each at province scale), attendees drawn from the sessions' target groups in the region holding it.

Sessions are allocated over the scale's whole area (cities by their villages, counties by their villages) and
person-times over all sessions of a level with a generator keyed by the seed, so a county run gives the county
what a city run does. A region that already has a session in the year is left as it is (rerun adds nothing).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q

from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.codes import level_of
from wuzaicun.regions.models import Level, Region, VillageYear
from wuzaicun.registry.models import Person, Rank

from ..models.dispatch import Dispatch
from ..models.training import Attendance, TargetGroup, TrainingLevel, TrainingSession
from ..rules.training import TOWNSHIP_HEAD_POSTS

SESSIONS = {TrainingLevel.CITY: {"city": 10, "province": 100}, TrainingLevel.COUNTY: {"city": 95, "province": 950}}
PERSON_TIMES = {TrainingLevel.CITY: {"city": 1200, "province": 12000},
                TrainingLevel.COUNTY: {"city": 11000, "province": 110000}}
G = TargetGroup
# (target groups, what the session is called, its topic); each includes a large group, so a session fills.
KINDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    ((G.DISPATCHED,), "第一书记和驻村干部能力提升", "精准扶贫政策与驻村帮扶实务"),
    ((G.VILLAGE_CADRES,), "村干部素质提升", "基层组织建设与村务管理"),
    ((G.DISPATCHED, G.VILLAGE_CADRES), "脱贫攻坚业务", "产业扶贫与农村集体经济发展"),
    ((G.COUNTY_LEADERS, G.TOWNSHIP_HEADS, G.DISPATCHED), "脱贫攻坚专题", "“五在村”工作机制与脱贫攻坚责任落实"),
    ((G.COUNTY_LEADERS, G.TOWNSHIP_HEADS, G.DISPATCHED, G.VILLAGE_CADRES), "基层党建", "抓党建促脱贫攻坚"),
)
SESSION_COLUMNS = ("name", "level", "region_id", "organiser", "topic", "start", "end", "year", "target_groups")


def share(total: int, weights: dict[str, int]) -> dict[str, int]:
    """`total` split by weights, largest remainder, ties by key: exact and the same on every run."""
    whole = sum(weights.values())
    if not whole:
        return dict.fromkeys(weights, 0)
    raw = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for key in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[:total - sum(out.values())]:
        out[key] += 1
    return out


def fill(total: int, weights: dict[str, int], caps: dict[str, int]) -> dict[str, int]:
    """`total` split by weights with no share above its cap: what a full session cannot take goes to the others
    (exact as long as the caps hold the total)."""
    out = dict.fromkeys(weights, 0)
    left, open_keys = total, dict(weights)
    while left > 0 and open_keys:
        part = share(left, open_keys)
        for key, n in part.items():
            take = min(n, caps[key] - out[key])
            out[key] += take
            left -= take
        open_keys = {k: w for k, w in open_keys.items() if out[k] < caps[k]}
    return out


def _pools(ctx: SynthContext) -> dict[str, dict[str, set[int]]]:
    """county code → target group → the ids of its people in the group in the year (read from the database,
    so a rerun or a later year sees what earlier runs stored)."""
    year = ctx.year
    pools: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    poor = VillageYear.objects_unscoped.filter(village__code__within=ctx.prefix, year=year, is_poor=True).filter(
        Q(exit_year__isnull=True) | Q(exit_year__gt=year)).values_list("village_id", flat=True)
    poor_townships = {code[:9] + "000" for code in poor}
    people = Person.objects_unscoped.filter(region__code__within=ctx.prefix).filter(
        Q(rank__in=(Rank.COUNTY_LEVEL, Rank.VILLAGE_CADRE)) | Q(post__in=TOWNSHIP_HEAD_POSTS)
        | Q(post__in=("第一书记", "驻村干部"))).values_list("id", "region_id", "rank", "post")
    stationed: dict[str, set[int]] = defaultdict(set)
    for pk, region, rank, post in people.iterator(chunk_size=20000):
        county = region[:6]
        if rank == Rank.COUNTY_LEVEL:
            pools[county][G.COUNTY_LEADERS].add(pk)
        if rank == Rank.VILLAGE_CADRE:
            pools[county][G.VILLAGE_CADRES].add(pk)
        if post in TOWNSHIP_HEAD_POSTS and level_of(region) == Level.TOWNSHIP and region in poor_townships:
            pools[county][G.TOWNSHIP_HEADS].add(pk)
        if post in ("第一书记", "驻村干部") and level_of(region) == Level.VILLAGE:
            stationed[county].add(pk)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    dispatched = Dispatch.objects_unscoped.filter(village__code__within=ctx.prefix, start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gte=first)).values_list("person_id", "village_id")
    found: dict[str, set[int]] = defaultdict(set)
    for pk, village in dispatched.iterator(chunk_size=20000):
        found[village[:6]].add(pk)
    for county in set(found) | set(stationed):  # the dispatches when that step ran, else who is stationed
        pools[county][G.DISPATCHED] = found.get(county) or stationed.get(county, set())
    return pools


class _Pools:
    """The sorted ids of an area's people in some target groups, computed once per (area, groups)."""

    def __init__(self, pools: dict[str, dict[str, set[int]]]) -> None:
        self.pools = pools
        self.made: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}

    def __call__(self, counties: Sequence[str], groups: Sequence[str]) -> list[int]:
        key = (tuple(counties), tuple(groups))
        if key not in self.made:
            self.made[key] = sorted({pk for county in counties for group in groups
                                     for pk in self.pools.get(county, {}).get(group, ())})
        return self.made[key]


def _dates(rng: random.Random, year: int, index: int, count: int) -> tuple[dt.date, dt.date]:
    month = 3 + (index * 9) // max(count, 1)  # March to November, spread over the year
    start = dt.date(year, month, rng.randint(1, 20))
    return start, start + dt.timedelta(days=rng.randint(1, 4))


def generate_training(ctx: SynthContext) -> None:
    areas = list(Region.objects_unscoped.filter(code__within=ctx.universe, level__in=(Level.CITY, Level.COUNTY))
                 .order_by("code").values_list("code", "level", "name"))
    names = {code: name for code, _, name in areas}
    villages: dict[str, int] = defaultdict(int)
    for code in Region.objects_unscoped.filter(code__within=ctx.universe, level=Level.VILLAGE).values_list(
            "code", flat=True).iterator(chunk_size=50000):
        villages[code[:4]] += 1
        villages[code[:6]] += 1
    holders = {TrainingLevel.CITY: [c for c, lv, _ in areas if lv == Level.CITY],
               TrainingLevel.COUNTY: [c for c, lv, _ in areas if lv == Level.COUNTY]}
    done = set(TrainingSession.objects_unscoped.filter(year=ctx.year).filter(
        Q(region__code__within=ctx.prefix) | Q(region__code__in=holders[TrainingLevel.CITY])).values_list(
        "region_id", flat=True))
    pool_of = _Pools(_pools(ctx))
    counties_of: dict[str, list[str]] = defaultdict(list)
    for county in holders[TrainingLevel.COUNTY]:
        counties_of[county[:4]].append(county[:6])
    sessions: list[tuple[object, ...]] = []
    draws: dict[tuple[str, str], list[int]] = {}
    for level in (TrainingLevel.CITY, TrainingLevel.COUNTY):
        key_len = 4 if level == TrainingLevel.CITY else 6
        quota = share(ctx.quota(SESSIONS[level][ctx.quota_scale]), {c: villages[c[:key_len]] for c in holders[level]})
        slots = {f"{region}/{n:03d}": (region, n) for region in holders[level] for n in range(quota[region])}
        weights_rng = ctx.rng_for("training", "times", level, ctx.universe)
        weights = {slot: weights_rng.randint(8, 16) for slot in sorted(slots)}
        caps = {}
        for slot, (region, n) in slots.items():
            area = counties_of[region[:4]] if level == TrainingLevel.CITY else [region[:6]]
            caps[slot] = len(pool_of(area, KINDS[n % len(KINDS)][0]))
        if not ctx.covers(ctx.universe):  # a county run knows no other county's people: caps left out
            caps = {slot: max(cap, ctx.quota(PERSON_TIMES[level][ctx.quota_scale])) for slot, cap in caps.items()}
        times = fill(ctx.quota(PERSON_TIMES[level][ctx.quota_scale]), weights, caps)
        for region in holders[level]:
            if not ctx.covers(region) or region in done:  # a city's sessions only in a city (or wider) run
                continue
            rng = ctx.rng_for("training", region, ctx.year)
            area = counties_of[region[:4]] if level == TrainingLevel.CITY else [region[:6]]
            for n in range(quota[region]):
                groups, title, topic = KINDS[n % len(KINDS)]
                name = f"{names[region]}{ctx.year}年{title}培训班（第{n + 1}期）"
                start, end = _dates(rng, ctx.year, n, quota[region])
                sessions.append((name, level, region, f"中共{names[region]}委组织部", topic, start, end, ctx.year,
                                 json.dumps(list(groups))))
                pool = pool_of(area, groups)
                draws[(region, name)] = rng.sample(pool, min(times[f"{region}/{n:03d}"], len(pool)))
    if not sessions:
        return
    ctx.insert(TrainingSession._meta.db_table, SESSION_COLUMNS, sessions)
    ids = {(region, name): pk for pk, region, name in TrainingSession.objects_unscoped.filter(
        year=ctx.year, region_id__in={s[2] for s in sessions}).values_list("pk", "region_id", "name")}
    ctx.insert(Attendance._meta.db_table, ("session_id", "person_id"),
               ((ids[key], pk) for key, people in draws.items() for pk in people))


register_step("training", 69, generate_training, label="干部培训")
