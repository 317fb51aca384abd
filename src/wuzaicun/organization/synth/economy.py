"""Synthetic 村级集体经济: the seed's 2,430 专业合作社 and 86 股份合作公司 (2,516 entities; ten times at province
scale), every village with at least one (一村一实体) and collective income in the year (no 空壳村 left), valid
GB 32100 credit codes; the two years before have fewer entities and some villages without income (a trend).

Allocated over the scale's whole area, so a county run gives that county what a city run does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from wuzaicun.core.identifiers import credit_code_check_char
from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.models import Level, Region

from ..models.economy import CollectiveEntity, EntityIncome, EntityKind

ENTITIES = {"city": 2516, "province": 25160}
JOINT_STOCK = {"city": 86, "province": 860}
INDUSTRIES = ("茶叶", "辣椒", "生猪养殖", "中药材", "蔬菜", "精品水果", "乡村旅游", "肉牛养殖", "食用菌", "白酒配套")
ENTITY_COLUMNS = ("village_id", "name", "kind", "credit_code", "founded_on", "version")
INCOME_COLUMNS = ("entity_id", "year", "operating_income", "collective_income")


def credit_code(kind: str, village: str, serial: int) -> str:
    """GB 32100's layout: 93 (农民专业合作社) or 91 (企业), the county's 6-digit code, a 9-character organisation
    code (M, the village's last 6 digits, a 2-digit serial: unique, and never mistaken for a resident ID), the
    check character."""
    body = ("93" if kind == EntityKind.COOPERATIVE else "91") + village[:6] + f"M{village[6:]}{serial:02d}"
    return body + credit_code_check_char(body)


def _short(name: str) -> str:
    for suffix in ("村民委员会", "村委会", "社区居民委员会", "居民委员会", "居委会"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + ("村" if "村" in suffix else "社区")
    return name


def generate_economy(ctx: SynthContext) -> None:
    villages = list(Region.objects_unscoped.filter(code__within=ctx.universe, level=Level.VILLAGE)
                    .order_by("code").values_list("code", "name"))
    rng = ctx.rng_for("economy", ctx.universe)
    total, joint = ctx.quota(ENTITIES[ctx.quota_scale]), ctx.quota(JOINT_STOCK[ctx.quota_scale])
    count = dict.fromkeys((code for code, _ in villages), 1)
    extra = list(count)
    rng.shuffle(extra)
    for i in range(max(total - len(villages), 0)):
        count[extra[i % len(extra)]] += 1
    slots = [(code, n) for code, _ in villages for n in range(count[code])]
    joint_slots = set(rng.sample(range(len(slots)), min(joint, len(slots))))
    names = dict(villages)
    done = set(CollectiveEntity.objects_unscoped.filter(village__code__within=ctx.prefix)
               .values_list("village_id", flat=True).distinct())
    entities, plans = [], []
    for index, (code, n) in enumerate(slots):
        kind = EntityKind.JOINT_STOCK if index in joint_slots else EntityKind.COOPERATIVE
        industry = INDUSTRIES[(index + n) % len(INDUSTRIES)]
        village = _short(names[code])
        name = f"{village}股份经济合作有限公司" if kind == EntityKind.JOINT_STOCK else f"{village}{industry}专业合作社"
        if n:
            name = f"{village}{industry}{'股份经济合作有限公司' if kind == EntityKind.JOINT_STOCK else '专业合作社'}（{n + 1}）"
        founded = dt.date(ctx.year - rng.randint(0, 3), rng.randint(1, 6), rng.randint(1, 28))
        collective = Decimal(rng.randrange(2_000_000, 30_000_000)) / 100
        operating = (collective * rng.randint(3, 10)).quantize(Decimal("0.01"))
        shell_before = rng.random() < 0.12  # a village without collective income in an earlier year
        if ctx.covers(code) and code not in done:
            credit = credit_code(kind, code, n + 1)
            entities.append((code, name, kind, credit, founded, 1))
            plans.append((credit, founded, operating, collective, shell_before))
    ctx.insert(CollectiveEntity._meta.db_table, ENTITY_COLUMNS, entities)
    ids = dict(CollectiveEntity.objects_unscoped.filter(village__code__within=ctx.prefix)
               .values_list("credit_code", "pk")) if plans else {}
    incomes = []
    for credit, founded, operating, collective, shell_before in plans:
        incomes.append((ids[credit], ctx.year, operating, collective))
        for back in (1, 2):  # the earlier years: only entities founded by then, lower, some with none
            year = ctx.year - back
            if founded.year <= year:
                share = Decimal(10 - 3 * back) / 10
                earlier = Decimal(0) if shell_before else (collective * share).quantize(Decimal("0.01"))
                incomes.append((ids[credit], year, (operating * share).quantize(Decimal("0.01")), earlier))
    ctx.insert(EntityIncome._meta.db_table, INCOME_COLUMNS, incomes)


register_step("organization_economy", 65, generate_economy, label="村级集体经济")
