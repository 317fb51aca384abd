"""Synthetic 结对帮扶 and 企业帮扶 at the seed's scale (ten times at province scale): 295,700 干群结亲 pairs over the
villages' households (poor households first), a 支部结对 of a township's or the county's party committee with each
poor village's organisation, exactly 2,742 project supports (项目) plus some money and goods, and 1,000 enterprises
(valid GB 32100 codes) helping every one of the 871 poor villages, paying exactly ¥7,180,000,000.00 in the year
with pledges at least what was paid.

Every quota is planned over the scale's whole area (which villages are poor comes from the regions step's own
allocation), so a county run writes that county's slice of the city plan exactly: the same pairs, supports,
enterprises and fen; the seed's totals hold for the whole city run. Within a village, households (poor first) and
cadres are taken by their blind-index order, never by primary key. A prefix that has pairings already is left as
it is (docs/resources-pairings.md, Synth)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from wuzaicun.core.identifiers import credit_code_check_char
from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.organization.models import PartyOrganisation
from wuzaicun.regions.codes import level_of
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.synth import county_of, is_rural_village, planned_poor
from wuzaicun.registry.models import Household, Person

from ..models.pairings import (
    BranchPairing,
    Enterprise,
    EnterpriseHelp,
    KinPairing,
    PairingSupport,
    SupportKind,
)

SCALE = {"city": 1, "province": 10}
KIN_PAIRS = 295_700
PROJECTS = 2_742
ENTERPRISES = 1_000
PAID_FEN = 718_000_000_000  # ¥7,180,000,000.00
# A village's share of the pairs follows the households the registry step gives it.
# 社区 take none: the registry gives a 社区 0–16 households (some none), a 村 never fewer than 15.
HOUSEHOLD_WEIGHT = {"poor": 125, "rural": 30, "community": 0}
CADRE_RANKS = ("县处级", "乡科级", "一般干部", "村干部")
GOODS_RATE, MONEY_RATE = 0.05, 0.03
EXTRA_HELPS = 0.3  # share of enterprises helping one more village (poor or not) of their county
PROJECT_NAMES = ("产业路硬化", "茶园提质改造", "饮水安全巩固", "村级活动场所改扩建", "农产品冷链仓储", "蔬菜大棚建设",
                 "生猪代养场建设", "乡村旅游步道", "村集体光伏电站", "中药材种植基地", "电商服务站建设", "组组通公路")
GOODS = ("化肥", "种苗", "慰问米油", "过冬衣被", "家用电器", "学习用品", "仔猪", "鸡苗")
TRADES = ("茶业", "酒业", "农业科技", "建设工程", "商贸", "食品", "旅游开发", "生态农业", "物流", "医药")
WORDS = ("兴黔", "黔北", "红色", "金鼎", "绿源", "宏达", "恒信", "聚丰", "华泰", "鑫源", "赤水河", "娄山")
KIN_COLUMNS = ("person_id", "household_id", "village_id", "since", "until")
SUPPORT_COLUMNS = ("branch_pairing_id", "kin_pairing_id", "village_id", "year", "kind", "description", "amount")


def _share(total: int, weights: Sequence[tuple[str, int]]) -> dict[str, int]:
    """`total` over the keys in proportion to integer weights, by largest remainder (adds up exactly)."""
    whole = sum(w for _, w in weights)
    if whole <= 0:
        return {k: 0 for k, _ in weights}
    parts = {k: total * w // whole for k, w in weights}
    order = sorted(weights, key=lambda kw: (-(total * kw[1] % whole), kw[0]))
    for k, _ in order[: total - sum(parts.values())]:
        parts[k] += 1
    return parts


class _Plan:
    """The scale's whole area: villages, which are poor, and each quota's share by village or county."""

    def __init__(self, ctx: SynthContext) -> None:
        factor = SCALE[ctx.quota_scale]
        if not ctx.region_names:  # the regions step maps the area; a step run alone maps it here
            ctx.region_names.update(Region.objects_unscoped.filter(code__within=ctx.universe)
                                    .values_list("code", "name"))
        self.poor: set[str] = planned_poor(ctx)
        villages = sorted(c for c in ctx.region_names if level_of(c) == Level.VILLAGE)
        weights = [(v, HOUSEHOLD_WEIGHT["poor" if v in self.poor else "rural" if is_rural_village(
            ctx.region_names[v]) else "community"]) for v in villages]  # a 社区 may have no household at all
        self.kin = _share(ctx.quota(KIN_PAIRS * factor), weights)
        poor = sorted(self.poor)
        self.projects = _share(ctx.quota(PROJECTS * factor), [(v, 1) for v in poor])
        by_county: dict[str, list[str]] = defaultdict(list)
        for v in poor:
            by_county[county_of(v)].append(v)
        self.poor_by_county = dict(by_county)
        self.enterprises = _share(ctx.quota(ENTERPRISES * factor), sorted((c, len(vs)) for c, vs in by_county.items()))
        self.villages_by_county: dict[str, list[str]] = defaultdict(list)
        for v in villages:
            self.villages_by_county[county_of(v)].append(v)
        self.helps = self._helps(ctx)
        fen = _share(ctx.quota(PAID_FEN * factor), [(f"{i:08d}", w) for i, (*_, w) in enumerate(self.helps)])
        self.paid = [fen[f"{i:08d}"] for i in range(len(self.helps))]

    def _helps(self, ctx: SynthContext) -> list[tuple[str, int, str, int]]:
        """(county, enterprise serial in the county, village, weight): every poor village helped at least once,
        every enterprise helping at least one poor village of its county."""
        helps: list[tuple[str, int, str, int]] = []
        for county in sorted(self.enterprises):
            count, poor = self.enterprises[county], self.poor_by_county.get(county, [])
            if not count or not poor:
                continue
            rng = ctx.rng_for("pairings", "enterprises", county)
            pairs: dict[tuple[int, str], int] = {}
            for i, village in enumerate(poor):
                pairs[(i % count, village)] = rng.randint(2, 20)
            for serial in range(len(poor), count):
                pairs.setdefault((serial, rng.choice(poor)), rng.randint(1, 10))
            others = self.villages_by_county.get(county, poor)
            for serial in range(count):
                if rng.random() < EXTRA_HELPS:
                    pairs.setdefault((serial, rng.choice(others)), rng.randint(1, 5))
            helps += [(county, serial, village, w) for (serial, village), w in sorted(pairs.items())]
        return helps


def generate_pairings(ctx: SynthContext) -> None:
    if KinPairing.objects_unscoped.filter(village__code__within=ctx.prefix).exists():
        return
    plan = _Plan(ctx)
    counties = sorted({county_of(v) for v in plan.kin if ctx.covers(v)})
    for county in counties:
        _county(ctx, plan, county)
    _enterprises(ctx, plan)


def _county(ctx: SynthContext, plan: _Plan, county: str) -> None:
    """One county's pairs, branch pairings and supports (a county at a time keeps memory to one county)."""
    prefix = county[:6]
    villages = [v for v in plan.villages_by_county.get(county, []) if ctx.covers(v)]
    cadres = list(Person.objects_unscoped.filter(region__code__within=prefix, rank__in=CADRE_RANKS)
                  .order_by("resident_id_hash").values_list("pk", flat=True))
    if not cadres:
        cadres = list(Person.objects_unscoped.filter(region__code__within=prefix).order_by("resident_id_hash")
                      .values_list("pk", flat=True))
    households: dict[str, list[int]] = defaultdict(list)
    for pk, village in (Household.objects_unscoped.filter(region__code__within=prefix)
                        .order_by("region_id", "-status", "resident_id_hash").values_list("pk", "region_id")):
        households[village].append(pk)  # 未脱贫 sorts after 已脱贫: "-status" puts the poor first
    kin_rows: list[tuple[int, int, str, int, None]] = []
    wanted: dict[tuple[int, int], tuple[str, str, Decimal]] = {}
    for village in villages:
        pool = households.get(village, [])
        n = min(plan.kin.get(village, 0), len(pool) * len(cadres))  # a pair once (only a tiny world caps it)
        if not pool or not cadres or not n:
            continue
        rng = ctx.rng_for("pairings", "kin", village)
        taken: set[tuple[int, int]] = set()
        for k in range(n):
            household = pool[k % len(pool)]
            for _ in range(20):
                person = cadres[rng.randrange(len(cadres))]
                if (person, household) not in taken:
                    break
            else:
                continue
            taken.add((person, household))
            kin_rows.append((person, household, village, ctx.year - rng.choice((0, 0, 1, 2)), None))
            draw = rng.random()
            if draw < GOODS_RATE:
                wanted[(person, household)] = (SupportKind.GOODS, f"送{rng.choice(GOODS)}",
                                               Decimal(rng.randint(4, 60) * 50))
            elif draw < GOODS_RATE + MONEY_RATE:
                wanted[(person, household)] = (SupportKind.MONEY, "帮扶资金", Decimal(rng.randint(1, 10) * 500))
    ctx.insert(KinPairing._meta.db_table, KIN_COLUMNS, kin_rows)
    kin_ids: dict[str, list[int]] = defaultdict(list)
    supports: list[tuple[object, ...]] = []
    for pk, person, household, village in (KinPairing.objects_unscoped.filter(village__code__within=prefix)
                                           .order_by("pk").values_list("pk", "person_id", "household_id",
                                                                       "village_id")):
        kin_ids[village].append(pk)
        if (found := wanted.get((person, household))) is not None:
            supports.append((None, pk, village, ctx.year, *found))
    branch_ids = _branches(ctx, plan, county, villages)
    for village in villages:
        projects = plan.projects.get(village, 0)
        rng = ctx.rng_for("pairings", "projects", village)
        for i in range(projects):
            branch = branch_ids.get(village)
            kin = kin_ids.get(village)
            if branch is None and not kin:
                continue
            what = f"{rng.choice(PROJECT_NAMES)}项目"
            amount = Decimal(rng.randint(10, 400) * 5000)
            if branch is not None:
                supports.append((branch, None, village, ctx.year, SupportKind.PROJECT, what, amount))
            else:
                assert kin is not None
                supports.append((None, kin[i % len(kin)], village, ctx.year, SupportKind.PROJECT, what, amount))
        if branch_ids.get(village) is not None and rng.random() < 0.5:
            supports.append((branch_ids[village], None, village, ctx.year, SupportKind.MONEY, "结对帮扶资金",
                             Decimal(rng.randint(4, 60) * 5000)))
    ctx.insert(PairingSupport._meta.db_table, SUPPORT_COLUMNS, supports)


def _branches(ctx: SynthContext, plan: _Plan, county: str, villages: list[str]) -> dict[str, int]:
    """A 支部结对 for each poor village having an organisation: another township's committee of the county (or the
    county's), chosen by the village's own generator among them in name order."""
    poor = [v for v in villages if v in plan.poor]
    orgs = PartyOrganisation.objects_unscoped.filter(region__code__within=county[:6])
    helpers = sorted(orgs.exclude(category="village").exclude(region__level=Level.VILLAGE)
                     .values_list("region_id", "name", "pk"))
    helped: dict[str, int] = {}
    for region, pk in (orgs.filter(category="village", region_id__in=poor).order_by("region_id", "org_type", "pk")
                       .values_list("region_id", "pk")):
        helped.setdefault(region, pk)
    rows = []
    for village in poor:
        if village not in helped or not helpers:
            continue
        rng = ctx.rng_for("pairings", "branch", village)
        township = village[:9]
        choices = [h for h in helpers if not h[0].startswith(township)] or helpers
        rows.append((rng.choice(choices)[2], helped[village], ctx.year - rng.choice((0, 1, 2)), None))
    ctx.insert(BranchPairing._meta.db_table, ("helper_id", "helped_id", "since", "until"), rows)
    return dict(BranchPairing.objects_unscoped.filter(helped__region_id__in=poor)
                .values_list("helped__region_id", "pk"))


def credit_code(county: str, serial: int) -> str:
    """GB 32100's layout: 91 (企业), the county's 6 digits, a 9-character organisation code (MA and a 7-digit
    serial: never one of the collective entities' M-and-digits codes), the check character."""
    body = f"91{county[:6]}MA{serial:07d}"
    return body + credit_code_check_char(body)


def enterprise_name(ctx: SynthContext, county: str, serial: int) -> str:
    place = ctx.region_names.get(county, "")
    place = place[:-1] if len(place) > 2 and place[-1] in "县市区" else place
    word, trade = WORDS[serial % len(WORDS)], TRADES[serial // len(WORDS) % len(TRADES)]
    rounds = serial // (len(WORDS) * len(TRADES))
    return f"{place}{word}{trade}有限公司" if not rounds else f"{place}{word}{trade}（{rounds + 1}）有限公司"


def _enterprises(ctx: SynthContext, plan: _Plan) -> None:
    """The enterprises helping villages under the prefix (registered in their county), and their helps."""
    helps, wanted = [], {}
    for index, (county, serial, village, _) in enumerate(plan.helps):
        if not ctx.covers(village):
            continue
        paid = plan.paid[index]
        rng = ctx.rng_for("pairings", "help", village, serial)
        pledged = paid + paid * rng.randint(0, 30) // 100  # pledged ≥ paid
        code = credit_code(county, serial)
        wanted[code] = (enterprise_name(ctx, county, serial), code, county)
        helps.append((code, village, ctx.year, Decimal(pledged).scaleb(-2), Decimal(paid).scaleb(-2),
                      "产业帮扶、就业帮扶"))
    known = set(Enterprise.objects_unscoped.filter(credit_code__in=list(wanted)).values_list("credit_code", flat=True))
    ctx.insert(Enterprise._meta.db_table, ("name", "credit_code", "region_id"),
               [row for code, row in sorted(wanted.items()) if code not in known])
    ids = dict(Enterprise.objects_unscoped.filter(credit_code__in=list(wanted)).values_list("credit_code", "pk"))
    ctx.insert(EnterpriseHelp._meta.db_table, ("enterprise_id", "village_id", "year", "pledged", "paid", "note"),
               [(ids[code], *rest) for code, *rest in helps])


def seed_figures(year: int, prefix: str = "") -> dict[str, object]:
    """What the seed counts, as stored for `year` under `prefix` (all when empty): for checking a city run —
    kin pairs active in the year, 项目 supports, enterprises helping, poor villages helped, paid (summed in Python,
    to the fen, not by the database's floating sum on SQLite)."""
    from django.db.models import Q

    from wuzaicun.regions.models import VillageYear

    active = Q(since__lte=year) & (Q(until__isnull=True) | Q(until__gte=year))
    helps = EnterpriseHelp.objects_unscoped.filter(year=year, village__code__within=prefix)
    poor = VillageYear.objects_unscoped.filter(year=year, is_poor=True, village__code__within=prefix)
    return {
        "kin_pairs": KinPairing.objects_unscoped.filter(active, village__code__within=prefix).count(),
        "projects": PairingSupport.objects_unscoped.filter(year=year, kind=SupportKind.PROJECT,
                                                           village__code__within=prefix).count(),
        "enterprises": helps.values("enterprise").distinct().count(),
        "poor_villages": poor.count(),
        "poor_villages_helped": poor.filter(village__in=helps.values("village")).count(),
        "paid": sum(helps.values_list("paid", flat=True), Decimal(0)),
        "pledged_below_paid": sum(1 for p, q in helps.values_list("paid", "pledged") if q < p),
    }


register_step("resources_pairings", 77, generate_pairings, label="结对帮扶与企业帮扶")
