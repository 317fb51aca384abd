"""The spot-check draw as pure functions: anybody can redo it from the revealed seed (docs/sampling.md).

Population: (entry id, list kind, county code) for every entry of the year in the plan's area.
Strata: (kind, county). In a stratum of n entries, k = ceil(rate × n) picks (at least 1 when n ≥ 1).
Key: the seed's 32 bytes; with a witness, HMAC-SHA256(key = seed, message = "witness:" + the witness's
contribution in UTF-8), so that neither the drawer nor the witness alone knows or chooses the picks.
Order: ascending HMAC-SHA256(key, message = the entry id in decimal ASCII), hex; ties cannot
happen in practice and are broken by entry id. The first k of each stratum are the picks.
Rates have at most three decimals; k is computed with exact decimals, never floats.
Commitment: SHA-256(seed), published at the draw. Population hash: SHA-256 of the lines
"id,kind,county" of the population sorted by id, joined by "\\n".
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

MIN_RATE = Decimal("0.10")
RATE_STEP = Decimal("0.001")
WITNESS_PREFIX = b"witness:"


@dataclass(frozen=True, order=True)
class Member:
    entry_id: int
    kind: str
    county: str  # the 6-digit county prefix of the entry's village

    @property
    def stratum(self) -> tuple[str, str]:
        return self.kind, self.county


def rate_problem(rate: Decimal) -> str | None:
    if not rate.is_finite():
        return f"抽查比例“{rate}”无效，应为 0.10–1 之间的小数"
    if rate != rate.quantize(RATE_STEP):
        return f"抽查比例 {rate} 最多保留三位小数（如 0.125）"
    if rate < MIN_RATE:
        return f"抽查比例 {rate} 低于规定的 10%（1个10%）"
    if rate > 1:
        return f"抽查比例 {rate} 不能超过 100%"
    if rate != rate.quantize(Decimal("0.001")):  # the plan stores three decimals; the draw must use what is stored
        return f"抽查比例 {rate} 最多三位小数"
    return None


def picks_per_stratum(n: int, rate: Decimal) -> int:
    """ceil(rate × n), at least one in a stratum that has any entry, never more than n."""
    if n <= 0:
        return 0
    return min(n, max(1, math.ceil(rate * n)))


def draw_key(seed: bytes, contribution: str = "") -> bytes:
    """The HMAC key of the ranking: the seed itself, or mixed with a witness's contribution."""
    if not contribution:
        return seed
    return hmac.new(seed, WITNESS_PREFIX + contribution.encode("utf-8"), hashlib.sha256).digest()


def strata_sizes(members: Iterable[Member], rate: Decimal) -> list[tuple[str, str, int, int]]:
    """(kind, county, n, k) for each stratum, in the draw's order: what the rule gives, public at the draw."""
    sizes: dict[tuple[str, str], int] = defaultdict(int)
    for member in members:
        sizes[member.stratum] += 1
    return [(kind, county, n, picks_per_stratum(n, rate)) for (kind, county), n in sorted(sizes.items())]


def commitment(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def population_hash(members: Iterable[Member]) -> str:
    digest = hashlib.sha256()
    first = True
    for member in sorted(members):
        digest.update((b"" if first else b"\n") + f"{member.entry_id},{member.kind},{member.county}".encode())
        first = False
    return digest.hexdigest()


def rank_key(key: bytes, entry_id: int) -> str:
    return hmac.new(key, str(entry_id).encode(), hashlib.sha256).hexdigest()


def draw(key: bytes, members: Iterable[Member], rate: Decimal) -> list[Member]:
    """The picks, stratum by stratum, in a deterministic order (`key` from `draw_key`)."""
    strata: dict[tuple[str, str], list[Member]] = defaultdict(list)
    for member in members:
        strata[member.stratum].append(member)
    picks: list[Member] = []
    for stratum in sorted(strata):
        group = strata[stratum]
        k = picks_per_stratum(len(group), rate)
        ranked = sorted(group, key=lambda m: (rank_key(key, m.entry_id), m.entry_id))
        picks.extend(ranked[:k])
    return picks
