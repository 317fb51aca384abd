"""组织在村建强: organisations rectified, committees, new organisations, e-commerce, social organisations, the
组织保障 standards met, homes, and the collective economy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wuzaicun.organization.rules.guarantees import STANDARDS_BY_CODE
from wuzaicun.organization.selectors.economy import economy_counts
from wuzaicun.organization.selectors.guarantees import compliance_counts, met_counts, standard_values
from wuzaicun.organization.selectors.orgs import organisation_counts
from wuzaicun.organization.selectors.rectification import case_counts

from . import CENT, Figure, once

# the standards a village's record is held against, in the seed's order (组织保障), with the figure's key
STANDARD_KEYS = (
    ("cadre_monthly_pay", "cadre_pay"),
    ("operating_funds", "operating_funds"),
    ("service_funds", "service_funds"),
    ("activity_funds_per_member", "activity_funds"),
    ("training_funds_per_cadre", "training_funds"),
)


def figures(user: Any, year: int, region: str | None) -> list[Figure]:
    cases = once(case_counts, user, year=year, region=region)
    orgs = once(organisation_counts, user, year=year, region=region)
    compliance = once(compliance_counts, user, year=year, region=region)
    met = once(met_counts, user, year=year, region=region)
    thresholds = standard_values(year)
    economy = once(economy_counts, user, year=year, region=region)
    kinds = economy["by_kind"]
    out = [
        Figure("rectified_organisations", "倒排整顿软弱涣散村党组织", cases["cases"], "个", seed=120),
        Figure("rectified_transformed", "整顿后已转化", cases["transformed"], "个"),
        Figure("supervisory_committees", "村务监督委员会", orgs["committees"], "个", seed=1680),
        Figure("new_organisations", "产业园区和农民工聚集地新建党组织", orgs["new_organisations"], "个", seed=168),
        Figure("ecommerce_branches", "电商特色党支部", orgs["ecommerce_branches"], "个", seed=27),
        Figure("ecommerce_stations", "电商服务站点", orgs["stations"], "个", seed=226),
        Figure("social_organisations", "专业合作社、专业协会等各类社会组织", orgs["social_organisations"], "个",
               seed=3200, seed_more=True),
        Figure("guarantee_villages_recorded", "填报组织保障的村", compliance["recorded"], "个"),
        Figure("guarantee_villages_below_any", "有保障项目未达标准的村", compliance["below_any"], "个"),
    ]
    for code, key in STANDARD_KEYS:
        standard = STANDARDS_BY_CODE[code]
        out.append(Figure(f"{key}_meeting_standard", f"{standard.describe(thresholds[code])}的村", met[code], "个"))
    out += [
        Figure("homes", f"{STANDARDS_BY_CODE['home_area'].describe(thresholds['home_area'])}的村", met["home_area"], "个",
               seed=689),
        Figure("cooperatives", "专业合作社（村集体经济实体）", kinds.get("cooperative", 0), "个", seed=2430),
        Figure("joint_stock_companies", "股份合作公司", kinds.get("joint_stock", 0), "家", seed=86),
        Figure("collective_entities", "村级集体经济实体", economy["entities"], "个", seed=2516),
        Figure("villages_with_entity", "有集体经济实体的村（一村一实体）", economy["with_entity"], "个"),
        Figure("shell_villages", "空壳村", economy["shells"], "个", seed=0),
        Figure("collective_income", "村集体收入", Decimal(economy["collective_income"]).quantize(CENT), "元"),
    ]
    return out
