"""三变: what a contribution must state, and the dividend split by shares to the fen (largest remainder).

The split, exactly (docs/resources.md S1):
1. Work in fen and in hundredths of a share, both integers: T = total × 100, sᵢ = shares × 100, S = Σ sᵢ.
2. Each holder's exact part is T × sᵢ / S fen; everybody first gets its floor, ⌊T × sᵢ / S⌋.
3. The fen left over, R = T − Σ floors (0 ≤ R < number of holders), go one each to the R holders with the
   largest remainders (T × sᵢ mod S); equal remainders go first to the larger holding, then to the holder that
   comes first in the holders' order (the village collective, then households by their registered number).
So the parts add up to the total to the fen, no part is more than one fen from its exact share, and the same
holdings and total always give the same parts.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal
from typing import TypeVar

from ..models.shares import ContributionKind

K = TypeVar("K", bound=Hashable)

FEN = Decimal("0.01")


def split_by_largest_remainder(total: Decimal, holdings: Sequence[tuple[K, Decimal]]) -> list[tuple[K, Decimal]]:
    """Each holder's part of `total` (yuan, to the fen) in proportion to its shares, the parts adding up to the
    total exactly; `holdings` in the holders' order (that order breaks the last ties)."""
    if total < 0 or total != total.quantize(FEN):
        raise ValueError("分红总额应为非负金额，精确到分")
    keys = [key for key, _ in holdings]
    fen = split_fen(int(total * 100), [int(shares * 100) for _, shares in holdings])
    return [(key, Decimal(part).scaleb(-2)) for key, part in zip(keys, fen, strict=True)]


def split_fen(total_fen: int, units: Sequence[int]) -> list[int]:
    """The split on integers: `total_fen` over holdings in hundredths of a share; what the service runs at scale
    (no Decimal per holder)."""
    whole = sum(units)
    if whole <= 0 or any(u <= 0 for u in units):
        raise ValueError("没有股份，无法分红")
    parts: list[int] = []
    remainders: list[int] = []
    for s in units:
        quotient, remainder = divmod(total_fen * s, whole)
        parts.append(quotient)
        remainders.append(remainder)
    left = total_fen - sum(parts)
    if left:
        order = sorted(range(len(units)), key=lambda i: (-remainders[i], -units[i], i))
        for i in order[:left]:
            parts[i] += 1
    return parts


def contribution_problems(*, kind: str, land_mu: Decimal | None, property_name: str, amount: Decimal | None,
                          shares: Decimal | None) -> list[tuple[str, str]]:
    """(field, Chinese message) for each thing a contribution of this kind lacks."""
    problems: list[tuple[str, str]] = []
    if kind not in ContributionKind.values:
        problems.append(("入股方式", f"入股方式“{kind}”无效，应为{'、'.join(ContributionKind.labels)}"))
    if shares is None or shares <= 0:
        problems.append(("股份", "股份应大于0"))
    if kind == ContributionKind.LAND and (land_mu is None or land_mu <= 0):
        problems.append(("土地面积（亩）", "以土地入股须填写大于0的土地面积（亩）"))
    if kind == ContributionKind.PROPERTY and not property_name.strip():
        problems.append(("资产名称", "以集体资产入股须填写资产名称"))
    if kind == ContributionKind.MONEY and (amount is None or amount <= 0):
        problems.append(("折价或金额（元）", "以资金入股须填写大于0的金额"))
    return problems
