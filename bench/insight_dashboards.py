"""Benchmark: the dashboards' breakdowns by child area (分区域对比, 填报完整度) on a demo database.

    DATABASE_URL=postgres://…/DB python bench/insight_dashboards.py [--year 2016]
    WUZAICUN_DATA_DIR=DIR python bench/insight_dashboards.py            (SQLite in DIR)

Uses a database already built with `wuzaicun demo --no-serve` (the city synth, seed 2016, year 2016). Times,
best of three after a warm-up, each mechanism's breakdown (by child area and over the years) and the reporting
completeness, for the city (by county), one county (by township) and one township (by village); prints each with
its number of SQL queries.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2016)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")
    import django

    django.setup()
    from django.db import connection
    from insight_stats import timed

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.insight.figures.areas import breakdown, mechanisms, reporting
    from wuzaicun.regions.models import Region

    print(f"数据库：{connection.vendor}，年度 {args.year}")
    for label, region in (("全市（按县）", "520300000000"), ("红花岗区（按乡镇）", "520302000000"),
                          ("老城街道（按村）", "520302001000")):
        areas = list(Region.objects_unscoped.filter(parent_id=region).values_list("code", flat=True))
        print(f"  {label}：{len(areas)} 个下级区域")
        for mech in mechanisms():
            ms, queries = timed(lambda mech=mech, region=region, areas=areas: breakdown(
                mech, OPERATOR, year=args.year, region=region, areas=areas))
            print(f"    {mech.title:<8} {ms:8.1f} ms  {queries:3d} 条查询")
        ms, queries = timed(lambda region=region, areas=areas: reporting(OPERATOR, year=args.year, region=region,
                                                                         areas=areas))
        print(f"    {'填报完整度':<8} {ms:8.1f} ms  {queries:3d} 条查询")


if __name__ == "__main__":
    main()
