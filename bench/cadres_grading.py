"""Benchmark: 六定一化考核 of ≈ 50,000 第一书记 (province scale: ten times the city's 4,606 stationed cadres, rounded up).

    python bench/cadres_grading.py [--backend sqlite|postgresql|both] [--cadres N] [--pg-url URL]

No province synth holds dispatches yet, so each child process builds its own database set-based (SQLite in a
temporary directory; PostgreSQL in a database it creates beside `--pg-url` and drops afterwards): one county,
5,000 villages, N people each dispatched as 第一书记 with a 驻村 entry, one ledger line, two quarterly 对账, a helped
household with a visit for every other one, a spot-check finding for every tenth, a county training session two
cadres in three attended, and 民主评议 and 群众满意度 entered.
It then times:
- the product: `grade_cadres` for every cadre (cold: first grading, rows inserted; warm: drafts recomputed and
  updated), with its SQL queries split into reads (constant whatever N) and write batches (2,000 rows each);
- the limit: one hand-written SQL statement computing the same per-cadre aggregates (ledger, 对账, visits,
  findings, entered scores) and the composite, ordered by the ranking;
- the ORM's obvious peer: each cadre's indicators asked cadre by cadre (seven queries a cadre), timed on a sample
  and extrapolated to every cadre (labelled as such);
and prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2016
SAMPLE = 200

HAND_SQL = """
WITH d AS (
  SELECT person_id, MAX(village_id) AS village FROM cadres_dispatch
  WHERE kind = 'first_secretary' AND start <= '2016-12-31' AND ("end" IS NULL OR "end" >= '2016-01-01')
  GROUP BY person_id),
led AS (
  SELECT a.person_id, 100.0 * SUM(CASE WHEN l.status = 'fulfilled' OR (l.status IN ('locked', 'draft')
         AND l.spot_check_result <> 'not_in_place' AND COALESCE((SELECT r.on_track FROM responsibility_reconciliation r
         WHERE r.line_id = l.id ORDER BY r.quarter DESC LIMIT 1), TRUE)) THEN 1 ELSE 0 END) / COUNT(*) AS val
  FROM responsibility_ledgerline l JOIN responsibility_assignment a ON a.id = l.assignment_id
  WHERE l.year = 2016 GROUP BY a.person_id),
rec AS (
  SELECT a.person_id, 100.0 * SUM(CASE WHEN (r.quarter = 1 AND r.submitted_at < '2016-04-16')
         OR (r.quarter = 2 AND r.submitted_at < '2016-07-16') OR (r.quarter = 3 AND r.submitted_at < '2016-10-16')
         OR (r.quarter = 4 AND r.submitted_at < '2017-01-16') THEN 1 ELSE 0 END) / COUNT(*) AS val
  FROM responsibility_reconciliation r JOIN responsibility_ledgerline l ON l.id = r.line_id
  JOIN responsibility_assignment a ON a.id = l.assignment_id WHERE l.year = 2016 GROUP BY a.person_id),
vis AS (
  SELECT a.person_id, 100.0 * COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM responsibility_visit v
         WHERE v.person_id = a.person_id AND v.household_id = ah.household_id
         AND v.visited_on BETWEEN '2016-01-01' AND '2016-12-31') THEN ah.household_id END)
         / COUNT(DISTINCT ah.household_id) AS val
  FROM responsibility_assignmenthousehold ah JOIN responsibility_assignment a ON a.id = ah.assignment_id
  WHERE a.year = 2016 GROUP BY a.person_id),
spot AS (
  SELECT a.person_id, 100.0 * SUM(CASE WHEN f.result = 'in_place' THEN 1 ELSE 0 END) / COUNT(*) AS val
  FROM verification_finding f JOIN verification_spotcheckpick p ON p.id = f.pick_id
  JOIN verification_spotcheckplan pl ON pl.id = p.plan_id JOIN responsibility_assignment a ON a.id = p.assignment_id
  WHERE pl.year = 2016 AND pl.status = 'closed' GROUP BY a.person_id),
ent AS (
  SELECT s.person_id, MAX(CASE WHEN i.code = 'democratic' THEN s.score END) AS dem,
         MAX(CASE WHEN i.code = 'satisfaction' THEN s.score END) AS sat
  FROM cadres_cadrescore s JOIN cadres_cadreindicator i ON i.id = s.indicator_id
  WHERE i.year = 2016 AND i.role = 'first_secretary' GROUP BY s.person_id),
tr AS (
  SELECT t.person_id, 100.0 AS val FROM cadres_attendance t JOIN cadres_trainingsession ts ON ts.id = t.session_id
  WHERE ts.year = 2016 GROUP BY t.person_id)
SELECT d.person_id,
       ROUND((20 * COALESCE(led.val, 100) + 15 * COALESCE(vis.val, 100) + 15 * COALESCE(spot.val, 100)
             + 10 * 100 + 10 * COALESCE(tr.val, 0) + 10 * COALESCE(rec.val, 100) + 10 * ent.dem + 10 * ent.sat)
             / 100.0, 2) AS total
FROM d
LEFT JOIN led ON led.person_id = d.person_id LEFT JOIN rec ON rec.person_id = d.person_id
LEFT JOIN vis ON vis.person_id = d.person_id LEFT JOIN spot ON spot.person_id = d.person_id
LEFT JOIN ent ON ent.person_id = d.person_id LEFT JOIN tr ON tr.person_id = d.person_id
WHERE EXISTS (SELECT 1 FROM responsibility_assignment a WHERE a.year = 2016 AND a.person_id = d.person_id)
ORDER BY total DESC, d.person_id
"""


def build(n: int) -> None:
    """The data set, set-based (bulk inserts in batches)."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from wuzaicun.cadres.models import Attendance, CadreScore, Dispatch, TrainingSession
    from wuzaicun.cadres.services.grading import ensure_indicator_set
    from wuzaicun.regions.models import Region
    from wuzaicun.registry.models import Household, Person, Unit
    from wuzaicun.responsibility.models import (
        Assignment,
        AssignmentHousehold,
        LedgerLine,
        Reconciliation,
        Visit,
    )
    from wuzaicun.verification.models import Finding, SpotCheckPick, SpotCheckPlan

    b = 5000
    province = Region.objects_unscoped.create(code="520000000000", name="贵州省", level=1)
    city = Region.objects_unscoped.create(code="520300000000", name="遵义市", level=2, parent=province)
    county = Region.objects_unscoped.create(code="520302000000", name="红花岗区", level=3, parent=city)
    towns = Region.objects_unscoped.bulk_create([Region(code=f"520302{t:03d}000", name=f"镇{t}", level=4, parent=county)
                                                 for t in range(1, 51)])
    villages = Region.objects_unscoped.bulk_create(
        [Region(code=f"520302{t:03d}{v:03d}", name=f"村{t}-{v}", level=5, parent=towns[t - 1])
         for t in range(1, 51) for v in range(1, 101)], batch_size=b)
    unit = Unit.objects_unscoped.create(name="省委组织部", region=county)
    people = Person.objects_unscoped.bulk_create(
        [Person(name=f"干部{i}", resident_id_sealed=b"-", resident_id_hash=f"h{i:08d}", resident_id_masked="520302********0000",
                sex="男", region=county, rank="乡科级") for i in range(n)], batch_size=b)
    if not people[0].pk:
        people = list(Person.objects_unscoped.order_by("pk"))
    Dispatch.objects_unscoped.bulk_create(
        [Dispatch(person=p, kind="first_secretary", unit=unit, village=villages[i % len(villages)],
                  start=dt.date(2015, 3, 1)) for i, p in enumerate(people)], batch_size=b)
    Assignment.objects_unscoped.bulk_create(
        [Assignment(year=YEAR, kind="stationed", person=p, village=villages[i % len(villages)], stationed_post="第一书记")
         for i, p in enumerate(people)], batch_size=b)
    entries = list(Assignment.objects_unscoped.order_by("pk").values_list("pk", "person_id"))
    LedgerLine.objects_unscoped.bulk_create(
        [LedgerLine(assignment_id=a, year=YEAR, commitment="发展特色产业", status=("locked", "fulfilled", "locked")[i % 3],
                    spot_check_result="not_in_place" if i % 17 == 0 else "") for i, (a, _) in enumerate(entries)],
        batch_size=b)
    lines = list(LedgerLine.objects_unscoped.order_by("pk").values_list("pk", flat=True))

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))

    Reconciliation.objects_unscoped.bulk_create(
        [Reconciliation(line_id=line, quarter=q, on_track=(i + q) % 5 != 0, narrative="进展",
                        submitted_at=at(dt.date(YEAR, 3 * q + 1, 1 + (i * 7 + q) % 28)))
         for i, line in enumerate(lines) for q in (1, 2)], batch_size=b)
    homes = Household.objects_unscoped.bulk_create(
        [Household(head_name=f"户主{i}", resident_id_sealed=b"-", resident_id_hash=f"k{i:08d}",
                   resident_id_masked="520302********0000", members=3, status="未脱贫", identified_year=2014,
                   cause="因病", income_per_head=2300, region=villages[i % len(villages)]) for i in range(n // 2)],
        batch_size=b)
    if not homes[0].pk:
        homes = list(Household.objects_unscoped.order_by("pk"))
    AssignmentHousehold.objects_unscoped.bulk_create(
        [AssignmentHousehold(assignment_id=entries[2 * i][0], household=h) for i, h in enumerate(homes)], batch_size=b)
    Visit.objects_unscoped.bulk_create(
        [Visit(person_id=entries[2 * i][1], household=h, visited_on=dt.date(YEAR, 5, 1), activity="走访")
         for i, h in enumerate(homes) if i % 4], batch_size=b)
    plan = SpotCheckPlan.objects_unscoped.create(
        year=YEAR, quarter=2, region=county, rate=Decimal("0.1"), status="closed", seed_sealed=b"-",
        seed_commitment="0" * 64, population_hash="0" * 64, population_size=len(entries), pick_count=len(entries) // 10)
    SpotCheckPick.objects_unscoped.bulk_create(
        [SpotCheckPick(plan=plan, assignment_id=a, stratum="驻村") for a, _ in entries[::10]], batch_size=b)
    Finding.objects_unscoped.bulk_create(
        [Finding(pick_id=p, visited_on=dt.date(YEAR, 6, 1), result=("in_place", "mostly", "not_in_place")[i % 3],
                 notes="检查") for i, p in enumerate(SpotCheckPick.objects_unscoped.order_by("pk").values_list("pk", flat=True))],
        batch_size=b)
    session = TrainingSession.objects_unscoped.create(
        name="第一书记脱贫攻坚专题培训班", level="county", region=county, organiser="中共红花岗区委组织部",
        topic="精准扶贫", start=dt.date(YEAR, 6, 1), end=dt.date(YEAR, 6, 3), year=YEAR, target_groups=["dispatched"])
    Attendance.objects_unscoped.bulk_create(  # two cadres in three trained this year
        [Attendance(session=session, person=p) for i, p in enumerate(people) if i % 3], batch_size=b)
    rows = {r.code: r for r in ensure_indicator_set(year=YEAR, role="first_secretary")}
    CadreScore.objects_unscoped.bulk_create(
        [CadreScore(indicator=rows[code], person=p, score=Decimal(60 + (i * 7 + k) % 40))
         for i, p in enumerate(people) for k, code in enumerate(("democratic", "satisfaction"))], batch_size=b)


def measure(n: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        build(n)
    built = time.perf_counter() - started

    from wuzaicun.cadres.models import CadreGrade
    from wuzaicun.cadres.selectors.grading import indicator_set
    from wuzaicun.cadres.services.grading import grade_cadres
    from wuzaicun.core.indicators import person_indicator
    from wuzaicun.core.operator import OPERATOR

    out: dict[str, Any] = {"backend": connection.vendor, "cadres": n, "build_s": round(built, 1),
                           "load": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    for label in ("cold", "warm"):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            started, cpu = time.perf_counter(), time.process_time()
            run = grade_cadres(actor=OPERATOR, year=YEAR, role="first_secretary")
            out[f"{label}_s"] = round(time.perf_counter() - started, 2)
            out[f"{label}_cpu_s"] = round(time.process_time() - cpu, 2)
        writes = sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")))
        out[f"{label}_queries"] = len(ctx.captured_queries)
        out[f"{label}_writes"] = writes
    out["graded"] = run.graded
    out["skipped"] = run.skipped
    out["counts"] = run.counts
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(HAND_SQL)
        hand = cursor.fetchall()
        out["limit_s"] = round(time.perf_counter() - started, 2)
    out["limit_rows"] = len(hand)
    stored = dict(CadreGrade.objects_unscoped.values_list("person_id", "total"))
    out["agree_with_limit"] = sum(1 for pk, total in hand if total is not None and stored.get(pk) is not None
                                  and abs(float(stored[pk]) - float(total)) < 0.011)
    # the ORM's obvious peer: each cadre's indicators one cadre at a time (a provider per indicator, per cadre)
    rows = [r for r in indicator_set(YEAR, "first_secretary") if r.provider and person_indicator(r.provider)]
    sample = list(CadreGrade.objects_unscoped.order_by("person_id").values_list("person_id", flat=True)[:SAMPLE])
    started = time.perf_counter()
    for pk in sample:
        for r in rows:
            provider = person_indicator(r.provider)
            assert provider is not None
            provider.compute(YEAR, [pk])
        list(CadreGrade.objects_unscoped.filter(person_id=pk).values_list("total"))
    per = (time.perf_counter() - started) / len(sample)
    out["orm_per_cadre_ms"] = round(per * 1000, 2)
    out["orm_extrapolated_s"] = round(per * n, 1)
    return out


def child(backend: str, n: int, pg_url: str) -> dict[str, Any]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="wuzaicun.settings", PYTHONPATH=str(ROOT / "src"))
    cleanup = None
    with tempfile.TemporaryDirectory() as tmp:
        env["WUZAICUN_DATA_DIR"] = tmp
        env.pop("DATABASE_URL", None)
        if backend == "postgresql":
            base, _, _ = pg_url.rpartition("/")
            name = f"bench_grading_{os.getpid()}"
            subprocess.run(["psql", pg_url, "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
            env["DATABASE_URL"] = f"{base}/{name}"
            cleanup = (pg_url, name)
        try:
            done = subprocess.run([sys.executable, __file__, "--child", "--cadres", str(n)], env=env, check=True,
                                  capture_output=True, text=True)
        finally:
            if cleanup:
                subprocess.run(["psql", cleanup[0], "-c", f"DROP DATABASE IF EXISTS {cleanup[1]}"], capture_output=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def report(r: dict[str, Any]) -> None:
    print(f"\n== {r['backend']}: {r['cadres']:,} 第一书记 (data built in {r['build_s']} s; load average "
          f"{r['load']})")
    print(f"product grade_cadres  cold {r['cold_s']} s (this process's CPU {r['cold_cpu_s']} s; {r['cold_queries']} "
          f"queries, {r['cold_writes']} writes), warm {r['warm_s']} s (CPU {r['warm_cpu_s']} s; {r['warm_queries']} "
          f"queries, {r['warm_writes']} writes); "
          f"reads = {r['cold_queries'] - r['cold_writes']} queries whatever N")
    print(f"  grades: {r['counts']}; indicators skipped (not registered on this build): {r['skipped'] or '—'}")
    print(f"limit  one hand-written SQL of the same aggregates: {r['limit_s']} s ({r['limit_rows']:,} rows; "
          f"{r['agree_with_limit']:,} totals agree with the product's)")
    print(f"ORM's obvious peer  {r['orm_per_cadre_ms']} ms a cadre on {SAMPLE}, extrapolated: ≈ {r['orm_extrapolated_s']} s")
    print(f"ratios  product(warm) ÷ limit = {r['warm_s'] / max(r['limit_s'], 0.01):.1f} ×; "
          f"ORM peer ÷ product(warm) = {r['orm_extrapolated_s'] / max(r['warm_s'], 0.01):.0f} ×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--cadres", type=int, default=50_000)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.cadres), ensure_ascii=False, default=str))
        return
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        report(child(backend, args.cadres, args.pg_url))


if __name__ == "__main__":
    main()
