"""Benchmark: the headline figures (`wuzaicun stats`, the 数据概览 page) on a demo database.

    DATABASE_URL=postgres://…/DB python bench/insight_stats.py [--year 2016]
    WUZAICUN_DATA_DIR=DIR python bench/insight_stats.py            (SQLite in DIR)

Uses a database already built with `wuzaicun demo --no-serve` (the city synth, seed 2016, year 2016). Times,
best of three after a warm-up, the whole document for the city (the operator's scope), for one county and for
one township (narrowed by `--region`), and each section alone for the city; prints each with its number of SQL
queries.
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


def timed(run: Callable[[], Any]) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # warm-up
    best = float("inf")
    queries = 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return best * 1000, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2016)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")
    import django

    django.setup()
    from django.db import connection

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.insight.figures import _builders, compute_stats

    print(f"数据库：{connection.vendor}，年度 {args.year}")
    for label, region in (("全市", None), ("一个县（红花岗区）", "520302000000"), ("一个乡镇（老城街道）", "520302001000")):
        ms, queries = timed(lambda region=region: compute_stats(OPERATOR, year=args.year, region=region))
        print(f"  {label:<16} {ms:8.1f} ms  {queries:3d} 条查询")
    print("  各板块（全市）：")
    for _key, title, build in _builders():
        ms, queries = timed(lambda build=build: build(OPERATOR, args.year, None))
        print(f"    {title:<10} {ms:8.1f} ms  {queries:3d} 条查询")


if __name__ == "__main__":
    main()
