"""Benchmark: 千村千人计划's overdue visits (逾期未走访) and the talents synth, SQLite or PostgreSQL.

    python bench/cadres_talents.py [--scale city|province] [--pg-url URL]

Builds, in a scratch database, the synthetic data set of the scale up to the talents step (regions, village
facts, households, units, people, leadership teams, organisation; the later steps are not needed), then times: the talents step itself (and the plain inserts inside it); the overdue pairs as shipped
(one query: a correlated last-visit subquery per pair, compared with the day minus each plan's interval), a
hand-written GROUP BY of the same answer (the limit), and the ORM's obvious way (one last-visit query per pair);
the first page of the overdue tab; the list page's totals. Prints one line a figure, with ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

HAND_WRITTEN = """
SELECT COUNT(*) FROM (
  SELECT tv.id, t.visit_every AS every, MAX(v.date) AS last
  FROM cadres_talentvillage tv
  JOIN cadres_talent t ON t.id = tv.talent_id
  LEFT JOIN cadres_talentvisit v ON v.talent_id = tv.talent_id AND v.village_id = tv.village_id AND v.date <= %s
  WHERE t.year = %s
  GROUP BY tv.id, t.visit_every
) pairs
WHERE (every = 30 AND COALESCE(last, %s) < %s) OR (every = 60 AND COALESCE(last, %s) < %s)
   OR (every = 91 AND COALESCE(last, %s) < %s) OR (every = 182 AND COALESCE(last, %s) < %s)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="city", choices=("city", "province"))
    parser.add_argument("--pg-url", default="", help="a scratch PostgreSQL database (emptied and migrated)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="wzc-bench-talents-")
    os.environ.update(WUZAICUN_DATA_DIR=scratch, DJANGO_SETTINGS_MODULE="wuzaicun.settings")
    os.environ.pop("DATABASE_URL", None)
    if args.pg_url:
        os.environ["DATABASE_URL"] = args.pg_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.cadres.models import Talent, TalentVillage, TalentVisit
    from wuzaicun.cadres.selectors.talents import overdue_pairs, overdue_rows, secretary_totals, talent_totals
    from wuzaicun.cadres.synth.talents import generate
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.core.synth import new_context, registered_steps
    from wuzaicun.regions.synth import load_regions
    from wuzaicun.registry.synth import load_people

    if args.pg_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    ctx = new_context(scale=args.scale, seed=2016, year=2016)
    steps = [s for s in registered_steps() if s.order < 68]
    with transaction.atomic():  # as `wuzaicun synth` runs: one transaction (SQLite commits once)
        for step in steps:
            step.func(ctx)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"build ({connection.vendor}, {args.scale}): {time.perf_counter() - started:.1f} s "
          f"({', '.join(s.name for s in steps)})")
    before = dict(ctx.rows)
    began = time.perf_counter()
    with transaction.atomic():
        generate(ctx)
    seconds = time.perf_counter() - began
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    tables = [m._meta.db_table for m in (Talent, TalentVillage, TalentVisit)] + [
        "cadres_projectsecretary", "cadres_secretaryproject"]
    written = {t: ctx.rows[t] - before.get(t, 0) for t in tables}
    inserting = sum(ctx.seconds.get(t, 0.0) for t in tables)
    print(f"synth step talents: {seconds:.2f} s for {sum(written.values()):,} rows; plain inserts inside it "
          f"{inserting:.2f} s (ratio {seconds / inserting if inserting else 0:.1f}×); " +
          "，".join(f"{t} {n:,}" for t, n in written.items()))
    again = new_context(scale=args.scale, seed=2016, year=2016)
    load_regions(again)
    load_people(again)
    began = time.perf_counter()
    generate(again)
    print(f"synth rerun: {time.perf_counter() - began:.2f} s, adds {sum(again.rows.values())} rows")

    day, year = dt.date(2016, 12, 31), 2016

    def timed(label: str, call: object) -> float:
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = call()  # type: ignore[operator]
            seconds = time.perf_counter() - began
        print(f"{label}: {seconds * 1000:.0f} ms, {len(queries.captured_queries)} queries → {result}")
        return seconds

    shipped = timed("overdue pairs (shipped, one query)", lambda: overdue_pairs(OPERATOR, year=year, on=day).count())

    def hand() -> int:
        params: list[object] = [day, year]
        for every in (30, 60, 91, 182):
            params += [dt.date(year, 1, 1), day - dt.timedelta(days=every)]
        with connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN, params)
            return int(cursor.fetchone()[0])

    limit = timed("overdue pairs (hand-written GROUP BY, the limit)", hand)

    def obvious() -> int:
        late = 0
        for pair in TalentVillage.objects_unscoped.filter(talent__year=year).select_related("talent"):
            last = (TalentVisit.objects_unscoped.filter(talent_id=pair.talent_id, village_id=pair.village_id,
                                                        date__lte=day).order_by("-date").values_list("date", flat=True)
                    .first())
            if (day - (last or dt.date(year, 1, 1))).days > pair.talent.visit_every:
                late += 1
        return late

    naive = timed("overdue pairs (ORM's obvious way: a query per pair)", obvious)
    print(f"ratios: shipped / limit {shipped / limit:.2f}, obvious / shipped {naive / shipped:.0f}")
    timed("overdue tab, first page of 20", lambda: len(overdue_rows(list(overdue_pairs(OPERATOR, year=year)[:20]),
                                                                    year=year)))
    timed("talent totals (list page)", lambda: talent_totals(OPERATOR, year=year))
    timed("secretary totals (list page)", lambda: secretary_totals(OPERATOR, year=year))


if __name__ == "__main__":
    main()
