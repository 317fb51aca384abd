"""Synthetic 组织保障: every village at or above the year's standards but a few planted shortfalls, and the
seed's 689 new 党员群众之家 over 300 m² (6,890 at province scale); other villages have not built one.

Allocated over the scale's whole area, so a county run gives that county what a city run does."""

from __future__ import annotations

from decimal import Decimal

from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.models import Level, Region

from ..models.guarantees import Guarantee
from ..rules.guarantees import STANDARDS

HOMES = {"city": 689, "province": 6890}
SHORTFALLS = {"city": 7, "province": 70}
COLUMNS = ("village_id", "year", *(s.code for s in STANDARDS), "version")
_CENT = Decimal("0.01")


def _villages(ctx: SynthContext) -> list[str]:
    return list(Region.objects_unscoped.filter(code__within=ctx.universe, level=Level.VILLAGE)
                .order_by("code").values_list("code", flat=True))


def generate_guarantees(ctx: SynthContext) -> None:
    villages = _villages(ctx)
    rng = ctx.rng_for("guarantees", ctx.universe)
    homes = set(rng.sample(villages, min(ctx.quota(HOMES[ctx.quota_scale]), len(villages))))
    planted = dict(zip(rng.sample(villages, min(ctx.quota(SHORTFALLS[ctx.quota_scale]), len(villages))),
                       (rng.choice([s.code for s in STANDARDS if s.code != "home_area"])
                        for _ in range(ctx.quota(SHORTFALLS[ctx.quota_scale]))), strict=False))
    done = set(Guarantee.objects_unscoped.filter(year=ctx.year, village__code__within=ctx.prefix)
               .values_list("village_id", flat=True))
    rows = []
    for code in villages:
        values = {
            "cadre_monthly_pay": Decimal(rng.randrange(2000, 2600, 50)),
            "operating_funds": Decimal(rng.randrange(45000, 60001, 500)),
            "service_funds": Decimal(rng.randrange(50000, 60001, 1000)),
            "activity_funds_per_member": Decimal(rng.randrange(12000, 20001, 100)) / 100,
            "training_funds_per_cadre": Decimal(rng.randrange(52000, 80001, 100)) / 100,
            "home_area": Decimal(rng.randrange(31000, 48001, 50)) / 100 if code in homes else None,
        }
        if code in planted:  # one standard missed: pay, funds or the per-head amounts
            standard = planted[code]
            values[standard] = {"cadre_monthly_pay": Decimal(1800), "operating_funds": Decimal(30000),
                                "service_funds": Decimal(40000), "activity_funds_per_member": Decimal(80),
                                "training_funds_per_cadre": Decimal(500)}[standard]
        if ctx.covers(code) and code not in done:
            rows.append((code, ctx.year, *(v.quantize(_CENT) if v is not None else None for v in values.values()), 1))
    ctx.insert(Guarantee._meta.db_table, COLUMNS, rows)


register_step("organization_guarantees", 64, generate_guarantees, label="组织保障")
