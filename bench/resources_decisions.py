"""Benchmark: 资金使用决策 reads on a database that holds the synth (the demo, or `wuzaicun synth --scale province`).

    DATABASE_URL=postgres://… python bench/resources_decisions.py [--year 2016] [--repeat 3]

Times, as the system administrator (whole scope), the best of `--repeat` runs of:
- list: the list page's first page (count, 20 rows with their paid sums) and its totals;
- coverage: each of `decision_unpublished` and `decision_paid_early`, gaps consumed;
- indicator: `decisions_published` for every village, then for every township.
Prints one line a figure with its query count.
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

    from wuzaicun.core.indicators import indicator
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.regions.models import Region
    from wuzaicun.resources.models import DecisionStep, FundDecision
    from wuzaicun.resources.selectors.decisions import decision_totals, decisions_for
    from wuzaicun.responsibility.coverage import CHECKS
    from wuzaicun.responsibility.rules import effective_rules
    from wuzaicun.responsibility.selectors import due_date, rule_settings

    year = args.year
    rules = {r.spec.code: r for r in effective_rules(rule_settings(year))}

    def timed(label: str, call: Callable[[], Any]) -> None:
        best, queries = float("inf"), 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                call()
                best = min(best, time.perf_counter() - started)
            queries = len(captured)
        print(f"{label}: {best:.3f} s ({queries} queries)")

    def list_page() -> None:
        rows = decisions_for(OPERATOR, year=year)
        rows.count()
        list(rows[:20])
        decision_totals(OPERATOR, year=year)

    def check(code: str) -> Callable[[], None]:
        def run() -> None:
            _, gaps = CHECKS[code](OPERATOR, year, None, rules[code], due_date(year))
            sum(1 for _ in gaps)
        return run

    villages = list(Region.objects_unscoped.filter(level=5).values_list("code", flat=True))
    townships = list(Region.objects_unscoped.filter(level=4).values_list("code", flat=True))
    compute = indicator("decisions_published")
    assert compute is not None
    print(f"{FundDecision.objects_unscoped.filter(year=year).count():,} decisions, "
          f"{DecisionStep.objects_unscoped.filter(decision__year=year).count():,} steps, "
          f"{len(villages):,} villages, {connection.vendor}")
    timed("list (first page + totals)", list_page)
    timed("coverage decision_unpublished", check("decision_unpublished"))
    timed("coverage decision_paid_early", check("decision_paid_early"))
    timed("indicator decisions_published, villages", lambda: compute.compute(year, villages, 5))
    timed("indicator decisions_published, townships", lambda: compute.compute(year, townships, 4))


if __name__ == "__main__":
    main()
