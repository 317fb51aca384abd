"""Synthetic 十户一体: a group for nearly every 能人党员 of the year's 带村 list (a few per cent left without one,
the `daicun_group_head` gaps), headed by them in their village with 8–12 of the village's households (a few
groups far from ten, the `group_size` gaps), and about half tied to one or two business entities.

Drawn village by village (a generator per village), so a county run gives that county what a city run does, and
written a slice of villages at a time, so a province's households are never all held; a prefix that has groups
already is left as it is."""

from __future__ import annotations

import datetime as dt

from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.models import Region
from wuzaicun.registry.models import Household
from wuzaicun.responsibility.duties import ListKind
from wuzaicun.responsibility.models import Assignment

from ..models.groups import BusinessKind, GroupEntity, GroupMember, TenHouseholdGroup

NO_GROUP = 0.03  # share of 带村 heads with no group recorded yet
ODD_SIZE = 0.04  # share of groups far from ten households
TRADES = ("茶叶", "辣椒", "生猪", "肉牛", "蔬菜", "中药材", "食用菌", "精品水果", "蛋鸡", "烤烟")


def _entity_name(kind: BusinessKind, village: str, head: str, trade: str) -> str:
    place = village.removesuffix("村民委员会").removesuffix("居民委员会")
    return {BusinessKind.LEADING: f"遵义{place}{trade}开发有限公司", BusinessKind.FAMILY_FARM: f"{head}家庭农场",
            BusinessKind.COOPERATIVE: f"{place}{trade}专业合作社", BusinessKind.GROWER: f"{head}{trade}种养大户"}[kind]


VILLAGES_AT_A_TIME = 2_000  # a province's villages are drawn in slices: memory is a slice's households


def generate_groups(ctx: SynthContext) -> None:
    if TenHouseholdGroup.objects_unscoped.filter(village__code__within=ctx.prefix).exists():
        return
    heads: dict[str, list[tuple[int, str]]] = {}
    for village, person, name in (Assignment.objects_unscoped
                                  .filter(year=ctx.year, kind=ListKind.GROUP_HEAD, village__code__within=ctx.prefix,
                                          person__isnull=False)
                                  .order_by("village_id", "person_id").values_list("village_id", "person_id",
                                                                                   "person__name")):
        if (person, name) not in heads.setdefault(village, []):  # one group a head, however many entries
            heads[village].append((person, name))
    villages = sorted(heads)
    for start in range(0, len(villages), VILLAGES_AT_A_TIME):
        _slice(ctx, {v: heads[v] for v in villages[start:start + VILLAGES_AT_A_TIME]})


def _slice(ctx: SynthContext, heads: dict[str, list[tuple[int, str]]]) -> None:
    """The groups of some villages (in code order), their members and entities."""
    households: dict[str, list[int]] = {}
    for pk, village in (Household.objects_unscoped.filter(region_id__in=list(heads))
                        .order_by("region_id", "resident_id_hash").values_list("pk", "region_id")):
        households.setdefault(village, []).append(pk)
    places = dict(Region.objects_unscoped.filter(code__in=list(heads)).values_list("code", "name"))
    groups, plans = [], []
    for village, people in heads.items():
        rng = ctx.rng_for("groups", village)
        pool = households.pop(village, [])  # its own list: shuffled and cut in place
        rng.shuffle(pool)
        names: set[str] = set()
        for person, name in people:
            if rng.random() < NO_GROUP:
                continue
            size = rng.choice((3, 4, 17, 18)) if rng.random() < ODD_SIZE else rng.randint(8, 12)
            members, pool = pool[:size], pool[size:]
            formed = dt.date(ctx.year - rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
            title = f"{name}党群连心组"
            if title in names:  # two heads of the same name in one village
                title = f"{name}党群连心组（{sum(n.startswith(name) for n in names) + 1}）"
            names.add(title)
            groups.append((village, title, person, formed, 1))
            trades = rng.sample(TRADES, 2)
            entities = [(_entity_name(kind, places[village], name, trades[i]), kind) for i, kind in
                        enumerate(rng.sample(list(BusinessKind), rng.choice((0, 0, 1, 2))))]
            plans.append((village, person, members, entities))
    ctx.insert(TenHouseholdGroup._meta.db_table, ("village_id", "name", "head_id", "formed_on", "version"), groups)
    ids = {(v, p): pk for pk, v, p in TenHouseholdGroup.objects_unscoped.filter(village_id__in=list(heads))
           .values_list("pk", "village_id", "head_id")}
    ctx.insert(GroupMember._meta.db_table, ("group_id", "household_id"),
               [(ids[(v, p)], h) for v, p, members, _ in plans for h in members])
    ctx.insert(GroupEntity._meta.db_table, ("group_id", "name", "kind", "credit_code"),
               [(ids[(v, p)], name, kind, "") for v, p, _, entities in plans for name, kind in entities])


register_step("resources_groups", 76, generate_groups, label="十户一体")
