"""Synthetic party organisations, supervisory committees, social organisations and e-commerce stations.

At city scale (遵义市) the seed's numbers come out exactly: a 村党组织 for every village under its township
党委 (and that under the county's), 168 new organisations in 产业园区 and 农民工聚集地, 27 电商特色党支部,
1,680 村务监督委员会 of the 2,093 villages, 3,200 social organisations and 226 e-commerce stations with
services to poor households. Province scale: ten times, shared among the cities by their villages.
Quotas are allocated over the scale's whole area and drawn per city with the city's own generator, so a
run for one county gives that county what the city run does; a county that has organisations is left as
it is, so running synth again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.codes import level_of
from wuzaicun.registry.models import PARTY_STATUSES, Household, Person

from ..models.orgs import (
    CommitteeDuty,
    CommitteeMember,
    EcommerceStation,
    Membership,
    OrgCategory,
    OrgType,
    PartyOrganisation,
    ServiceKind,
    ServiceRecord,
    SocialOrganisation,
    SocialOrgKind,
    SupervisoryCommittee,
)
from ..rules.orgs import COMMITTEE_DUTIES, ECOMMERCE_PRODUCTS

# The seed's figures at city scale (遵义市); province scale is ten times.
CITY_QUOTAS: dict[str, int] = {
    "new_orgs": 168,  # 产业园区 and 农民工聚集地
    "ecommerce": 27,
    "committees": 1680,
    "social": 3200,
    "stations": 226,
}
SCALE_FACTOR = {"city": 1, "province": 10}
GENERAL_BRANCH_MEMBERS = 30  # a village with this many party members has a 党总支
DUTY_DONE = 0.9

_PARKS = ("现代农业产业园", "工业园区", "农产品加工园", "物流园区", "茶叶产业园", "经济开发区")
_MIGRANT = ("农民工服务中心", "务工人员之家", "劳务输出基地", "返乡创业园")
_SOCIAL_NAMES = {
    SocialOrgKind.COOPERATIVE: ("茶叶", "辣椒", "生猪养殖", "中药材", "蔬菜", "精品水果", "食用菌", "肉牛养殖"),
    SocialOrgKind.ASSOCIATION: ("种植", "养殖", "乡村旅游", "电商", "农机"),
}
_SOCIAL_WEIGHTS = ((SocialOrgKind.COOPERATIVE, 55), (SocialOrgKind.ASSOCIATION, 15),
                   (SocialOrgKind.SELF_MANAGEMENT, 12), (SocialOrgKind.HARMONY, 10), (SocialOrgKind.OTHER, 8))
_SERVICE_NOTES = {
    ServiceKind.TRAINING: "种养殖技术培训", ServiceKind.MARKET: "农产品线上销售对接",
    ServiceKind.SKILLS: "电商操作与劳务技能服务", ServiceKind.OTHER: "政策宣传与信息服务",
}


def _share(total: int, weights: dict[str, int]) -> dict[str, int]:
    """`total` split by weights, largest remainder, ties by key: exact and the same on every run."""
    whole = sum(weights.values())
    if not whole:
        return dict.fromkeys(weights, 0)
    raw = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    left = total - sum(out.values())
    for key in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[:left]:
        out[key] += 1
    return out


def _universe_villages(ctx: SynthContext) -> dict[str, list[str]]:
    """City code → its village codes, over the scale's whole area."""
    out: dict[str, list[str]] = defaultdict(list)
    for code in sorted(ctx.region_names):
        if level_of(code) == 5:
            out[code[:4].ljust(12, "0")].append(code)
    return out


class _Plan:
    """What each city gets (drawn with the city's generator), filtered to the counties this run fills."""

    def __init__(self, ctx: SynthContext) -> None:
        factor = SCALE_FACTOR.get(ctx.quota_scale, 1)
        by_city = _universe_villages(ctx)
        weights = {city: len(v) for city, v in by_city.items()}
        self.committee_villages: set[str] = set()
        self.items: dict[str, list[str]] = defaultdict(list)  # kind → the village (or township) of each item
        for kind, base in CITY_QUOTAS.items():
            for city, quota in _share(ctx.quota(base * factor), weights).items():
                villages = by_city[city]
                rng = random.Random(f"{ctx.seed}/orgs/{kind}/{city}")
                if kind == "committees":
                    self.committee_villages.update(rng.sample(villages, min(quota, len(villages))))
                else:
                    self.items[kind] += [rng.choice(villages) for _ in range(quota)]


def _township(code: str) -> str:
    return code[:9].ljust(12, "0")


def _county(code: str) -> str:
    return code[:6].ljust(12, "0")


def _village_people(county: str) -> dict[str, list[tuple[int, str, str]]]:
    """Village → (id, political status, post) of its people, in id order."""
    out: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    rows = scoped(Person, OPERATOR).filter(region__code__within=county[:6], region__level=5).values_list(
        "region_id", "id", "political_status", "post").order_by("id")
    for village, pk, status, post in rows.iterator(chunk_size=20000):
        out[village].append((pk, status, post))
    return out


def _poor_households(county: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    rows = scoped(Household, OPERATOR).filter(region__code__within=county[:6], status="未脱贫").values_list(
        "region_id", "id").order_by("id")
    for village, pk in rows.iterator(chunk_size=20000):
        out[village].append(pk)
    return out


def _date(rng: random.Random, first: int, last: int) -> dt.date:
    return dt.date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))


class _County:
    """One county's organisations, committees, social organisations, stations and services."""

    def __init__(self, ctx: SynthContext, county: str, plan: _Plan) -> None:
        self.ctx, self.county, self.plan = ctx, county, plan
        self.rng = ctx.rng_for("orgs", county)
        self.people = _village_people(county)
        self.poor = _poor_households(county)
        self.names = ctx.region_names

    def within(self, code: str) -> bool:
        return code.startswith(self.county[:6])

    def org_ids(self) -> dict[tuple[str, str], int]:
        rows = scoped(PartyOrganisation, OPERATOR).filter(region__code__within=self.county[:6]).values_list(
            "region_id", "name", "pk")
        return {(region, name): pk for region, name, pk in rows}

    def run(self) -> None:
        ctx, rng = self.ctx, self.rng
        table, columns = PartyOrganisation._meta.db_table, (
            "name", "org_type", "category", "product", "parent_id", "region_id", "secretary_id", "founded_on",
            "version")
        county_name = self.names[self.county]
        ctx.insert(table, columns, [(f"中共{county_name}委员会", OrgType.COMMITTEE, OrgCategory.OTHER, "", None,
                                     self.county, None, _date(rng, 1950, 1960), 1)])
        ids = self.org_ids()
        county_id = ids[(self.county, f"中共{county_name}委员会")]
        townships = ctx.townships_by_county.get(self.county, [])
        ctx.insert(table, columns, [(f"中共{self.names[t]}委员会", OrgType.COMMITTEE, OrgCategory.OTHER, "",
                                     county_id, t, None, _date(rng, 1956, 1992), 1) for t in townships])
        ids = self.org_ids()
        rows: list[tuple[Any, ...]] = []
        members: list[tuple[tuple[str, str], list[int]]] = []
        for village in ctx.villages_by_county.get(self.county, []):
            party = [(pk, post) for pk, status, post in self.people.get(village, []) if status in PARTY_STATUSES]
            general = len(party) >= GENERAL_BRANCH_MEMBERS
            name = f"中共{self.names[village]}{'总支部' if general else '支部'}委员会"
            secretary = next((pk for pk, post in party if post.endswith("党支部书记")), party[0][0] if party else None)
            rows.append((name, OrgType.GENERAL_BRANCH if general else OrgType.BRANCH, OrgCategory.VILLAGE, "",
                         ids[(_township(village), f"中共{self.names[_township(village)]}委员会")], village,
                         secretary, _date(rng, 1960, 2005), 1))
            members.append(((village, name), [pk for pk, _ in party]))
        taken = {(r[5], r[0]) for r in rows}
        for kind, category in (("new_orgs", None), ("ecommerce", OrgCategory.ECOMMERCE)):
            for village in self.plan.items[kind]:
                if not self.within(village):
                    continue
                township = _township(village)
                if category is None:
                    park = rng.random() < 0.6
                    place = rng.choice(_PARKS if park else _MIGRANT)
                    cat, product = (OrgCategory.INDUSTRIAL_PARK if park else OrgCategory.MIGRANT_WORKERS), ""
                    region, base = township, f"中共{self.names[township]}{place}"
                else:
                    product = rng.choice(ECOMMERCE_PRODUCTS[:3] if rng.random() < 0.7 else ECOMMERCE_PRODUCTS)
                    cat, region, base = category, village, f"中共{self.names[village]}{product}电商"
                name, n = f"{base}支部委员会", 1
                while (region, name) in taken:
                    n += 1
                    name = f"{base}第{n}支部委员会"
                taken.add((region, name))
                eligible = [pk for pk, status, _ in self.people.get(village, []) if status in PARTY_STATUSES]
                chosen = rng.sample(eligible, min(len(eligible), rng.randint(3, 7)))
                rows.append((name, OrgType.BRANCH, cat, product,
                             ids[(township, f"中共{self.names[township]}委员会")], region,
                             chosen[0] if chosen else None, _date(rng, max(2010, ctx.year - 5), ctx.year), 1))
                members.append(((region, name), chosen))
        ctx.insert(table, columns, rows)
        ids = self.org_ids()
        seen: set[tuple[int, int]] = set()
        links = []
        for key, people in members:
            for pk in people:
                if (ids[key], pk) not in seen:
                    seen.add((ids[key], pk))
                    links.append((ids[key], pk, None))
        ctx.insert(Membership._meta.db_table, ("organisation_id", "person_id", "joined_on"), links)
        self.committees()
        self.social()

    def committees(self) -> None:
        ctx, rng = self.ctx, self.rng
        villages = [v for v in ctx.villages_by_county.get(self.county, []) if v in self.plan.committee_villages]
        ctx.insert(SupervisoryCommittee._meta.db_table, ("village_id", "founded_on", "version"),
                   [(v, _date(rng, 2010, ctx.year), 1) for v in villages])
        ids = dict(scoped(SupervisoryCommittee, OPERATOR).filter(village__code__within=self.county[:6]).values_list(
            "village_id", "pk"))
        members, duties = [], []
        for village in villages:
            people = self.people.get(village, [])
            chair = next((pk for pk, _, post in people if post.endswith("监委会主任")), None)
            others = [pk for pk, _, post in people if pk != chair and post not in ("第一书记", "驻村干部")]
            chosen = rng.sample(others, min(len(others), rng.randint(2, 4)))
            if chair is None and chosen:
                chair = chosen.pop(0)
            if chair is not None:
                members.append((ids[village], chair, "chair"))
            members += [(ids[village], pk, "member") for pk in chosen]
            duties += [(ids[village], ctx.year, duty, rng.random() < DUTY_DONE, "") for duty in COMMITTEE_DUTIES]
        ctx.insert(CommitteeMember._meta.db_table, ("committee_id", "person_id", "post"), members)
        ctx.insert(CommitteeDuty._meta.db_table, ("committee_id", "year", "duty", "done", "note"), duties)

    def social(self) -> None:
        ctx, rng = self.ctx, self.rng
        kinds = [k for k, _ in _SOCIAL_WEIGHTS]
        weights = [w for _, w in _SOCIAL_WEIGHTS]
        # names registered by hand before the run are kept as they are (region, name is unique)
        within = self.county[:6]
        taken: set[tuple[str, str]] = {
            *scoped(SocialOrganisation, OPERATOR).filter(region__code__within=within).values_list("region_id", "name"),
            *scoped(EcommerceStation, OPERATOR).filter(region__code__within=within).values_list("region_id", "name")}
        social_rows, station_rows = [], []
        for village in self.plan.items["social"]:
            if not self.within(village):
                continue
            kind = rng.choices(kinds, weights)[0]
            place = self.names[village]
            if kind in _SOCIAL_NAMES:
                suffix = "专业合作社" if kind == SocialOrgKind.COOPERATIVE else "协会"
                base = f"{place}{rng.choice(_SOCIAL_NAMES[kind])}{suffix}"
            else:
                base = f"{place}{dict(SocialOrgKind.choices)[kind]}" if kind != SocialOrgKind.OTHER else \
                    f"{place}老年协会"
            name, n = base, 1
            while (village, name) in taken:
                n += 1
                name = f"{base}（{n}）"
            taken.add((village, name))
            social_rows.append((name, kind, village, _date(rng, 2008, ctx.year), 1))
        for village in self.plan.items["stations"]:
            if not self.within(village):
                continue
            base, n = f"{self.names[village]}电商服务站", 1
            name = base
            while (village, name) in taken:
                n += 1
                name = f"{base}（{n}）"
            taken.add((village, name))
            operator = rng.choice(("村集体经济合作社", "遵义黔货出山电子商务有限公司", "县供销社", "返乡创业青年"))
            station_rows.append((name, village, operator, _date(rng, max(2012, ctx.year - 3), ctx.year), 1))
        ctx.insert(SocialOrganisation._meta.db_table, ("name", "kind", "region_id", "founded_on", "version"),
                   social_rows)
        ctx.insert(EcommerceStation._meta.db_table, ("name", "region_id", "operator", "opened_on", "version"),
                   station_rows)
        self.services()

    def services(self) -> None:
        ctx, rng = self.ctx, self.rng
        within = self.county[:6]
        rows: list[Sequence[Any]] = []
        stations = scoped(EcommerceStation, OPERATOR).filter(region__code__within=within).values_list(
            "pk", "region_id").order_by("pk")
        for pk, village in stations:
            for household in rng.sample(self.poor.get(village, []), min(len(self.poor.get(village, [])),
                                                                        rng.randint(3, 10))):
                kind = rng.choice((ServiceKind.MARKET, ServiceKind.MARKET, ServiceKind.SKILLS, ServiceKind.TRAINING))
                rows.append((None, pk, household, kind, _date(rng, ctx.year, ctx.year), _SERVICE_NOTES[kind]))
        social = scoped(SocialOrganisation, OPERATOR).filter(region__code__within=within).values_list(
            "pk", "region_id").order_by("pk")
        for pk, village in social:
            if rng.random() >= 0.4:
                continue
            pool = self.poor.get(village, [])
            for household in rng.sample(pool, min(len(pool), rng.randint(1, 5))):
                kind = rng.choice((ServiceKind.TRAINING, ServiceKind.TRAINING, ServiceKind.SKILLS, ServiceKind.OTHER))
                rows.append((pk, None, household, kind, _date(rng, ctx.year, ctx.year), _SERVICE_NOTES[kind]))
        ctx.insert(ServiceRecord._meta.db_table,
                   ("social_org_id", "station_id", "household_id", "kind", "served_on", "note"), rows)


def generate_organisations(ctx: SynthContext) -> None:
    """Every county under the prefix that has no party organisation yet."""
    filled = {region[:6] for region in scoped(PartyOrganisation, OPERATOR).filter(
        region__code__within=ctx.prefix).values_list("region_id", flat=True).distinct()}
    counties = [c for c in ctx.counties if c[:6] not in filled]
    if kept := len(ctx.counties) - len(counties):
        ctx.log(f"  已有党组织的 {kept} 个县沿用原有数据")
    if not counties:
        return
    plan = _Plan(ctx)
    for county in counties:
        _County(ctx, county, plan).run()


register_step("organisations", 66, generate_organisations, label="党组织、村务监督委员会、社会组织与电商服务站点")
