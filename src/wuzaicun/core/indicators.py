"""The registry of computed assessment indicators (考核指标).

An app that owns data registers the indicators computed from it; the annual assessment
(verification) asks the registry and never imports the mechanisms. Each provider maps the codes of
the subjects assessed (villages, or townships) to a score from 0 to 100, with set-based queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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


# Indicators of a person (a cadre assessed under 六定一化): the cadres app's grading asks this registry, the
# apps that own the data register them (the ledger, visits and findings in their own apps), and none of them
# imports cadres. `compute` maps person ids to a 0–100 score, or to None when the person has no data for it
# (shown as 缺数据, never scored 0); `sources` lists the records one person's score was computed from that the viewer may see (read through
# `scoped()`: the score counts everything, the page shows only what is in the viewer's scope).


@dataclass(frozen=True)
class Source:
    """One record behind a person's indicator score, as the cadre's page shows it."""

    label: str  # what it is: 台账条目, 走访记录, 抽查发现, 培训班 …
    text: str  # which one, in Chinese
    outcome: str = ""  # how it counted: 已兑现 / 未兑现 / 按时 / 逾期 …
    url: str = ""


PersonCompute = Callable[[int, Sequence[int]], dict[int, Decimal | None]]  # (year, person ids) → scores
PersonSources = Callable[[Any, int, int], list[Source]]  # (viewer, year, person id) → the records the viewer may see


@dataclass(frozen=True)
class PersonIndicatorProvider:
    code: str
    title: str
    owner: str
    compute: PersonCompute
    sources: PersonSources
    description: str = ""


_PERSON_PROVIDERS: dict[str, PersonIndicatorProvider] = {}


def register_person_indicator(provider: PersonIndicatorProvider) -> PersonIndicatorProvider:
    _PERSON_PROVIDERS[provider.code] = provider
    return provider


def person_indicator(code: str) -> PersonIndicatorProvider | None:
    return _PERSON_PROVIDERS.get(code)


def person_indicators() -> list[PersonIndicatorProvider]:
    return sorted(_PERSON_PROVIDERS.values(), key=lambda p: p.code)


IN_LIST_LIMIT = 5000  # beyond this many ids a provider reads the id range and keeps its own (SQLite's 32,766 variables)


def person_lookup(field: str, person_ids: Sequence[int]) -> dict[str, object]:
    """A filter on `field` for the people asked: `field__in` for a short list, the id range for a long one (the
    provider then keeps only the ids asked, see `keep_asked`), so 50,000 cadres are one query on every backend."""
    if len(person_ids) <= IN_LIST_LIMIT:
        return {f"{field}__in": list(person_ids)}
    return {f"{field}__gte": min(person_ids), f"{field}__lte": max(person_ids)}


def keep_asked(person_ids: Sequence[int], found: dict[int, Decimal | None]) -> dict[int, Decimal | None]:
    """Every person asked, None for those the provider found nothing for."""
    return {pk: found.get(pk) for pk in person_ids}
