"""资源在村整合: 十户一体, 三变 (land and properties put in), projects and their funds, 支部结对·干群结亲 with the
project supports they brought, 非公企业 and the funds they paid, and the villages' fund decisions.

Every figure is read through resources' selectors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wuzaicun.resources.selectors.decisions import decision_totals
from wuzaicun.resources.selectors.groups import group_totals
from wuzaicun.resources.selectors.pairings import enterprise_totals, pairing_counts
from wuzaicun.resources.selectors.projects import project_counts
from wuzaicun.resources.selectors.shares import totals as share_totals

from . import Figure, once

ZERO = Decimal(0)


def _money(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def figures(user: Any, year: int, region: str | None) -> list[Figure]:
    groups = once(group_totals, user, region=region, year=year)
    shares = once(share_totals, user, year=year, region=region, poor=False)
    projects = once(project_counts, user, year=year, region=region)
    pairings = once(pairing_counts, user, year=year, region=region) | once(enterprise_totals, user, year=year, region=region)
    decisions = once(decision_totals, user, year=year, region=region)
    return [
        Figure("projects", "整合项目", projects["projects"], "个"),
        Figure("projects_in_poor_villages", "其中：在贫困村实施", projects["poor_projects"], "个"),
        Figure("project_funds", "整合项目资金", _money(projects["funds"]), "元"),
        Figure("project_funds_poor_villages", "其中：投向贫困村", _money(projects["poor_funds"]), "元"),
        Figure("ten_household_groups", "“十户一体”", groups["groups"], "个"),
        Figure("ten_household_members", "“十户一体”成员户", groups["households"], "户"),
        Figure("land_mu", "流转集体土地入股", _money(shares["land"]), "亩", seed=Decimal(1_800_000)),
        Figure("properties", "集体物业入股", shares["properties"], "间", seed=360),
        Figure("share_money", "资金入股", _money(shares["money"]), "元"),
        Figure("share_entities", "入股经营主体", shares["entities"], "个"),
        Figure("shareholder_households", "入股农户", shares["holders"], "户"),
        Figure("kin_pairs", "干群结亲", pairings["kin_pairs"], "对", seed=295_700),
        Figure("branch_pairings", "支部结对", pairings["branch_pairings"], "对"),
        Figure("pairing_supports", "结对帮扶", pairings["supports"], "次"),
        Figure("pairing_project_supports", "结对提供项目支持", pairings["projects"], "个", seed=2742),
        Figure("pairing_support_amount", "结对帮扶折合金额", _money(pairings["amount"]), "元"),
        Figure("enterprises", "帮扶非公企业", pairings["enterprises"], "家", seed=1000, seed_more=True),
        Figure("enterprise_villages", "企业帮扶的村", pairings["villages"], "个"),
        Figure("enterprise_funds_pledged", "企业承诺帮扶资金", _money(pairings["pledged"]), "元"),
        Figure("enterprise_funds_paid", "撬动社会资金（企业到位资金）", _money(pairings["paid"]), "元",
               seed=Decimal(7_180_000_000)),
        Figure("fund_decisions", "资金使用民主决策事项", decisions["n"], "个"),
        Figure("fund_decisions_done", "其中：已完成", decisions["done"], "个"),
        Figure("fund_decision_amount", "民主决策资金", _money(decisions["amount"]), "元"),
        Figure("fund_decision_paid", "按决策已支付资金", _money(decisions["paid"]), "元"),
    ]
