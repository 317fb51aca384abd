"""Synthetic 三变: the seed's ≈ 1,800,000 亩 of land and 360 collective properties put into village entities
(ten times at province scale), households of the village holding shares for their land or money, and the year's
dividends split to the fen by the rule of rules/shares.py.

The plan is drawn over the scale's whole area village by village (which villages, how many 亩, which hold a
property), so a county run gives that county exactly what a city run does; a village's own households take part by
their blind-index order, and the collective's land makes up the village's allotted 亩 exactly, so the city's total
is exact whatever the households. A prefix with contributions already is left as it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.organization.models import CollectiveEntity
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.synth import is_rural_village
from wuzaicun.registry.models import Household

from ..models.shares import Contribution, ContributionKind, Dividend, DividendPart
from ..rules.shares import split_by_largest_remainder

LAND_MU = {"city": 1_800_000, "province": 18_000_000}
PROPERTIES = {"city": 360, "province": 3_600}
VILLAGES = {"city": 600, "province": 6_000}  # villages whose entity takes 三变 contributions
PROPERTY_NAMES = ("村集体烤烟房", "村集体茶园", "村办加工厂房", "村集体鱼塘", "闲置村小学校舍", "村集体林地经营权",
                  "村集体冷库", "村集体育苗大棚")
CONTRIBUTION_COLUMNS = ("entity_id", "household_id", "kind", "land_mu", "property_name", "amount", "shares",
                        "contributed_on")
PART_COLUMNS = ("dividend_id", "household_id", "shares", "amount")


def _allot(total: int, weights: list[int]) -> list[int]:
    """`total` whole 亩 over the villages in proportion to `weights`, adding up exactly (largest remainder)."""
    parts = split_by_largest_remainder(Decimal(total) / 100, [(i, Decimal(w)) for i, w in enumerate(weights)])
    return [int(part * 100) for _, part in parts]


def generate_shares(ctx: SynthContext) -> None:
    if Contribution.objects_unscoped.filter(entity__village__code__within=ctx.prefix).exists():
        return
    villages = [code for code, name in Region.objects_unscoped.filter(code__within=ctx.universe, level=Level.VILLAGE)
                .order_by("code").values_list("code", "name") if is_rural_village(name)]  # 村, not 社区
    rng = ctx.rng_for("shares", ctx.universe)
    chosen = sorted(rng.sample(villages, min(ctx.quota(VILLAGES[ctx.quota_scale]), len(villages))))
    land = _allot(ctx.quota(LAND_MU[ctx.quota_scale]), [rng.randint(1, 9) for _ in chosen])
    with_property = set(rng.sample(chosen, min(ctx.quota(PROPERTIES[ctx.quota_scale]), len(chosen))))
    here = [(code, mu) for code, mu in zip(chosen, land, strict=True) if ctx.covers(code)]
    entities: dict[str, int] = {}
    for village, pk, _ in (CollectiveEntity.objects_unscoped.filter(village_id__in=[c for c, _ in here])
                           .order_by("village_id", "-kind", "name").values_list("village_id", "pk", "kind")):
        entities.setdefault(village, pk)  # the village's joint-stock company first (kind sorts it first), else one
    households: dict[str, list[tuple[int, str]]] = {}
    for pk, village, status in (Household.objects_unscoped.filter(region_id__in=list(entities))
                                .order_by("region_id", "resident_id_hash").values_list("pk", "region_id", "status")):
        households.setdefault(village, []).append((pk, status))
    rows: list[tuple[object, ...]] = []
    held_at_year_end: dict[int, dict[int | None, Decimal]] = {}

    def add(entity: int, household: int | None, kind: str, land_mu: Decimal | None, name: str,
            amount: Decimal | None, shares: Decimal, day: dt.date) -> None:
        rows.append((entity, household, kind, land_mu, name, amount, shares, day))
        if day.year <= ctx.year:
            holder = held_at_year_end.setdefault(entity, {})
            holder[household] = holder.get(household, Decimal(0)) + shares

    for code, mu in here:
        entity = entities.get(code)
        if entity is None:
            continue
        local = ctx.rng_for("shares", code)
        day = dt.date(ctx.year - local.randint(0, 2), local.randint(1, 12), local.randint(1, 28))
        held = Decimal(0)
        for pk, _ in households.get(code, [])[: local.randint(20, 60)]:
            mu_household = Decimal(local.randint(1, 12)) / 2  # 0.5 to 6 亩
            held += mu_household
            add(entity, pk, ContributionKind.LAND, mu_household, "", None, mu_household, day)
            if local.random() < 0.2:
                money = Decimal(local.randint(1, 20) * 500)
                add(entity, pk, ContributionKind.MONEY, None, "", money, money / 1000, day)
        collective = Decimal(mu) - held
        add(entity, None, ContributionKind.LAND, collective, "", None, collective, day)
        if code in with_property:
            value = Decimal(local.randint(50, 2000) * 1000)
            add(entity, None, ContributionKind.PROPERTY, None, local.choice(PROPERTY_NAMES), value, value / 1000, day)
    ctx.insert(Contribution._meta.db_table, CONTRIBUTION_COLUMNS, rows)
    _dividends(ctx, held_at_year_end)


def _dividends(ctx: SynthContext, held: dict[int, dict[int | None, Decimal]]) -> None:
    """The year's dividend of about two thirds of the entities, ¥20–¥80 a share, split by the rule."""
    plans = []
    for entity, holdings in sorted(held.items()):
        local = ctx.rng_for("dividend", entity)
        if local.random() > 0.66:
            continue
        ordered = sorted(holdings.items(), key=lambda item: (item[0] is not None, item[0] or 0))
        whole = sum(holdings.values(), Decimal(0))
        total = (whole * local.randint(20, 80)).quantize(Decimal("0.01"))
        plans.append((entity, total, whole, ordered))
    ctx.insert(Dividend._meta.db_table, ("entity_id", "year", "total", "total_shares", "holders"),
               [(entity, ctx.year, total, whole, len(ordered)) for entity, total, whole, ordered in plans])
    ids = dict(Dividend.objects_unscoped.filter(year=ctx.year, entity_id__in=[p[0] for p in plans])
               .values_list("entity_id", "pk"))
    parts = []
    for entity, total, _, ordered in plans:
        shares = dict(ordered)
        parts += [(ids[entity], holder, shares[holder], part)
                  for holder, part in split_by_largest_remainder(total, ordered)]
    ctx.insert(DividendPart._meta.db_table, PART_COLUMNS, parts)


register_step("resources_shares", 72, generate_shares, label="三变入股与分红")
