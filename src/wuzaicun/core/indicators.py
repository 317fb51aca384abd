"""The registry of computed assessment indicators (考核指标).

An app that owns data registers the indicators computed from it; the annual assessment
(verification) asks the registry and never imports the mechanisms. Each provider maps the codes of
the subjects assessed (villages, or townships) to a score from 0 to 100, with set-based queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

Compute = Callable[[int, Sequence[str], int], dict[str, Decimal]]  # (year, subject codes, level) → scores


@dataclass(frozen=True)
class IndicatorProvider:
    code: str
    title: str
    owner: str  # the app whose data it reads
    compute: Compute
    description: str = ""


_PROVIDERS: dict[str, IndicatorProvider] = {}


def register_indicator(provider: IndicatorProvider) -> IndicatorProvider:
    _PROVIDERS[provider.code] = provider
    return provider


def indicator(code: str) -> IndicatorProvider | None:
    return _PROVIDERS.get(code)


def indicators() -> list[IndicatorProvider]:
    return sorted(_PROVIDERS.values(), key=lambda p: p.code)


def share(part: int, whole: int) -> Decimal:
    """part / whole as a score out of 100 (a subject with nothing to count scores 100: nothing failed)."""
    if whole <= 0:
        return Decimal(100)
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"))
