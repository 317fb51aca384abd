"""Synthetic-data steps for the registry: poor households, the units that send cadres, people, leadership teams.

Every row is built as a tuple in exactly the shape the import sinks write (`HouseholdSink` and
`PersonSink.insert_columns`), resident IDs and phones sealed and masked as the app stores them, and
inserted set-based. A county that already has households (or people) keeps them: they are reused, not
generated again. Each county draws from its own generator, so its data does not depend on the others.

Who is generated, per village: poor villages (贫困村) get a 第一书记 and three 驻村干部, other 村 a
第一书记 and one; every village five 村干部, one 农村党员 per 8 poor households (at least 5, so that every
household can be helped by three party members of its own village), one 能人党员 per 10 poor households,
and 专业人才 mostly in poor villages. A stationed cadre's region is the village served; the sending unit
is the cadre's unit.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr

from wuzaicun.core.identifiers import credit_code_check_char, resident_id_check_digit
from wuzaicun.core.masking import mask_phone, mask_resident_id
from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.codes import ancestor_codes, code_from_prefix, level_of
from wuzaicun.regions.national import province_minorities

from .fields import seal_phone, seal_resident_id
from .imports import HouseholdSink, PersonSink
from .models import (
    Household,
    LeadershipTeam,
    Person,
    PoliticalStatus,
    PovertyCause,
    PovertyStatus,
    Rank,
    Unit,
)

Row = tuple[Any, ...]

# ---------------------------------------------------------------------------------------------------------
# Names, numbers and dates

# Common surnames, the most common first and listed more often; 冉, 令狐 and 申 are 黔北 names.
_SURNAMES = (
    "王李张刘陈杨赵黄周吴" * 4 + "徐孙胡朱高林何郭马罗" * 2 + "梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
    "冉申母敖骆犹穆安韦蒙班伍"
)
_COMPOUND_SURNAMES = ("令狐", "欧阳", "司马", "上官")
_MALE_GIVEN = "伟强军平刚勇杰涛明超华建国志军林斌波辉鹏宇浩飞龙俊峰磊亮成文武兴荣德昌发贵富全忠诚永权祥福海江山松"
_FEMALE_GIVEN = "芳娟敏静丽艳娜秀英霞玲燕红梅兰琴慧莉萍桂凤翠珍琳春菊云雪丹婷倩媛芬蓉"
_SHARED_GIVEN = "小晓红春光明金玉德学天世正永长少贤秋"

# Main causes of poverty (致贫原因) and how often each is the main one (per cent, rounded).
_CAUSES = (
    (PovertyCause.ILLNESS, 24), (PovertyCause.CAPITAL, 18), (PovertyCause.SKILLS, 14), (PovertyCause.LABOUR, 12),
    (PovertyCause.SCHOOLING, 8), (PovertyCause.DISABILITY, 6), (PovertyCause.TRANSPORT, 5),
    (PovertyCause.MOTIVATION, 4), (PovertyCause.LAND, 3), (PovertyCause.DISASTER, 2), (PovertyCause.WATER, 2),
    (PovertyCause.OTHER, 2),
)
_CAUSE_VALUES = [str(c.value) for c, _ in _CAUSES]
_CAUSE_WEIGHTS = [w for _, w in _CAUSES]
_MEMBERS = (1, 2, 3, 4, 5, 6, 7, 8)
_MEMBER_WEIGHTS = (6, 14, 20, 24, 18, 10, 5, 3)
_PHONE_PREFIXES = ("13", "15", "18", "17", "19", "14", "16")
_PHONE_PREFIX_WEIGHTS = (30, 25, 25, 8, 6, 3, 3)

# The minorities of each city or prefecture, the most numerous first.
_MINORITIES = {
    "5201": ("布依族", "苗族"), "5202": ("彝族", "苗族", "布依族"), "5203": ("仡佬族", "苗族", "土家族"),
    "5204": ("布依族", "苗族"), "5205": ("彝族", "苗族", "回族", "白族"), "5206": ("土家族", "苗族", "侗族"),
    "5223": ("布依族", "苗族"), "5226": ("苗族", "侗族"), "5227": ("布依族", "苗族", "水族"),
}

# Households per village, before a random spread: poor villages have most.
_HOUSEHOLDS_POOR_VILLAGE = 125
_HOUSEHOLDS_OTHER_VILLAGE = 30
_HOUSEHOLDS_COMMUNITY = 8


def _name(rng: random.Random, *, male: bool) -> str:
    surname = rng.choice(_COMPOUND_SURNAMES) if rng.random() < 0.003 else rng.choice(_SURNAMES)
    pool = _MALE_GIVEN if male else _FEMALE_GIVEN
    first = rng.choice(pool + _SHARED_GIVEN) if rng.random() < 0.7 else ""
    return surname + first + rng.choice(pool)


def _born(rng: random.Random, year: int, youngest: int, oldest: int) -> dt.date:
    return dt.date(year - rng.randint(youngest, oldest), 1, 1) + dt.timedelta(days=rng.randrange(365))


def _phone(rng: random.Random) -> str:
    prefix = rng.choices(_PHONE_PREFIXES, _PHONE_PREFIX_WEIGHTS)[0]
    return f"{prefix}{rng.randrange(10):d}{rng.randrange(10**8):08d}"


class ResidentIds:
    """Fresh valid resident ID numbers (GB 11643), unique across people and households in the run and
    against the stored numbers of the same area codes, sealed and masked as the app stores them.

    The city and province scales remember every number of the run. The country scale (`by_area`) makes them unique
    by construction instead, so that memory stays flat at 30 million households: every number carries its county's
    area code, households, a county's people and a city's leaders draw their sequence digits from ranges of their
    own, and only the numbers of the area being generated are remembered (`forget()` at each area)."""

    # Sequence numbers (the 15th–16th digits, before the sex digit) of each kind in the country scale.
    _RANGES = {"household": (1, 300), "person": (300, 480), "leader": (480, 500)}

    def __init__(self, taken_digests: set[str], *, by_area: bool = False) -> None:
        self.numbers: set[str] = set()
        self.taken = taken_digests
        self.by_area = by_area

    def forget(self) -> None:
        """A new area begins: the country scale forgets the last area's numbers (none can come again)."""
        if self.by_area:
            self.numbers.clear()

    def new(
        self, rng: random.Random, area: str, born: dt.date, *, male: bool, kind: str = "household"
    ) -> tuple[bytes, str, str]:
        """(ciphertext, blind index, masked number)."""
        low, high = self._RANGES[kind] if self.by_area else (1, 500)
        while True:
            sequence = rng.randrange(low, high) * 2 + (1 if male else 0)  # the 17th digit is odd for men
            first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
            number = first17 + resident_id_check_digit(first17)
            if number in self.numbers:
                continue
            sealed, digest = seal_resident_id(number)
            if digest in self.taken:
                continue
            self.numbers.add(number)
            return sealed, digest, mask_resident_id(number)


def _resident_ids(ctx: SynthContext, areas: Sequence[str]) -> ResidentIds:
    """The run's one number source; stored numbers with these area codes are never handed out again."""
    pool = ctx.shared.get("registry.resident_ids")
    if not isinstance(pool, ResidentIds):
        pool = ResidentIds(set(), by_area=ctx.scale == "country")
        ctx.shared["registry.resident_ids"] = pool
    fresh = [a for a in areas if a not in ctx.shared.setdefault("registry.resident_id_areas", set())]
    if fresh:
        same_area = reduce(or_, (Q(resident_id_masked__startswith=a) for a in fresh))
        for model in (Person, Household):
            pool.taken.update(model.objects_unscoped.filter(same_area).values_list("resident_id_hash", flat=True))
        ctx.shared["registry.resident_id_areas"].update(fresh)
    return pool


def _minority(rng: random.Random, code: str) -> str:
    choices = _MINORITIES.get(code[:4]) or province_minorities(code)
    return rng.choices(choices, [2 ** (len(choices) - i) for i in range(len(choices))])[0]


def _ethnicity(ctx: SynthContext, rng: random.Random, code: str) -> str:
    share = 0.65 if code in ctx.minority_villages else 0.12
    return _minority(rng, code) if rng.random() < share else "汉族"


def _counties_with(model: type[Person] | type[Household], prefix: str) -> set[str]:
    """The 6-digit county prefixes (a city's own is 4 digits + 00) under which the table has rows."""
    return set(
        model.objects_unscoped.filter(region__code__within=prefix)
        .annotate(county=Substr("region_id", 1, 6))
        .order_by()
        .values_list("county", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------------------------------------------------
# Households (贫困户)


def _households_in(ctx: SynthContext, rng: random.Random, ids: ResidentIds, village: str) -> Iterator[Row]:
    year = ctx.year
    if village in ctx.poor_villages:
        count = round(_HOUSEHOLDS_POOR_VILLAGE * rng.uniform(0.6, 1.4))
    elif village in ctx.rural_villages:
        count = round(_HOUSEHOLDS_OTHER_VILLAGE * rng.uniform(0.5, 1.5))
    else:
        count = round(_HOUSEHOLDS_COMMUNITY * rng.uniform(0.0, 2.0))
    village_exit = ctx.exit_years.get(village)
    exit_share = 0.85 if village_exit is not None else 0.18
    identified_years = [y for y in (2014, 2015) if y <= year] or [year]
    area = village[:6]
    for _ in range(count):
        male = rng.random() < 0.82
        sealed, digest, masked = ids.new(rng, area, _born(rng, year, 25, 85), male=male)
        identified = identified_years[0] if rng.random() < 0.8 else identified_years[-1]
        if rng.random() < exit_share:
            status = PovertyStatus.EXITED
            if village_exit is not None and village_exit >= identified and rng.random() < 0.8:
                exit_year: int | None = village_exit
            else:
                exit_year = rng.randint(identified, year)
            income = Decimal(rng.randint(3100_00, 7800_00)).scaleb(-2)
        else:
            status = PovertyStatus.POOR
            exit_year = None
            income = Decimal(rng.randint(900_00, 2900_00)).scaleb(-2)
        yield (
            village, _name(rng, male=male), sealed, digest, masked, rng.choices(_MEMBERS, _MEMBER_WEIGHTS)[0],
            str(status.value), identified, exit_year, rng.choices(_CAUSE_VALUES, _CAUSE_WEIGHTS)[0], str(income), 1,
        )


def generate_households(ctx: SynthContext) -> None:
    """Poor households for every county that has none yet."""
    present = _counties_with(Household, ctx.prefix)
    todo = [c for c in ctx.counties if c[:6] not in present and ctx.villages_by_county.get(c)]
    if kept := len(ctx.counties) - len(todo):
        ctx.log(f"  已有农户的 {kept} 个县沿用原有数据")
    ids = _resident_ids(ctx, [c[:6] for c in ctx.counties])
    table = Household._meta.db_table
    for county in todo:
        rng = ctx.rng_for("households", county)
        ids.forget()
        # a generator: on PostgreSQL each row goes into COPY as it is made, so a county is never held whole
        rows = (row for village in ctx.villages_by_county[county] for row in _households_in(ctx, rng, ids, village))
        ctx.insert(table, HouseholdSink.insert_columns, rows, streamed=True)
    load_household_counts(ctx)


def load_household_counts(ctx: SynthContext) -> None:
    counts = (
        Household.objects_unscoped.filter(region__code__within=ctx.prefix)
        .order_by()
        .values_list("region_id")
        .annotate(total=Count("id"), unexited=Count("id", filter=Q(status=PovertyStatus.POOR)))
    )
    for village, total, unexited in counts:
        ctx.households_by_village[village] = total
        ctx.unexited_households_by_village[village] = unexited


# ---------------------------------------------------------------------------------------------------------
# Units (单位): the party committees, governments and departments that send cadres


def _party_name(region_name: str) -> str:
    """中共遵义市委员会, 中共红花岗区委员会, 中共老城街道工作委员会."""
    return f"中共{region_name}{'工作委员会' if region_name.endswith('街道') else '委员会'}"


def _government_name(region_name: str) -> str:
    return f"{region_name}{'办事处' if region_name.endswith('街道') else '人民政府'}"


# A city's or county's departments; {n} is its name (中共遵义市委组织部, 红花岗区教育局).
_DEPARTMENTS = (
    "中共{n}委组织部", "中共{n}委宣传部", "中共{n}委统战部", "中共{n}委政法委员会", "中共{n}纪律检查委员会",
    "{n}人大常委会", "政协{n}委员会", "{n}发展和改革局", "{n}教育局", "{n}科技局", "{n}民政局", "{n}财政局",
    "{n}人力资源和社会保障局", "{n}国土资源局", "{n}住房和城乡建设局", "{n}交通运输局", "{n}水务局", "{n}农牧局",
    "{n}林业局", "{n}商务局", "{n}卫生和计划生育局", "{n}扶贫开发办公室", "{n}审计局", "{n}统计局",
    "{n}供销合作社联合社",
)
# Departments whose staff serve villages as 专业人才, and their posts.
_PROFESSIONAL_POSTS = {
    "农牧局": ("农技人员", "畜牧兽医"),
    "卫生和计划生育局": ("乡村医生",),
    "教育局": ("教师",),
    "林业局": ("林业技术员",),
    "水务局": ("水利技术员",),
}
_UNIT_COLUMNS = ("name", "credit_code", "region_id")


def _unit_names(ctx: SynthContext, code: str) -> list[str]:
    """A township's committee and government; a city's or county's, and its departments."""
    name = ctx.region_names[code]
    names = [_party_name(name), _government_name(name)]
    if level_of(code) == 4:
        return names
    return names + [template.format(n=name) for template in _DEPARTMENTS]


def _credit_code(rng: random.Random, code: str) -> str:
    """A well-formed 统一社会信用代码 of a 机关 (11) registered in the region's county."""
    first17 = f"11{code[:6]}{rng.randrange(10**8):08d}{rng.randrange(10)}"
    return first17 + credit_code_check_char(first17)


def generate_units(ctx: SynthContext) -> None:
    """The city's, counties' and townships' committees and governments, and the departments above townships."""
    regions = [*ctx.cities, *ctx.counties, *(t for c in ctx.counties for t in ctx.townships_by_county.get(c, []))]
    around = Q(region__code__within=ctx.prefix) | Q(region_id__in=ancestor_codes(code_from_prefix(ctx.prefix)))
    existing = set(Unit.objects_unscoped.filter(around).values_list("region_id", "name"))
    rows: list[Row] = []
    for code in regions:
        rng = ctx.rng_for("units", code)
        for name in _unit_names(ctx, code):
            if (code, name) not in existing:
                rows.append((name, _credit_code(rng, code), code))
    ctx.insert(Unit._meta.db_table, _UNIT_COLUMNS, rows)
    for unit_id, region, name in Unit.objects_unscoped.filter(around).values_list("id", "region_id", "name"):
        ctx.units_by_region[region][name] = unit_id


# ---------------------------------------------------------------------------------------------------------
# People (人员)


def _posts_above_township(suffix: str, level: str) -> list[str]:
    """The posts of a city's (11 市委常委 + 7 副市长) or a county's (25) leaders; suffix 市/州/县/区."""
    s = suffix
    if level == "city":
        standing = [
            f"{s}委常委、{s}委书记", f"{s}委常委、{s}委副书记、{s}长", f"{s}委常委、{s}委副书记",
            f"{s}委常委、常务副{s}长", f"{s}委常委、组织部部长", f"{s}委常委、纪委书记", f"{s}委常委、宣传部部长",
            f"{s}委常委、政法委书记", f"{s}委常委、秘书长", f"{s}委常委、统战部部长", f"{s}委常委、副{s}长",
        ]
        return standing + [f"副{s}长"] * 7
    return [
        f"{s}委书记", f"{s}委副书记、{s}长", f"{s}委副书记", f"{s}委常委、常务副{s}长", f"{s}委常委、组织部部长",
        f"{s}委常委、宣传部部长", f"{s}委常委、纪委书记", f"{s}委常委、政法委书记", f"{s}委常委、统战部部长",
        f"{s}委常委、{s}委办主任", f"{s}委常委、人武部部长", f"{s}委常委、副{s}长", f"{s}人大常委会主任",
        *[f"{s}人大常委会副主任"] * 3, f"{s}政协主席", *[f"{s}政协副主席"] * 3, *[f"副{s}长"] * 5,
    ]


def _township_posts(name: str) -> list[str]:
    if name.endswith("街道"):
        return ["党工委书记", "党工委副书记、办事处主任", "党工委副书记", "人大工委主任", "纪工委书记",
                "党工委委员、组织委员", "党工委委员、办事处副主任", "办事处副主任"]
    t = "乡" if name.endswith("乡") else "镇"
    return ["党委书记", f"党委副书记、{t}长", "党委副书记", "人大主席", "纪委书记", "党委委员、组织委员",
            f"党委委员、副{t}长", f"副{t}长"]


def _village_cadre_posts(rural: bool) -> list[str]:
    if rural:
        return ["村党支部书记", "村委会主任", "村党支部副书记", "村委会副主任", "村监委会主任"]
    return ["社区党支部书记", "社区居委会主任", "社区党支部副书记", "社区居委会副主任", "社区监委会主任"]


_CAPABLE_POSTS = ("农民专业合作社理事长", "种植大户", "养殖大户", "个体工商户", "致富带头人", "企业负责人")


class PeopleBuilder:
    """Builds one area's people as rows of `PersonSink.insert_columns`."""

    def __init__(self, ctx: SynthContext, rng: random.Random, ids: ResidentIds) -> None:
        self.ctx = ctx
        self.rng = rng
        self.ids = ids
        self.id_kind = "person"
        self.rows: list[Row] = []

    def add(
        self,
        *,
        region: str,
        area: str,
        rank: str,
        post: str = "",
        unit: int | None = None,
        ages: tuple[int, int],
        male_share: float,
        party_share: float,
        probationary_share: float = 0.0,
        ethnicity: str | None = None,
        non_party: str = PoliticalStatus.NONE,
    ) -> None:
        rng, year = self.rng, self.ctx.year
        male = rng.random() < male_share
        born = _born(rng, year, *ages)
        sealed, digest, masked = self.ids.new(rng, area, born, male=male, kind=self.id_kind)
        draw = rng.random()
        if draw < probationary_share:
            status, since = PoliticalStatus.PROBATIONARY, dt.date(year - 1, rng.randint(1, 12), rng.randint(1, 28))
        elif draw < party_share:
            joined = min(born.year + rng.randint(18, 35), year - 1)
            status, since = PoliticalStatus.PARTY_MEMBER, dt.date(joined, rng.randint(1, 12), rng.randint(1, 28))
        else:
            status, since = PoliticalStatus(non_party), None
            if status == PoliticalStatus.NONE and year - born.year <= 28 and rng.random() < 0.5:
                status = PoliticalStatus.LEAGUE
        phone = _phone(rng) if rng.random() < 0.95 else ""
        self.rows.append((
            region, _name(rng, male=male), sealed, digest, masked, "男" if male else "女",
            ethnicity or _ethnicity(self.ctx, rng, region), str(status.value), since, unit, post, str(rank),
            seal_phone(phone) if phone else None, mask_phone(phone) if phone else "", 1,
        ))

    def city_leaders(self, city: str) -> None:
        name = self.ctx.region_names[city]
        units = self.ctx.units_by_region.get(city, {})
        party, government = units.get(_party_name(name)), units.get(_government_name(name))
        areas = [c[:6] for c in self.ctx.counties if c.startswith(city[:4])] or [city[:6]]
        for i, post in enumerate(_posts_above_township(name[-1], "city")):
            self.add(
                region=city, area=self.rng.choice(areas), rank=Rank.CITY_LEADER, post=post,
                unit=party if "委常委" in post else government, ages=(45, 58), male_share=0.85,
                party_share=0.0 if i == 12 else 1.0, non_party=PoliticalStatus.DEMOCRATIC_PARTY,
            )

    def county(self, county: str) -> None:
        ctx = self.ctx
        area = county[:6]
        name = ctx.region_names[county]
        units = ctx.units_by_region.get(county, {})
        for i, post in enumerate(_posts_above_township(name[-1], "county")):
            if "人大" in post:
                unit = units.get(f"{name}人大常委会")
            elif "政协" in post:
                unit = units.get(f"政协{name}委员会")
            elif "委" in post:
                unit = units.get(_party_name(name))
            else:
                unit = units.get(_government_name(name))
            self.add(region=county, area=area, rank=Rank.COUNTY_LEVEL, post=post, unit=unit, ages=(35, 58),
                     male_share=0.82, party_share=0.0 if i == 20 else 1.0,
                     non_party=PoliticalStatus.DEMOCRATIC_PARTY)
        for township in ctx.townships_by_county.get(county, []):
            t_name = ctx.region_names[township]
            t_units = ctx.units_by_region.get(township, {})
            for post in _township_posts(t_name):
                unit = t_units.get(_party_name(t_name) if "委" in post else _government_name(t_name))
                self.add(region=township, area=area, rank=Rank.TOWNSHIP_LEVEL, post=post, unit=unit,
                         ages=(28, 55), male_share=0.78, party_share=0.97)
        city_units = sorted(ctx.units_by_region.get(county[:4].ljust(12, "0"), {}).values())
        county_units = sorted(units.values())
        professional = {
            unit_id: posts for unit_name, unit_id in units.items() for dept, posts in _PROFESSIONAL_POSTS.items()
            if unit_name.endswith(dept)
        }
        for village in ctx.villages_by_county.get(county, []):
            self.village(village, area, city_units, county_units, professional)

    def village(
        self,
        village: str,
        area: str,
        city_units: list[int],
        county_units: list[int],
        professional: dict[int, tuple[str, ...]],
    ) -> None:
        ctx, rng = self.ctx, self.rng
        rural = village in ctx.rural_villages
        poor = village in ctx.poor_villages
        township_units = ctx.units_by_region.get(village[:9].ljust(12, "0"), {})
        township_government = next((i for n, i in township_units.items() if not n.startswith("中共")), None)
        if rural:
            senders = city_units if city_units and rng.random() < 0.3 else county_units
            self.add(region=village, area=area, rank=Rank.TOWNSHIP_LEVEL if rng.random() < 0.6 else
                     Rank.ORDINARY_CADRE, post="第一书记", unit=rng.choice(senders) if senders else None,
                     ages=(26, 50), male_share=0.8, party_share=1.0)
            for _ in range(3 if poor else 1):
                from_township = township_government is not None and rng.random() < 0.5
                self.add(region=village, area=area, rank=Rank.TOWNSHIP_LEVEL if rng.random() < 0.15 else
                         Rank.ORDINARY_CADRE, post="驻村干部",
                         unit=township_government if from_township else
                         (rng.choice(county_units) if county_units else None),
                         ages=(23, 50), male_share=0.7, party_share=0.85)
        for i, post in enumerate(_village_cadre_posts(rural)):
            self.add(region=village, area=area, rank=Rank.VILLAGE_CADRE, post=post, ages=(28, 62),
                     male_share=0.8 if i < 2 else 0.65, party_share=1.0 if "党支部" in post else 0.7)
        households = ctx.households_by_village.get(village, 0)
        for _ in range(max(5, math.ceil(households / 8))):
            self.add(region=village, area=area, rank=Rank.RURAL_PARTY_MEMBER, ages=(22, 85), male_share=0.75,
                     party_share=1.0, probationary_share=0.04)
        for _ in range(round(households / 10)):
            self.add(region=village, area=area, rank=Rank.CAPABLE_PARTY_MEMBER, post=rng.choice(_CAPABLE_POSTS),
                     ages=(28, 58), male_share=0.8, party_share=1.0)
        if poor:
            talents = rng.randint(3, 7)
        elif rural:
            talents = rng.choice((1, 2, 2, 2, 2))
        else:
            talents = 0
        units = sorted(professional)
        for _ in range(talents if units else 0):
            unit = rng.choice(units)
            self.add(region=village, area=area, rank=Rank.PROFESSIONAL, post=rng.choice(professional[unit]),
                     unit=unit, ages=(23, 55), male_share=0.55, party_share=0.4)


def generate_people(ctx: SynthContext) -> None:
    """City leaders for each city and, for each county without people yet, its cadres and party members."""
    present = _counties_with(Person, ctx.prefix)
    cities = [c for c in ctx.cities if c[:6] not in present]
    counties = [c for c in ctx.counties if c[:6] not in present]
    if kept := len(ctx.counties) - len(counties):
        ctx.log(f"  已有人员的 {kept} 个县沿用原有数据")
    ids = _resident_ids(ctx, [c[:6] for c in ctx.counties])
    table = Person._meta.db_table
    for city in cities:
        builder = PeopleBuilder(ctx, ctx.rng_for("people", city), ids)
        builder.id_kind = "leader"
        ids.forget()
        builder.city_leaders(city)
        ctx.insert(table, PersonSink.insert_columns, builder.rows)
    for county in counties:
        builder = PeopleBuilder(ctx, ctx.rng_for("people", county), ids)
        ids.forget()
        builder.county(county)
        ctx.insert(table, PersonSink.insert_columns, builder.rows)
    load_people(ctx)


def load_people(ctx: SynthContext) -> None:
    """Fill the context's people maps from the stored people of the area (generated now or before)."""
    stored = Person.objects_unscoped.filter(region__code__within=ctx.prefix).order_by("id").values_list(
        "id", "region_id", "rank", "post", "unit_id"
    )
    for person_id, region, rank, post, unit_id in stored.iterator(chunk_size=20000):
        ctx.people_by_rank[rank].append(person_id)
        ctx.people_by_region[region][rank].append(person_id)
        if post in ("第一书记", "驻村干部") and level_of(region) == 5:
            ctx.stationed[region].append((person_id, post, unit_id))


# ---------------------------------------------------------------------------------------------------------
# Leadership teams (领导班子)

_TEAM_RANK = {2: Rank.CITY_LEADER, 3: Rank.COUNTY_LEVEL, 4: Rank.TOWNSHIP_LEVEL}


def generate_leadership_teams(ctx: SynthContext) -> None:
    """One party-and-government team (党政领导班子) per city, county and township, its leaders as members."""
    regions = [*ctx.cities, *ctx.counties, *(t for c in ctx.counties for t in ctx.townships_by_county.get(c, []))]
    existing = set(
        LeadershipTeam.objects_unscoped.filter(region__code__within=ctx.prefix).values_list("region_id", "name")
    )
    rows: list[Row] = []
    for code in regions:
        name = f"{ctx.region_names[code]}党政领导班子"
        if (code, name) not in existing:
            rows.append((name, None, code))
    ctx.insert(LeadershipTeam._meta.db_table, ("name", "unit_id", "region_id"), rows)
    new = {(code, name) for name, _, code in rows}
    members: list[Row] = []
    teams = LeadershipTeam.objects_unscoped.filter(region__code__within=ctx.prefix).values_list(
        "id", "region_id", "name"
    )
    for team_id, region, name in teams.order_by("id"):
        ctx.teams_by_region[region].append(team_id)
        if (region, name) in new:
            rank = _TEAM_RANK.get(level_of(region))
            people = ctx.people_by_region.get(region, {}).get(str(rank), []) if rank else []
            members.extend((team_id, person_id) for person_id in people)
    through = LeadershipTeam.members.through._meta
    ctx.insert(through.db_table, ("leadershipteam_id", "person_id"), members)


register_step("households", 30, generate_households, label="贫困户")
register_step("units", 40, generate_units, label="单位")
register_step("people", 50, generate_people, label="人员")
register_step("leadership_teams", 60, generate_leadership_teams, label="领导班子")
