"""The headline figures, section by section in the seed's order (the five mechanisms, then 取得成效).

Each module computes its section for a user (through the mechanisms' selectors, so within the user's scope),
a year and an optional region, with aggregate queries only: the whole document is a few dozen queries
whatever the size of the area. `seed` is the figure the seed text states for the city in 2016: shown beside
the computed value for comparison at city scope, never used as a result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

CENT = Decimal("0.01")
T = TypeVar("T")

# The units a figure is given in (docs/insight.md): counts of things, people, person-times, sessions,
# households, pairs, money in yuan exact to the fen, land in 亩, shares in percent.
UNITS = ("个", "人", "人次", "期", "次", "户", "对", "家", "间", "元", "亩", "%")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | Decimal
    unit: str
    seed: int | Decimal | None = None  # the seed's stated city figure (2016), for comparison only
    seed_more: bool = False  # the seed says "…余" (more than): the figure is at least `seed`

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value": json_value(self.value), "unit": self.unit}


def json_value(value: int | Decimal) -> int | str:
    """Counts as JSON numbers; money, land and shares as strings with two decimals (exact, never a float)."""
    if isinstance(value, Decimal):
        return str(value.quantize(CENT))
    return value


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure]

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "figures": [f.as_json() for f in self.figures]}


@dataclass(frozen=True)
class Stats:
    year: int
    region: str | None
    sections: list[Section]

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "region": self.region, "sections": [s.as_json() for s in self.sections]}

    def figure(self, key: str) -> Figure:
        for section in self.sections:
            for figure in section.figures:
                if figure.key == key:
                    return figure
        raise KeyError(key)

    def values(self) -> dict[str, int | Decimal]:
        return {f.key: f.value for s in self.sections for f in s.figures}


SectionBuilder = Callable[[Any, int, "str | None"], list[Figure]]


def _builders() -> list[tuple[str, str, SectionBuilder]]:
    from . import cadres, organization, resources, responsibility, results, verification

    return [
        ("responsibility", "责任在村落实", responsibility.figures),
        ("organization", "组织在村建强", organization.figures),
        ("cadres", "干部在村成长", cadres.figures),
        ("resources", "资源在村整合", resources.figures),
        ("verification", "成效在村检验", verification.figures),
        ("results", "取得成效", results.figures),
    ]


# A place that may already hold a value: `(name, compute)` → the value, computed by `compute` when it holds none
# (the figures' cache: `insight.cache.source_for(user)`, passed by `stats_for_user` and the dashboards).
Source = Callable[[str, Callable[[], Any]], Any]


@dataclass
class _Run:
    source: Source | None
    memo: dict[tuple[Any, ...], Any]


# The run in progress (`reading`, one user): its source, or without one the reads already made in it, so that
# sections sharing a selector's answer (the year's village facts serve three of them) query it once.
_run: ContextVar[_Run | None] = ContextVar("insight_figures_run", default=None)


@contextmanager
def reading(source: Source | None = None) -> Iterator[None]:
    """A run inside which `once` asks `source` for each selector's answer when given, else each selector once."""
    token = _run.set(_Run(source, {}))
    try:
        yield
    finally:
        _run.reset(token)


def once(func: Callable[..., T], user: Any, **kwargs: Any) -> T:
    """`func(user, **kwargs)`, asked once per run (`reading`), and taken from the run's source when it has one:
    each selector's answer is its own cached part, so a write recomputes only the reads of its table."""
    run = _run.get()
    if run is None:
        return func(user, **kwargs)
    if run.source is not None:
        # asked of the source every time, never from a memo: a cached part that uses the answer must learn the
        # tables it was read from (the source's hit passes them on), else a write to them would not reach it
        return run.source(_read_name(func, kwargs), partial(func, user, **kwargs))  # type: ignore[no-any-return]
    key = (func, *sorted(kwargs.items()))
    if key not in run.memo:
        run.memo[key] = func(user, **kwargs)
    return run.memo[key]  # type: ignore[no-any-return]


def _read_name(func: Callable[..., Any], kwargs: dict[str, Any]) -> str:
    """What a read is: the function (unwrapping a partial) and every argument but the user."""
    args: tuple[Any, ...] = ()
    while isinstance(func, partial):
        kwargs = {**func.keywords, **kwargs}
        args = (*func.args, *args)
        func = func.func
    return f"read:{func.__module__}.{func.__qualname__}:{list(args)}:{sorted(kwargs.items())}"


def compute_stats(user: Any, *, year: int, region: str | None = None, source: Source | None = None) -> Stats:
    """Every section's figures for the user's scope, the year and the region (a 12-digit code, or None).
    `source` may serve a section, or a selector's answer inside one (`once`), without computing it."""
    with reading(source):
        sections = [
            Section(key, title, source(f"section:{key}:{year}:{region}", partial(build, user, year, region)) if source
                    else build(user, year, region))
            for key, title, build in _builders()]
    return Stats(year=year, region=region, sections=sections)
