"""Synthetic-data steps for regions: the shipped division tree, and each village's facts for the year (村情).

Village facts are allocated over the scale's whole area (all of 遵义市, or all of 贵州省) from
generators keyed by city, so the villages of one county are the same whether synth runs for that
county, the city or the province. Who is poor, minority or a demonstration site does not change with
the year; weak organisations (软弱涣散) are drawn afresh each year; each poor village has a planned exit
year (出列) and shows it once the year reaches it.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import AlreadyGenerated, SynthContext, SynthRefused, register_step

from .codes import code_from_prefix, level_of
from .models import Demonstration, Level, Region, VillageYear
from .national import GUIZHOU, national_poor_targets
from .services import load_shipped_divisions, load_synthetic_province

# 2016 figures for 遵义市 (DESIGN.md §1): 871 poor villages; weak organisations and minority villages.
ZUNYI = "5203"
ZUNYI_POOR = 871
ZUNYI_WEAK = 138
ZUNYI_MINORITY = 231
# The seed's 902 驻村工作组 cover the 871 poor, 138 weak and 231 minority villages: beyond the poor, 31 villages.
ZUNYI_COVERED = 902
PROVINCE_POOR = 9000  # 贵州省, 2014 建档立卡
WEAK_RATE = ZUNYI_WEAK / 2093  # of all village-level units
MINORITY_RATE = {"autonomous": 0.6, "other": 0.2}  # of 村, for cities other than 遵义
# 遵义's provincial demonstration sites are in 汇川区, 正安县 and 道真县.
ZUNYI_PROVINCIAL_SITES = ("520303", "520324", "520325")

# How likely a 村 in the county is to be poor, relative to the others: the urban districts least,
# the national key counties (正安, 道真, 务川) most.
ZUNYI_POVERTY_WEIGHT = {
    "520302": 0.4, "520303": 0.5, "520304": 0.9, "520322": 1.1, "520323": 1.0, "520324": 2.5,
    "520325": 2.5, "520326": 2.5, "520327": 1.2, "520328": 0.9, "520329": 0.8, "520330": 1.3,
    "520381": 1.0, "520382": 0.8,
}
# Planned exit year of a poor village (出列), and how many exit that year.
EXIT_PLAN = ((2015, 12), (2016, 15), (2017, 25), (2018, 28), (2019, 20))

VILLAGE_YEAR_COLUMNS = (
    "village_id", "year", "is_poor", "exit_year", "is_weak_organisation", "is_ethnic_minority", "demonstration",
    "version",
)


def is_rural_village(name: str) -> bool:
    """村 (村民委员会), as opposed to 社区 and 居委会."""
    return name.endswith(("村民委员会", "村委会", "村"))


def load_regions(ctx: SynthContext) -> None:
    """Load the shipped tree when the scale's area has no villages yet; then map the area for later steps."""
    universe_code = code_from_prefix(ctx.universe)
    has_villages = Region.objects_unscoped.filter(code__within=ctx.universe, level=Level.VILLAGE).exists()
    if not has_villages:
        started = time.perf_counter()
        if ctx.scale == "country" and not ctx.universe.startswith(GUIZHOU):
            count = load_synthetic_province(actor=OPERATOR, province=ctx.universe[:2])
        else:
            count = load_shipped_divisions(actor=OPERATOR, prefix=ctx.universe)
        ctx.rows[Region._meta.db_table] += count
        ctx.seconds[Region._meta.db_table] += time.perf_counter() - started
    rows = Region.objects_unscoped.filter(code__within=ctx.universe).values_list("code", "name", "level")
    for code, name, level in rows.order_by("code"):
        ctx.region_names[code] = name
        if not ctx.covers(code):
            continue
        if level == Level.CITY:
            ctx.cities.append(code)
        elif level == Level.COUNTY:
            ctx.counties.append(code)
        elif level == Level.TOWNSHIP:
            ctx.townships_by_county[county_of(code)].append(code)
        elif level == Level.VILLAGE:
            ctx.villages_by_township[code[:9].ljust(12, "0")].append(code)
            ctx.villages_by_county[county_of(code)].append(code)
            if is_rural_village(name):
                ctx.rural_villages.add(code)
    if universe_code not in ctx.region_names:
        raise SynthRefused(f"区划“{universe_code}”不存在，无法生成合成数据")
    if not any(ctx.villages_by_county.values()):
        raise SynthRefused(f"区划前缀“{ctx.prefix}”下没有村级区划，无法生成合成数据")


def county_of(code: str) -> str:
    return code[:6].ljust(12, "0")


def city_of(code: str) -> str:
    return code[:4].ljust(12, "0")


@dataclass
class CityVillages:
    """The villages of one city, for allocating its facts."""

    code: str
    name: str
    counties: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # county → villages
    rural: list[str] = field(default_factory=list)
    all: list[str] = field(default_factory=list)


@dataclass
class VillageFacts:
    poor: set[str] = field(default_factory=set)
    planned_exit: dict[str, int] = field(default_factory=dict)
    minority: set[str] = field(default_factory=set)
    demonstration: dict[str, str] = field(default_factory=dict)
    weak: set[str] = field(default_factory=set)

    def row(self, village: str, year: int) -> tuple[object, ...]:
        planned = self.planned_exit.get(village)
        exit_year = planned if planned is not None and planned <= year else None
        return (
            village, year, village in self.poor, exit_year, village in self.weak, village in self.minority,
            self.demonstration.get(village, ""), 1,
        )


def _cities(ctx: SynthContext) -> list[CityVillages]:
    cities: dict[str, CityVillages] = {}
    for code, name in ctx.region_names.items():
        if level_of(code) == Level.CITY:
            cities[code] = CityVillages(code=code, name=name)
    for code, name in ctx.region_names.items():
        if level_of(code) == Level.VILLAGE and city_of(code) in cities:
            city = cities[city_of(code)]
            city.counties[county_of(code)].append(code)
            city.all.append(code)
            if is_rural_village(name):
                city.rural.append(code)
    return [cities[code] for code in sorted(cities)]


def _share(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` in proportion to the weights, by largest remainder (the parts add up exactly)."""
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    exact = {key: total * w / weight_sum for key, w in weights.items()}
    parts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: (parts[key] - exact[key], key))
    for key in by_remainder[: total - sum(parts.values())]:
        parts[key] += 1
    return parts


def _poor_targets(ctx: SynthContext, cities: list[CityVillages]) -> dict[str, int]:
    fixed = {c.code: min(ZUNYI_POOR, len(c.rural)) for c in cities if c.code.startswith(ZUNYI)}
    if ctx.scale == "city":
        return {c.code: fixed.get(c.code, round(len(c.rural) * ZUNYI_POOR / 1442)) for c in cities}
    # province: 贵州省's 9,000; country: each province's share of the nation's 130,000 (Guizhou keeps its 9,000)
    province_poor = PROVINCE_POOR if ctx.scale == "province" else national_poor_targets()[ctx.universe[:2]]
    others = {c.code: float(len(c.rural)) for c in cities if c.code not in fixed}
    shares = _share(max(province_poor - sum(fixed.values()), 0), others)
    by_code = {c.code: c for c in cities}
    return fixed | {code: min(n, len(by_code[code].rural)) for code, n in shares.items()}


def planned_poor(ctx: SynthContext) -> set[str]:
    """The villages the synth makes poor over the whole scale (every city's allocation, whatever the prefix), so a
    step drawing across the city or province knows them before or without the 村情 rows."""
    cities = _cities(ctx)
    targets = _poor_targets(ctx, cities)
    return set().union(*(allocate_city(ctx, city, targets[city.code]).poor for city in cities))


def _weighted_sample(
    rng: random.Random, candidates: Sequence[str], count: int, weight: Callable[[str], float]
) -> list[str]:
    """`count` distinct candidates, each more likely the heavier it is (Efraimidis–Spirakis keys)."""
    keyed = sorted(candidates, key=lambda c: rng.random() ** (1.0 / weight(c)), reverse=True)
    return keyed[: max(0, min(count, len(keyed)))]


def _county_poverty_weight(ctx: SynthContext, county: str) -> float:
    if county.startswith(ZUNYI):
        return ZUNYI_POVERTY_WEIGHT.get(county[:6], 1.0)
    name = ctx.region_names.get(county, "")
    if name.endswith("区"):
        return 0.5
    return 1.5 if "自治" in name else 1.0


def _is_autonomous(ctx: SynthContext, code: str) -> bool:
    return "自治" in ctx.region_names.get(code, "")


def allocate_city(ctx: SynthContext, city: CityVillages, poor_target: int) -> VillageFacts:
    """The facts of one city's villages for the year: the same for the same seed, whatever the prefix."""
    facts = VillageFacts()
    rng = ctx.rng_for("village_years", city.code)
    rural_sorted = sorted(city.rural)

    poor = _weighted_sample(rng, rural_sorted, poor_target, lambda v: _county_poverty_weight(ctx, county_of(v)))
    facts.poor = set(poor)
    years, weights = zip(*EXIT_PLAN, strict=True)
    for village in sorted(poor):
        facts.planned_exit[village] = rng.choices(years, weights)[0]

    if city.code.startswith(ZUNYI):
        minority_target = ZUNYI_MINORITY
    else:
        rate = MINORITY_RATE["autonomous" if _is_autonomous(ctx, city.code) else "other"]
        minority_target = round(len(city.rural) * rate)
    def autonomy(v: str) -> float:
        return 8.0 if _is_autonomous(ctx, county_of(v)) else 1.0

    covered: set[str] | None = None  # where weak organisations are drawn (None: any village of the city)
    if city.code.startswith(ZUNYI):
        # 遵义's minority and weak villages are the poor ones and 31 others (ZUNYI_COVERED): the 31 are minority
        # villages, the rest of the minority villages are poor, and weak organisations are drawn among them all.
        others = _weighted_sample(rng, [v for v in rural_sorted if v not in facts.poor],
                                  ZUNYI_COVERED - len(facts.poor), autonomy)
        facts.minority = set(others) | set(
            _weighted_sample(rng, sorted(facts.poor), minority_target - len(others), autonomy))
        covered = facts.poor | set(others)
    else:
        facts.minority = set(_weighted_sample(rng, rural_sorted, minority_target, autonomy))

    counties = sorted(city.counties)
    if city.code.startswith(ZUNYI):
        provincial_counties = [c for c in counties if c[:6] in ZUNYI_PROVINCIAL_SITES]
    else:
        provincial_counties = sorted(rng.sample(counties, min(3, len(counties))))
    for county in counties:
        villages = sorted(city.counties[county])
        candidates = [v for v in villages if v in facts.poor] or [v for v in villages if v in city.rural] or villages
        picks = [Demonstration.PROVINCIAL] if county in provincial_counties else []
        picks += [Demonstration.CITY, Demonstration.COUNTY, Demonstration.COUNTY]
        for kind in picks:
            free = [v for v in candidates if v not in facts.demonstration] or [
                v for v in villages if v not in facts.demonstration
            ]
            if free:
                facts.demonstration[rng.choice(free)] = kind.value

    # Weak organisations are found (and rectified) year by year; a demonstration site is never one.
    year_rng = ctx.rng_for("village_years", city.code, ctx.year)
    weak_target = ZUNYI_WEAK if city.code.startswith(ZUNYI) else round(len(city.all) * WEAK_RATE)
    weak_candidates = [v for v in sorted(covered if covered is not None else city.all) if v not in facts.demonstration]
    facts.weak = set(
        _weighted_sample(year_rng, weak_candidates, weak_target, lambda v: 1.5 if v in facts.poor else 1.0)
    )
    return facts


def generate_village_years(ctx: SynthContext) -> None:
    """The year's facts for every village of the counties that have none yet; refused when none lacks them."""
    have = {
        county_of(code)
        for code in VillageYear.objects_unscoped.filter(year=ctx.year, village__code__within=ctx.prefix)
        .order_by()
        .values_list("village_id", flat=True)
        .distinct()
    }
    ctx.fill_counties = {c for c in ctx.counties if c not in have and ctx.villages_by_county.get(c)}
    if not ctx.fill_counties:
        area = ctx.region_names.get(code_from_prefix(ctx.prefix), ctx.prefix)
        raise AlreadyGenerated(
            f"{area}（{ctx.prefix}）{ctx.year}年度的村情数据已存在（已生成过合成数据），未重复生成；"
            "如需重新生成，请使用新的数据库"
        )
    if have:
        ctx.log(f"  已有{ctx.year}年度村情的 {len(have)} 个县保持不变，只为其余 {len(ctx.fill_counties)} 个县生成")
    cities = _cities(ctx)
    targets = _poor_targets(ctx, cities)
    rows: list[tuple[object, ...]] = []
    for city in cities:
        if not any(county_of(v) in ctx.fill_counties for v in city.all):
            continue
        facts = allocate_city(ctx, city, targets[city.code])
        rows.extend(
            facts.row(v, ctx.year) for v in sorted(city.all) if county_of(v) in ctx.fill_counties and ctx.covers(v)
        )
    ctx.insert(VillageYear._meta.db_table, VILLAGE_YEAR_COLUMNS, rows)
    load_village_facts(ctx)


def load_village_facts(ctx: SynthContext) -> None:
    """Fill the context's village maps from the stored facts of the year (generated now or before)."""
    stored = VillageYear.objects_unscoped.filter(year=ctx.year, village__code__within=ctx.prefix).values_list(
        "village_id", "is_poor", "exit_year", "is_weak_organisation", "is_ethnic_minority", "demonstration"
    )
    for village, is_poor, exit_year, is_weak, is_minority, demonstration in stored:
        if is_poor:
            ctx.poor_villages.add(village)
        if exit_year is not None:
            ctx.exit_years[village] = exit_year
        if is_weak:
            ctx.weak_villages.add(village)
        if is_minority:
            ctx.minority_villages.add(village)
        if demonstration:
            ctx.demonstration[village] = demonstration


register_step("regions", 10, load_regions, label="行政区划")
register_step("village_years", 20, generate_village_years, label="村情")
