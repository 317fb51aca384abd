"""Reads of the insight app: the figures for a region the user may see (one missing or out of scope: not found)."""

from __future__ import annotations

import dataclasses
from typing import Any

from wuzaicun.regions.selectors import get_region_for_user
from wuzaicun.verification.selectors import plans_drawn

from .cache import one_stamp_read, source_for
from .figures import Section, Stats, compute_stats

# The one figure that depends on the user and not only on the audience (scope and permissions): the plans the
# user sees include those naming the user (owner, witness, inspector) wherever they are. It is read afresh on
# every request (one query) over the shared cached document (docs/insight.md, I43).
PERSONAL = "spot_check_plans"


def stats_for_user(user: Any, *, year: int, region: str | None = None) -> Stats:
    """The headline figures of `year` in the user's scope, narrowed to `region` (a 12-digit code) when given:
    each section, and each selector's answer inside it, from the cache while the tables it read are unchanged
    (`insight.cache`), computed on a miss."""
    if region is not None:
        get_region_for_user(user, region)

    with one_stamp_read():
        stats = compute_stats(user, year=year, region=region, source=source_for(user))
    return _with_personal(stats, plans_drawn(user, year=year, region=region))


def _with_personal(stats: Stats, plans: int) -> Stats:
    sections = []
    for section in stats.sections:
        figures = [dataclasses.replace(f, value=plans) if f.key == PERSONAL else f for f in section.figures]
        sections.append(Section(section.key, section.title, figures))
    return Stats(year=stats.year, region=stats.region, sections=sections)
