"""Synthetic 选派: the cadres the people step stationed (`ctx.stationed`) dispatched by their units, a 驻村工作组 in
every poor, weak-organisation and ethnic-minority village, a few 驻村干部 handed over to successors, and a few
上管一级 and 后备干部 placements.

At city scale (遵义市, seed 2016) exactly 4,606 第一书记 and 驻村干部 are dispatched (province: ten times,
shared among the cities by their 村, like O3), in the seed's 902 groups: one a village of the union of the
871 poor, 138 weak and 231 minority villages, which the regions step draws overlapping in 902 villages (A6).
Elsewhere (province scale) a weak 社区 may have no stationed cadre of its own: a 驻村干部 of a village outside
the union, in the same county, is then sent there as its 第一书记. The other cadres outside
the union beyond the quota are not dispatched. The plan is drawn for the scale's whole area with each
city's own generator (the village facts recomputed as the regions step allocates them), so a run for one
county gives that county what the city run does; a county that has dispatches is left as it is, so running
synth again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.synth import _cities, _poor_targets, allocate_city, county_of
from wuzaicun.registry.models import Rank

from ..models.dispatch import Dispatch, DispatchKind, Placement, PlacementKind, WorkingGroup
from ..rules.dispatch import Candidate, successor_for

CITY_DISPATCHES = 4606  # the seed's 第一书记 and 驻村干部 at city scale
SCALE_FACTOR = {"city": 1, "province": 10}
HANDOVER_SHARE = 0.05  # poor villages where a 驻村干部 hands over to a successor during the year
PLACEMENTS_PER_COUNTY = (1, 2)  # 上管一级, 后备干部


def _share(total: int, weights: dict[str, int]) -> dict[str, int]:
    whole = sum(weights.values())
    if not whole:
        return dict.fromkeys(weights, 0)
    raw = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for key in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[: total - sum(out.values())]:
        out[key] += 1
    return out


@dataclass
class Plan:
    """Over the scale's whole area: which villages get a group, where borrowed cadres go, whose 驻村干部 is not
    dispatched, and where a 驻村干部 hands over."""

    union: set[str] = field(default_factory=set)
    poor: set[str] = field(default_factory=set)
    exits: dict[str, int] = field(default_factory=dict)
    borrowed: dict[str, str] = field(default_factory=dict)  # donor village → the 社区 its 驻村干部 serves
    dropped: set[str] = field(default_factory=set)  # villages whose (single) 驻村干部 is not dispatched
    handovers: set[str] = field(default_factory=set)
    extra: set[str] = field(default_factory=set)  # poor villages given one more 驻村干部 (a township cadre)
    quota: dict[str, int] = field(default_factory=dict)  # city → dispatches


def plan_for(ctx: SynthContext) -> Plan:
    plan = Plan()
    cities = _cities(ctx)
    targets = _poor_targets(ctx, cities)
    plan.quota = _share(ctx.quota(CITY_DISPATCHES * SCALE_FACTOR.get(ctx.quota_scale, 1)), {c.code: len(c.rural) for c in cities})
    for city in cities:
        facts = allocate_city(ctx, city, targets[city.code])
        rng = random.Random(f"{ctx.seed}/dispatches/{city.code}/{ctx.year}")
        rural = sorted(city.rural)
        union = facts.poor | facts.weak | facts.minority
        plan.union |= union
        plan.poor |= facts.poor
        plan.exits |= {v: y for v, y in facts.planned_exit.items() if y <= ctx.year}
        stationed = sum(1 + (3 if v in facts.poor else 1) for v in rural)
        spare: dict[str, list[str]] = defaultdict(list)  # county → non-union 村 with one 驻村干部
        for v in rural:
            if v not in union:
                spare[county_of(v)].append(v)
        for county in spare:
            rng.shuffle(spare[county])
        for target in sorted(union - set(rural)):
            if spare[county_of(target)]:
                plan.borrowed[spare[county_of(target)].pop()] = target
        extra = stationed - plan.quota[city.code]
        left = sorted(v for vs in spare.values() for v in vs)
        plan.dropped |= set(rng.sample(left, max(0, min(extra, len(left)))))
        poor = sorted(facts.poor)
        plan.extra |= set(rng.sample(poor, max(0, min(-extra, len(poor)))))  # a quota above the stationed
        plan.handovers |= set(rng.sample(poor, round(len(poor) * HANDOVER_SHARE)))
    return plan


def _day(rng: random.Random, year: int, months: tuple[int, int] = (1, 12)) -> dt.date:
    return dt.date(year, rng.randint(*months), rng.randint(1, 28))


def generate_dispatches(ctx: SynthContext) -> None:
    done = {county_of(v) for v in Dispatch.objects_unscoped.filter(village__code__within=ctx.prefix)
            .order_by().values_list("village_id", flat=True).distinct()}
    counties = [c for c in ctx.counties if c not in done]
    if kept := len(ctx.counties) - len(counties):
        ctx.log(f"  已有选派的 {kept} 个县沿用原有数据")
    if not counties:
        return
    plan = plan_for(ctx)
    for county in counties:
        _county(ctx, plan, county)


def _county(ctx: SynthContext, plan: Plan, county: str) -> None:
    rng = ctx.rng_for("dispatches", county)
    year = ctx.year
    units = sorted(ctx.units_by_region.get(county, {}).values())
    # (person, kind, unit, village, start, end)
    rows: list[tuple[int, str, int, str, dt.date, dt.date | None]] = []
    successors: dict[int, int] = {}  # predecessor person → successor person
    handover_end = dt.date(year, 12, 31)
    used: set[int] = set()
    for village in ctx.villages_by_county.get(county, []):
        people = ctx.stationed.get(village, [])
        if not people:
            continue
        fallback = units[rng.randrange(len(units))] if units else None
        firsts = [p for p in people if p[1] == "第一书记"]
        residents = [p for p in people if p[1] != "第一书记"]
        for pid, _post, unit in firsts:
            if unit or fallback:
                rows.append((pid, DispatchKind.FIRST_SECRETARY, unit or fallback or 0, village,
                             _day(rng, year - 1), None))
        if residents and village in plan.borrowed:
            pid, _post, unit = residents.pop(0)
            if unit or fallback:
                rows.append((pid, DispatchKind.FIRST_SECRETARY, unit or fallback or 0, plan.borrowed[village],
                             _day(rng, year - 1), None))
        elif residents and village in plan.dropped:
            residents.pop(0)
        if village in plan.extra:  # a township cadre sent as one more 驻村干部 (province scale: the quota)
            township = village[:9].ljust(12, "0")
            free = [p for p in ctx.people_by_region.get(township, {}).get(Rank.TOWNSHIP_LEVEL, [])[4:]
                    if p not in used]
            if free:
                used.add(free[0])
                residents.append((free[0], "驻村干部", _government_unit(ctx, township) or fallback))
        handover = village in plan.handovers and len(residents) >= 2
        for i, (pid, _post, unit) in enumerate(residents):
            if not (unit or fallback):
                continue
            start, end = _day(rng, year - 1), None
            if handover and i == len(residents) - 2:
                end = _day(rng, year, (3, 9))
                successor = residents[-1][0]
                successors[pid] = successor
                handover_end = end
            elif handover and i == len(residents) - 1:
                start = handover_end - dt.timedelta(days=rng.randint(0, 20))
            rows.append((pid, DispatchKind.RESIDENT, unit or fallback or 0, village, start, end))
    _write(ctx, plan, county, rows, successors)
    _placements(ctx, plan, county, rng)


def _government_unit(ctx: SynthContext, township: str) -> int | None:
    return next((i for n, i in sorted(ctx.units_by_region.get(township, {}).items()) if not n.startswith("中共")), None)


def _write(ctx: SynthContext, plan: Plan, county: str, rows: list[tuple[int, str, int, str, dt.date, dt.date | None]],
           successors: dict[int, int]) -> None:
    first_secretary = {r[3]: r for r in rows if r[1] == DispatchKind.FIRST_SECRETARY}
    groups = []
    for village in sorted(v for v in plan.union if county_of(v) == county and ctx.covers(v)):
        fs = first_secretary.get(village)
        if fs is None:
            continue
        start = min(r[4] for r in rows if r[3] == village)
        groups.append((village, fs[2], fs[0], start))
    ctx.insert(WorkingGroup._meta.db_table, ("village_id", "unit_id", "leader_id", "start"), groups)
    group_of = dict(WorkingGroup.objects_unscoped.filter(village__code__within=county[:6]).values_list(
        "village_id", "pk"))
    ctx.insert(Dispatch._meta.db_table, ("person_id", "kind", "unit_id", "village_id", "group_id", "start", "end"),
               [(p, k, u, v, group_of.get(v), s, e) for p, k, u, v, s, e in rows])
    if successors:  # linked as the rule finds them (the earliest in post by the end), as an import links them
        ended = {r[3] for r in rows if r[5] is not None}
        made: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        for pk, village, kind, start, end in Dispatch.objects_unscoped.filter(village_id__in=ended).values_list(
                "pk", "village_id", "kind", "start", "end"):
            made[(village, kind)].append(Candidate(pk, start, end))
        linked = []
        for candidates in made.values():
            for c in candidates:
                if c.end is not None:
                    found = successor_for(start=c.start, end=c.end, candidates=[o for o in candidates if o is not c])
                    if found is not None:
                        linked.append(Dispatch(pk=c.key, successor_id=found.key))
        Dispatch.objects_unscoped.bulk_update(linked, ["successor_id"])


def _placements(ctx: SynthContext, plan: Plan, county: str, rng: random.Random) -> None:
    """上管一级: the 党委书记 of a poor township of the county; 后备干部: junior township cadres in poor villages."""
    unexited = sorted(v for v in plan.poor if county_of(v) == county and ctx.covers(v) and v not in plan.exits)
    if not unexited:
        return
    rows = []
    upper, reserve = PLACEMENTS_PER_COUNTY
    for village in rng.sample(unexited, min(upper, len(unexited))):
        township = village[:9].ljust(12, "0")
        leaders = ctx.people_by_region.get(township, {}).get(Rank.TOWNSHIP_LEVEL, [])
        if leaders:
            rows.append((leaders[0], PlacementKind.UPPER, township, "党委书记", _day(rng, ctx.year - 1), "县委直接管理"))
    for village in rng.sample(unexited, min(reserve, len(unexited))):
        township = village[:9].ljust(12, "0")
        juniors = ctx.people_by_region.get(township, {}).get(Rank.TOWNSHIP_LEVEL, [])[5:]
        if juniors:
            rows.append((rng.choice(juniors), PlacementKind.RESERVE, village, "挂任村党组织副书记", _day(rng, ctx.year),
                         "后备干部到贫困村锻炼"))
    ctx.insert(Placement._meta.db_table, ("person_id", "kind", "region_id", "post", "start", "note"), rows)


register_step("dispatches", 67, generate_dispatches, label="选派与驻村工作组")
