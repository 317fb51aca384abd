"""Benchmark: 整合项目 fund totals by source and county for the province synth, SQLite or PostgreSQL.

    python bench/resources_fund_totals.py [--data-dir DIR (default: $TMPDIR/wzc-bench-projects)] [--pg-url URL] [--year 2016] [--repeat 3]

Builds once (and reuses after) in a scratch database the province's divisions, the year's 村情 and the province
synth of 整合项目 (steps regions, village_years and resources_projects at scale province: ten times the city), then
times, best of --repeat:
- engine: `fund_totals` as the 项目资金 page and the API call it (by source × county, the share reaching poor
  villages), over the whole province;
- limit: one hand-written GROUP BY over fundings ⨝ projects ⟕ village years (the least any answer can cost);
- peer: the ORM's obvious way, the year's projects with their fundings prefetched and the poor villages read
  once, summed in Python.
Prints one line a figure with its query count, the ratios, and whether the 2 s aim is met.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "wzc-bench-projects"),
                        help="the SQLite scratch (reused)")
    parser.add_argument("--pg-url", default="", help="a scratch PostgreSQL database (migrated, reused)")
    parser.add_argument("--year", type=int, default=2016)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    os.environ.update(WUZAICUN_DATA_DIR=args.data_dir, DJANGO_SETTINGS_MODULE="wuzaicun.settings")
    os.environ.pop("DATABASE_URL", None)
    if args.pg_url:
        os.environ["DATABASE_URL"] = args.pg_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.core.synth import new_context
    from wuzaicun.regions.models import Region, VillageYear
    from wuzaicun.regions.services import load_shipped_divisions
    from wuzaicun.regions.synth import generate_village_years, load_regions, load_village_facts
    from wuzaicun.resources.models import Project, ProjectFunding
    from wuzaicun.resources.selectors.projects import fund_totals
    from wuzaicun.resources.synth.projects import generate_projects

    call_command("migrate", verbosity=0)
    year = args.year
    if not Project.objects_unscoped.filter(year=year).exists():
        started = time.perf_counter()
        if not Region.objects_unscoped.exists():
            load_shipped_divisions(actor=None)
        with transaction.atomic():
            ctx = new_context(scale="province", seed=2016, year=year)
            load_regions(ctx)
            if VillageYear.objects_unscoped.filter(year=year).exists():
                load_village_facts(ctx)
            else:
                generate_village_years(ctx)
            generate_projects(ctx)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"build ({connection.vendor}): {time.perf_counter() - started:.1f} s")
    projects = Project.objects_unscoped.filter(year=year).count()
    fundings = ProjectFunding.objects_unscoped.filter(project__year=year).count()
    print(f"data ({connection.vendor}): {projects:,} projects of {year}, {fundings:,} fundings, "
          f"{VillageYear.objects_unscoped.filter(year=year, is_poor=True).count():,} poor villages")

    def timed(label: str, call: Any) -> tuple[float, Any]:
        best, result, queries = float("inf"), None, 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                result = call()
                best = min(best, time.perf_counter() - began)
            queries = len(captured.captured_queries)
        print(f"{label}: {best:.3f} s, {queries} queries")
        return best, result

    engine, totals = timed("engine  fund_totals (by source × county, poor share)",
                           lambda: fund_totals(OPERATOR, year=year))

    def limit() -> dict[str, Decimal]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.county_id, f.source, SUM(f.amount), "
                "SUM(CASE WHEN vy.id IS NULL THEN 0 ELSE f.amount END) "
                "FROM resources_projectfunding f JOIN resources_project p ON p.id = f.project_id "
                "LEFT JOIN regions_villageyear vy ON vy.village_id = p.village_id AND vy.year = p.year "
                "AND vy.is_poor "
                "WHERE p.year = %s GROUP BY p.county_id, f.source", [year])
            found: dict[str, Decimal] = defaultdict(Decimal)
            for county, _, total, _ in cursor.fetchall():
                found[county] += Decimal(str(total))
            return found

    sql, by_sql = timed("limit   one hand-written GROUP BY with the poor flag joined", limit)

    def peer() -> dict[str, Decimal]:
        poor = set(VillageYear.objects_unscoped.filter(year=year, is_poor=True).values_list("village_id", flat=True))
        found: dict[str, Decimal] = defaultdict(Decimal)
        poor_money: dict[str, Decimal] = defaultdict(Decimal)
        for project in Project.objects_unscoped.filter(year=year).prefetch_related("fundings"):
            for funding in project.fundings.all():
                found[project.county_id] += funding.amount
                if project.village_id in poor:
                    poor_money[project.county_id] += funding.amount
        return found

    orm, by_orm = timed("peer    ORM: projects with fundings prefetched, summed in Python", peer)
    mine = {row.code: row.total for row in totals.rows}
    agree = all(abs(mine[c] - by_sql[c]) < Decimal("0.01") and mine[c] == by_orm[c] for c in mine)
    print(f"counties {len(mine)}, total ¥{totals.total.total:,}, reaching poor villages {totals.total.share}% — "
          f"the three {'agree' if agree else 'DISAGREE'}")
    print(f"ratios: engine / limit {engine / sql:.1f}×, engine / peer {engine / orm:.0%} (under 100 %: faster)")
    print(f"aim: under 2 s on {connection.vendor} — {'met' if engine < 2 else 'NOT met'} ({engine:.3f} s)")


if __name__ == "__main__":
    main()
