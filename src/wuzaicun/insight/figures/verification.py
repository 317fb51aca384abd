"""成效在村检验: the quarter's spot checks (plans drawn, entries picked, findings, sanctions), the year's
assessment results, and the demonstration sites."""

from __future__ import annotations

from typing import Any

from wuzaicun.regions.selectors import village_year_counts
from wuzaicun.verification.models import SanctionKind
from wuzaicun.verification.selectors import assessment_counts, spot_check_counts

from . import Figure, once


def figures(user: Any, year: int, region: str | None) -> list[Figure]:
    checks = once(spot_check_counts, user, year=year, region=region)
    results = once(assessment_counts, user, year=year, region=region)
    villages = once(village_year_counts, user, year=year, region=region)
    out = [
        Figure("spot_check_plans", "季度暗访抽查（抽取）", checks["plans"], "次"),
        Figure("spot_check_picks", "抽中条目（已结束的抽查）", checks["picks"], "个"),
        Figure("findings", "抽查检查记录（已结束的抽查）", checks["findings"], "个"),
        Figure("findings_in_place", "检查结果为“到位”", checks["in_place"], "个"),
        Figure("findings_mostly", "检查结果为“基本到位”", checks["mostly"], "个"),
        Figure("findings_not_in_place", "检查结果为“不到位”", checks["not_in_place"], "个"),
        Figure("sanctions", "对推进不力的处理", checks["sanctions"], "次"),
    ]
    for kind, label in SanctionKind.choices:
        out.append(Figure(f"sanctions_{kind}", f"其中：{label}", checks[f"sanction_{kind}"], "次"))
    out += [
        Figure("assessed_villages", "年度考核的村", results["villages"], "个"),
        Figure("assessed_townships", "年度考核的乡镇", results["townships"], "个"),
        Figure("assessed_excellent", "村考核等次为“优”", results["excellent"], "个"),
        Figure("assessed_good", "村考核等次为“良”", results["good"], "个"),
        Figure("assessed_fair", "村考核等次为“中”", results["fair"], "个"),
        Figure("assessed_poor", "村考核等次为“差”", results["poor"], "个"),
        Figure("provincial_demonstrations", "省级党建扶贫示范点", villages["provincial"], "个", seed=3),
        Figure("city_demonstrations", "市级示范点", villages["city"], "个"),
        Figure("county_demonstrations", "县级示范点", villages["county"], "个"),
    ]
    return out
