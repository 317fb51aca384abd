"""Benchmark: 组织保障 and 村级集体经济 at province scale (17,964 villages, 25,160 entities), SQLite or PostgreSQL.

    python bench/organization_economy.py [--pg-url URL]

Builds, in a scratch database, the province's regions and only the guarantees and economy synth steps (no
households or lists: these rules do not read them), then times the three coverage rules with their query
counts, the compliance counts, the 空壳村 summary (six yearly aggregates), and both indicators for every village
and every township. Prints one line a figure.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg-url", default="", help="a scratch PostgreSQL database (emptied and migrated)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="wzc-bench-econ-")
    os.environ.update(WUZAICUN_DATA_DIR=scratch, DJANGO_SETTINGS_MODULE="wuzaicun.settings")
    os.environ.pop("DATABASE_URL", None)
    if args.pg_url:
        os.environ["DATABASE_URL"] = args.pg_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.core.indicators import indicator
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.core.synth import new_context
    from wuzaicun.organization.selectors.economy import economy_summary
    from wuzaicun.organization.selectors.guarantees import compliance_counts
    from wuzaicun.organization.synth.economy import generate_economy
    from wuzaicun.organization.synth.guarantees import generate_guarantees
    from wuzaicun.regions.models import Level, Region
    from wuzaicun.regions.services import load_shipped_divisions
    from wuzaicun.regions.synth import load_regions
    from wuzaicun.responsibility.coverage import CHECKS
    from wuzaicun.responsibility.rules import RULES_BY_CODE, EffectiveRule

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_shipped_divisions(actor=None, prefix="52")
    ctx = new_context(scale="province", seed=2016, year=2016)
    load_regions(ctx)
    generate_guarantees(ctx)
    generate_economy(ctx)
    print(f"build ({connection.vendor}): {time.perf_counter() - started:.1f} s")

    def timed(label: str, call: object) -> None:
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = call()  # type: ignore[operator]
            seconds = time.perf_counter() - began
        print(f"{label}: {seconds * 1000:.0f} ms, {len(queries.captured_queries)} queries{result}")

    for code in ("village_collective_entity", "village_shell", "village_guarantee_below_standard"):
        rule = EffectiveRule(RULES_BY_CODE[code], True, None)

        def run(code: str = code, rule: EffectiveRule = rule) -> str:
            checked, gaps = CHECKS[code](OPERATOR, 2016, None, rule, None)  # type: ignore[arg-type]
            return f" (checked {checked}, gaps {len(list(gaps))})"

        timed(code, run)
    timed("compliance_counts", lambda: f" (below any {compliance_counts(OPERATOR, year=2016)['below_any']})")
    timed("economy_summary", lambda: f" (entities {economy_summary(OPERATOR, year=2016)['entities']})")
    for level in (Level.VILLAGE, Level.TOWNSHIP):
        codes = list(Region.objects_unscoped.filter(level=level).values_list("code", flat=True))
        for name in ("guarantees_met", "collective_income"):
            provider = indicator(name)
            assert provider is not None
            timed(f"{name} level {level} ({len(codes)})", lambda p=provider, c=codes, lv=level: f" ({len(p.compute(2016, c, lv))})")


if __name__ == "__main__":
    main()
