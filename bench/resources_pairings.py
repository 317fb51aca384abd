"""Benchmark: the 干群结亲 list and the 结对帮扶 / 企业帮扶 cards over a synthesised city (295,700 pairs).

    DATABASE_URL=... python bench/resources_pairings.py [--year 2016] [--repeat 3]

Reads an existing database that ran `wuzaicun synth --scale city` (or `wuzaicun demo`); writes nothing. For the
city's scope and for one county's (汇川区, 520303), times what the pages run: the kin list's count (filtered by
the year), its first and a deep page (20 rows with their cadre, household and village), a name search, the totals
cards, and the enterprises list with its totals. Prints one line a figure (best of --repeat, milliseconds) and the
query count of each.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


class _Scope:
    """A stand-in user with a scope prefix (what `scoped()` reads)."""

    is_authenticated = True

    def __init__(self, prefix: str) -> None:
        self.scope_prefix = prefix
        self.role = "city_admin"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2016)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.resources.selectors.pairings import (
        enterprise_totals,
        enterprises_for,
        kin_count,
        kin_page_rows,
        kin_pairings,
        pairing_totals,
    )

    def timed(label: str, call: Callable[[], Any]) -> None:
        best = float("inf")
        queries = 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                call()
                best = min(best, time.perf_counter() - started)
            queries = len(captured)
        print(f"{label:<44} {best * 1000:9.1f} ms  {queries} queries")

    year = args.year
    for name, prefix in (("city 遵义市", "5203"), ("county 汇川区", "520303")):
        user = _Scope(prefix)
        rows = kin_pairings(user, year=year)
        print(f"-- {name}: {kin_count(rows)} kin pairs active in {year}")
        timed("kin list: count", lambda rows=rows: kin_count(rows))
        timed("kin list: page 1 (20 rows)", lambda rows=rows: list(kin_page_rows(rows)[:20]))
        timed("kin list: page 500 (20 rows)", lambda rows=rows: list(kin_page_rows(rows)[9980:10000]))
        searched = kin_pairings(user, year=year, q="张")
        timed("kin list: search 张, count + page 1",
              lambda s=searched: (kin_count(s), list(kin_page_rows(s)[:20])))
        timed("pairing totals cards", lambda user=user: pairing_totals(user, year=year))
        timed("enterprises: page 1 (20 rows)", lambda user=user: list(enterprises_for(user, year=year)[:20]))
        timed("enterprise totals cards", lambda user=user: enterprise_totals(user, year=year))


if __name__ == "__main__":
    main()
