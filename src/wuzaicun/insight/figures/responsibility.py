"""责任在村落实: poor villages and the five lists, with the poor villages each list covers."""

from __future__ import annotations

from typing import Any

from wuzaicun.regions.selectors import village_year_counts
from wuzaicun.responsibility.duties import ListKind
from wuzaicun.responsibility.selectors import list_coverage

from . import Figure, once


def figures(user: Any, year: int, region: str | None) -> list[Figure]:
    villages = once(village_year_counts, user, year=year, region=region)
    lists = once(list_coverage, user, year=year, region=region)
    out = [Figure("poor_villages", "贫困村", villages["poor"], "个", seed=871)]
    for kind, label in ListKind.choices:
        out.append(Figure(f"entries_{kind}", f"{label}清单条目", lists[kind]["entries"], "个"))
    for kind, label in ListKind.choices:
        out.append(Figure(f"poor_villages_with_{kind}", f"有{label}清单的贫困村", lists[kind]["poor_villages"], "个"))
    return out
