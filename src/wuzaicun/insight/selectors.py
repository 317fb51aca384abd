"""Reads of the insight app: the figures for a region the user may see (one missing or out of scope: not found)."""

from __future__ import annotations

from typing import Any

from wuzaicun.regions.selectors import get_region_for_user

from .figures import Stats, compute_stats


def stats_for_user(user: Any, *, year: int, region: str | None = None) -> Stats:
    """The headline figures of `year` in the user's scope, narrowed to `region` (a 12-digit code) when given."""
    if region is not None:
        get_region_for_user(user, region)
    return compute_stats(user, year=year, region=region)
