"""Benchmark: 一村一档, 一户一档 and the 明白卡 on a demo database, through the pages as a city administrator.

    DATABASE_URL=postgres://…/DB python bench/dossier.py [--year 2016]
    WUZAICUN_DATA_DIR=DIR python bench/dossier.py            (SQLite in DIR)

Uses a database already built with `wuzaicun demo --no-serve` (the city synth, seed 2016, year 2016). Picks the
poor village with the most households and one of its households; times each page, best of three after a
warm-up (server time: the view and its template, no network), with its number of SQL queries.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def timed(client: Any, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    best, queries, status = float("inf"), 0, 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            status = client.get(url).status_code
            best = min(best, time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return best * 1000, queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2016)
    parser.add_argument("--user", default="demo_city")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from wuzaicun.accounts.models import User
    from wuzaicun.regions.models import VillageYear
    from wuzaicun.registry.models import Household

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    poor = VillageYear.objects_unscoped.filter(year=args.year, is_poor=True).values_list("village_id", flat=True)
    biggest = (Household.objects_unscoped.filter(region_id__in=poor).values("region_id")
               .annotate(n=Count("id")).order_by("-n").first())
    assert biggest is not None, "no demo data: run `wuzaicun demo --no-serve` first"
    code, households = biggest["region_id"], biggest["n"]
    household = Household.objects_unscoped.filter(region_id=code).order_by("id").first()
    assert household is not None
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    print(f"数据库：{connection.vendor}，年度 {args.year}，用户 {args.user}，村 {code}（{households} 户）")
    for label, url in (
        ("一村一档", f"/insight/villages/{code}/?year={args.year}"),
        ("一村一档（农户第5页）", f"/insight/villages/{code}/?year={args.year}&page=5"),
        ("一户一档", f"/insight/households/{household.pk}/?year={args.year}"),
        ("明白卡", f"/insight/households/{household.pk}/card/?year={args.year}"),
    ):
        ms, queries, status = timed(client, url)
        print(f"  {label:<14} {ms:8.1f} ms  {queries:3d} 条查询  HTTP {status}")


if __name__ == "__main__":
    main()
