"""Benchmark: a 三变 dividend split for one entity with 100,000 shareholders, SQLite or PostgreSQL.

    python bench/resources_dividends.py [--holders 100000] [--pg-url URL]

Builds, in a scratch database, one village (the shipped division of 520302001001 and its ancestors), the
households and one entity with a contribution each (plus the village collective's), then times:
- engine: `split_dividend` as the page and `wuzaicun dividends` call it (holdings aggregate, the largest-remainder
  split in Python, the parts written set-based, the audit row), in one transaction;
- limit, write: the same prepared part rows inserted plainly (executemany / COPY), nothing else;
- limit, SQL: one hand-written INSERT … SELECT that aggregates the holdings and writes floor(share) parts in the
  database (it does not place the left-over fen, so it is a floor no correct split can beat);
- peer: the ORM's obvious way, holdings by values()/annotate and `bulk_create` of DividendPart instances.
Prints one line a figure, the query counts, and the ratios to the engine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

VILLAGE = "520302001001"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", type=int, default=100_000)
    parser.add_argument("--pg-url", default="", help="a scratch PostgreSQL database (emptied and migrated)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="wzc-bench-div-")
    os.environ.update(WUZAICUN_DATA_DIR=scratch, DJANGO_SETTINGS_MODULE="wuzaicun.settings")
    os.environ.pop("DATABASE_URL", None)
    if args.pg_url:
        os.environ["DATABASE_URL"] = args.pg_url
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.organization.models import CollectiveEntity
    from wuzaicun.regions.services import load_shipped_divisions
    from wuzaicun.registry.models import Household
    from wuzaicun.resources.models import Contribution, Dividend, DividendPart
    from wuzaicun.resources.rules.shares import split_by_largest_remainder, split_fen
    from wuzaicun.resources.services.shares import holdings, split_dividend
    from wuzaicun.tabular.bulk import insert_rows

    if args.pg_url:
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", verbosity=0)
    load_shipped_divisions(actor=None, prefix=VILLAGE)
    n = args.holders
    started = time.perf_counter()
    with transaction.atomic():
        insert_rows(Household._meta.db_table,
                    ("region_id", "head_name", "resident_id_sealed", "resident_id_hash", "resident_id_masked", "members",
                     "status", "identified_year", "cause", "income_per_head", "version"),
                    ((VILLAGE, f"户主{i}", b"x", f"bench{i:012d}", "520302********0000", 3,
                      "未脱贫" if i % 3 else "已脱贫", 2014, "缺资金", Decimal(0), 1) for i in range(n)))
        entity = CollectiveEntity.objects_unscoped.create(village_id=VILLAGE, name="甲村股份合作公司", kind="joint_stock")
        ids = list(Household.objects_unscoped.order_by("pk").values_list("pk", flat=True))
        day = dt.date(2016, 3, 1)
        rows = [(entity.pk, None, "property", None, "村集体资产", Decimal(500000), Decimal("1000.00"), day)]
        rows += [(entity.pk, pk, "land", Decimal(i % 7 + 1) / 2, "", None, Decimal(i % 97 + 1) / 4, day)
                 for i, pk in enumerate(ids)]
        insert_rows(Contribution._meta.db_table,
                    ("entity_id", "household_id", "kind", "land_mu", "property_name", "amount", "shares",
                     "contributed_on"), rows)
    print(f"build ({connection.vendor}): {n:,} holders in {time.perf_counter() - started:.1f} s")
    total = Decimal("1234567.89")

    def timed(label: str, call: object) -> float:
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            call()  # type: ignore[operator]
            seconds = time.perf_counter() - began
        print(f"{label}: {seconds:.2f} s, {len(queries.captured_queries)} queries")
        return seconds

    def reset() -> None:
        DividendPart.objects_unscoped.all().delete()
        Dividend.objects_unscoped.all().delete()

    engine = timed("engine  split_dividend (aggregate, split, COPY/executemany, audit)",
                   lambda: split_dividend(actor=OPERATOR, entity_id=entity.pk, year=2016, total=total))
    parts = list(DividendPart.objects_unscoped.values_list("amount", flat=True))
    print(f"         parts {len(parts):,}, sum {sum(parts)} (total {total})")
    reset()

    held = holdings(entity, 2016)
    fen = split_fen(int(total * 100), [u for _, u in held])
    prepared = [(h, f"{u // 100}.{u % 100:02d}", f"{f // 100}.{f % 100:02d}") for (h, u), f in zip(held, fen, strict=True)]

    def plain_write() -> None:
        with transaction.atomic():
            dividend = Dividend.objects_unscoped.create(entity=entity, year=2016, total=total, total_shares=0,
                                                        holders=len(prepared))
            insert_rows(DividendPart._meta.db_table, ("dividend_id", "household_id", "shares", "amount"),
                        ((dividend.pk, h, shares, amount) for h, shares, amount in prepared))

    write = timed("limit   the same part rows inserted plainly", plain_write)
    reset()

    def in_sql() -> None:
        with transaction.atomic():
            dividend = Dividend.objects_unscoped.create(entity=entity, year=2016, total=total, total_shares=0,
                                                        holders=0)
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO resources_dividendpart (dividend_id, household_id, shares, amount) "
                    "SELECT %s, household_id, SUM(shares), "
                    "FLOOR(%s * SUM(shares) * 100 / (SELECT SUM(shares) FROM resources_contribution WHERE entity_id = %s)) / 100 "
                    "FROM resources_contribution WHERE entity_id = %s GROUP BY household_id",
                    [dividend.pk, total, entity.pk, entity.pk])

    sql = timed("limit   one INSERT … SELECT (floors only, no left-over fen)", in_sql)
    reset()

    def orm() -> None:
        with transaction.atomic():
            rows = list(Contribution.objects_unscoped.filter(entity=entity).values("household_id")
                        .annotate(s=__import__("django.db.models", fromlist=["Sum"]).Sum("shares")).order_by())
            result = split_by_largest_remainder(total, [(r["household_id"], r["s"]) for r in rows])
            dividend = Dividend.objects_unscoped.create(entity=entity, year=2016, total=total, total_shares=0,
                                                        holders=len(result))
            by = {r["household_id"]: r["s"] for r in rows}
            DividendPart.objects_unscoped.bulk_create(
                [DividendPart(dividend=dividend, household_id=h, shares=by[h], amount=a) for h, a in result],
                batch_size=5000)

    peer = timed("peer    ORM values()/annotate + bulk_create", orm)
    print(f"ratios: plain write / engine {write / engine:.0%}, INSERT…SELECT / engine {sql / engine:.0%}, "
          f"engine / ORM bulk_create {engine / peer:.0%} (under 100 %: the engine is faster)")
    print(f"aim: under 2 s for {n:,} holders — {'met' if engine < 2 else 'NOT met'} ({engine:.2f} s)")


if __name__ == "__main__":
    main()
