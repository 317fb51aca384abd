"""Benchmark: 干部培训 at province scale (100 city and 950 county sessions, 122,000 person-times), SQLite or
PostgreSQL.

    python bench/cadres_training.py [--pg-url URL]

Builds, in a scratch database, the province's regions, village facts, units, people and the training synth step
(no households or lists: training does not read them), then times, with their query counts: the synth step; the
`training_attendance` indicator for every cadre the grading would ask (县处级, 乡科级, 一般干部, 村干部) against the
limit (one hand-written GROUP BY) and the ORM's obvious way (one query a person, timed on 2,000 and scaled);
coverage per target group; the first page of the untrained; the figures per level and year. One line a figure.
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
    parser.add_argument("--pg-url", default="", help="a new, empty PostgreSQL database (migrated here)")
    parser.add_argument("--scale", default="province", choices=("city", "province"))
    parser.add_argument("--profile", action="store_true", help="profile the synth step (cProfile, top 15)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="wzc-bench-training-")
    os.environ.update(WUZAICUN_DATA_DIR=scratch, DJANGO_SETTINGS_MODULE="wuzaicun.settings")
    os.environ.pop("DATABASE_URL", None)
    if args.pg_url:
        os.environ["DATABASE_URL"] = args.pg_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.cadres.models import Attendance
    from wuzaicun.cadres.selectors.training import group_coverage, training_figures, untrained
    from wuzaicun.cadres.synth.training import generate_training
    from wuzaicun.core.indicators import person_indicator
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.core.synth import new_context
    from wuzaicun.regions.services import load_shipped_divisions
    from wuzaicun.regions.synth import generate_village_years, load_regions
    from wuzaicun.registry.models import Person
    from wuzaicun.registry.synth import generate_people, generate_units

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_shipped_divisions(actor=None, prefix="52" if args.scale == "province" else "5203")
    ctx = new_context(scale=args.scale, seed=2016, year=2016)
    for step in (load_regions, generate_village_years, generate_units, generate_people):
        step(ctx)
    print(f"build ({connection.vendor}, {args.scale}): {time.perf_counter() - started:.1f} s")

    def analyse() -> None:  # fresh statistics after a bulk load, as `wuzaicun synth` does
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def timed(label: str, call: object) -> float:
        with CaptureQueriesContext(connection) as queries:
            began, cpu = time.perf_counter(), time.process_time()
            result = call()  # type: ignore[operator]
            seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        print(f"{label}: {seconds * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU here), {len(queries.captured_queries)} queries"
              f"{result}")
        return seconds

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        with transaction.atomic():  # as `wuzaicun synth` runs its steps: one transaction
            profiler.runcall(generate_training, ctx)
        analyse()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
    else:
        def synth() -> str:
            with transaction.atomic():  # as `wuzaicun synth` runs its steps: one transaction
                generate_training(ctx)
            analyse()
            return f" ({Attendance.objects_unscoped.count():,} person-times)"

        timed("synth step training", synth)
    cadres = list(Person.objects_unscoped.filter(rank__in=("县处级", "乡科级", "一般干部", "村干部")).values_list(
        "pk", flat=True))
    provider = person_indicator("training_attendance")
    assert provider is not None
    shipped = timed(f"training_attendance for {len(cadres):,} cadres",
                    lambda: f" ({sum(1 for v in provider.compute(2016, cadres).values() if v)} trained)")

    def limit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT a.person_id, COUNT(*) FROM cadres_attendance a JOIN cadres_trainingsession s "
                           "ON s.id = a.session_id WHERE s.year = %s GROUP BY a.person_id", [2016])
            return f" ({len(cursor.fetchall())} people)"

    best = timed("limit: one hand-written GROUP BY", limit)
    sample = cadres[:2000]

    def obvious() -> str:
        for pk in sample:
            Attendance.objects_unscoped.filter(person_id=pk, session__year=2016).exists()
        return ""

    per = timed("ORM obvious way, 2,000 people (one query each)", obvious) / len(sample)
    print(f"  → obvious way for {len(cadres):,}: ≈ {per * len(cadres):.1f} s; shipped/limit {shipped / best:.1f}×, "
          f"obvious/shipped {per * len(cadres) / shipped:.0f}×")
    timed("group_coverage (4 groups)", lambda: " (" + ", ".join(
        f"{c.label} {c.trained}/{c.members}" for c in group_coverage(OPERATOR, year=2016)) + ")")
    timed("untrained first page (村干部)", lambda: f" ({len(list(untrained(OPERATOR, year=2016, group='village_cadres')[:20]))} rows)")
    timed("training_figures", lambda: f" ({len(training_figures(OPERATOR))} years)")


if __name__ == "__main__":
    main()
