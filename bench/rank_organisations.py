"""Benchmark: the yearly 倒排 ranking of every village party organisation at province scale (≈ 18,000 villages).

    python bench/rank_organisations.py [--backend sqlite|postgresql|both] [--data-dir DIR] [--pg-url URL]

Uses a database already built with `wuzaicun synth --scale province` (SQLite in `--data-dir`, PostgreSQL at
`--pg-url`); a database built before the rectification step existed gets its 民主评议 scores first. In one
child process per backend, on the same data and the same indicator set (上年度考核、民主评议、台账兑现率、
季度抽查、帮扶全覆盖, default weights; the weights are set inside a transaction that is rolled back, so the
database is left as it was), it times:
- the product: `compute_ranking` for the whole province, cold and warm, with its number of SQL queries, on the
  five indicators the hand-written SQL also computes, and once more as shipped (the default weights: every
  indicator registered, 集体经济收入 and 组织保障达标 included where the database has their data);
- the limit: the best hand-written SQL computing the same composite (each indicator aggregated once, joined to
  the villages, the weighted mean of the known values, ordered by the tie rule) — one statement;
- the ORM's obvious peer: the same indicators asked village by village (five queries a village), timed on a
  sample and extrapolated to every village (labelled as such);
and prints the ratios, and whether the three agree on the bottom 1,200.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2016
COUNT = 1200
SAMPLE = 20
USED = {"previous_assessment": 30, "democratic_score": 20, "ledger_fulfilment": 15, "spot_check_findings": 10,
        "household_coverage": 10}

# Each indicator as the registry computes it (no value → NULL for the two entered ones, 100 for the others),
# then the weighted mean of the known values, rounded to the cent, ordered as the page orders it.
HAND_SQL = f"""
WITH v AS (SELECT code FROM regions_region WHERE level = 5),
prev AS (SELECT subject_id AS code, total AS val FROM verification_assessmentresult WHERE year = {YEAR - 1}),
dem AS (SELECT village_id AS code, score AS val FROM organization_democraticscore WHERE year = {YEAR}),
led AS (
  SELECT a.village_id AS code,
         ROUND(100.0 * SUM(CASE WHEN l.status = 'fulfilled' OR (l.status IN ('locked', 'draft')
               AND NOT l.spot_check_result = 'not_in_place') THEN 1 ELSE 0 END) / COUNT(*), 2) AS val
  FROM responsibility_ledgerline l JOIN responsibility_assignment a ON a.id = l.assignment_id
  WHERE l.year = {YEAR} GROUP BY a.village_id),
spot AS (
  SELECT a.village_id AS code,
         ROUND((100.0 * SUM(CASE WHEN f.result = 'in_place' THEN 1 ELSE 0 END)
               + 70.0 * SUM(CASE WHEN f.result = 'mostly' THEN 1 ELSE 0 END)) / COUNT(*), 2) AS val
  FROM verification_finding f JOIN verification_spotcheckpick p ON p.id = f.pick_id
  JOIN verification_spotcheckplan pl ON pl.id = p.plan_id JOIN responsibility_assignment a ON a.id = p.assignment_id
  WHERE pl.year = {YEAR} AND pl.status = 'closed' GROUP BY a.village_id),
cov AS (
  SELECT h.region_id AS code,
         ROUND(100.0 * SUM(CASE WHEN c.helpers >= 3 THEN 1 ELSE 0 END) / COUNT(*), 2) AS val
  FROM registry_household h
  LEFT JOIN responsibility_householdhelpers c ON c.household_id = h.id AND c.year = {YEAR}
  WHERE h.status = '未脱贫' GROUP BY h.region_id),
j AS (
  SELECT v.code, prev.val AS prev, dem.val AS dem, COALESCE(led.val, 100) AS led, COALESCE(spot.val, 100) AS spot,
         COALESCE(cov.val, 100) AS cov
  FROM v LEFT JOIN prev ON prev.code = v.code LEFT JOIN dem ON dem.code = v.code LEFT JOIN led ON led.code = v.code
  LEFT JOIN spot ON spot.code = v.code LEFT JOIN cov ON cov.code = v.code)
SELECT code, COALESCE(ROUND((30 * COALESCE(prev, 0) + 20 * COALESCE(dem, 0) + 15 * led + 10 * spot + 10 * cov)
       / (CASE WHEN prev IS NULL THEN 0 ELSE 30 END + CASE WHEN dem IS NULL THEN 0 ELSE 20 END + 35), 2), 100) AS score,
       dem, prev
FROM j ORDER BY score, COALESCE(dem, 100), COALESCE(prev, 100), code"""  # noqa: S608 - constants


def measure() -> dict[str, Any]:
    """In the child process, against the database of its environment: every figure, as a dict."""
    import django

    django.setup()
    from decimal import Decimal

    from django.db import connection, transaction
    from django.db.models import Count, Q
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.organization.models.rectification import DemocraticScore, RankingWeight
    from wuzaicun.organization.rules.rectification import RANKING_INDICATORS
    from wuzaicun.organization.selectors.rectification import compute_ranking
    from wuzaicun.regions.models import Region, VillageYear
    from wuzaicun.registry.models import Household
    from wuzaicun.responsibility.models import HouseholdHelpers, LedgerLine
    from wuzaicun.verification.models import AssessmentResult, Finding

    out: dict[str, Any] = {"villages": Region.objects_unscoped.filter(level=5).count()}
    if not DemocraticScore.objects_unscoped.filter(year=YEAR).exists():  # built before the rectification step
        import random

        weak = set(VillageYear.objects_unscoped.filter(year=YEAR, is_weak_organisation=True).values_list(
            "village_id", flat=True))
        rng = random.Random(YEAR)
        DemocraticScore.objects_unscoped.bulk_create([
            DemocraticScore(village_id=c, year=YEAR, score=Decimal(rng.randint(300, 650) if c in weak else
                                                                   rng.randint(680, 1000)) / 10)
            for c in Region.objects_unscoped.filter(level=5).values_list("code", flat=True)], batch_size=5000)
        out["prepared_scores"] = True

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            RankingWeight.objects_unscoped.filter(year=YEAR).delete()
            RankingWeight.objects_unscoped.bulk_create([
                RankingWeight(year=YEAR, code=i.code, weight=USED.get(i.code, 0), enabled=i.code in USED)
                for i in RANKING_INDICATORS])
            for attempt in ("cold", "warm"):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    ranking = compute_ranking(OPERATOR, year=YEAR, region=None, count=COUNT)
                    out[f"product_{attempt}_s"] = round(time.perf_counter() - started, 3)
                out["product_queries"] = len(queries.captured_queries)
            assert set(ranking.used) == set(USED), ranking.used
            product_bottom = [r.code for r in ranking.rows[:COUNT]]
            # The product as shipped: the default weights, every registered indicator the database has data for.
            RankingWeight.objects_unscoped.filter(year=YEAR).delete()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                full = compute_ranking(OPERATOR, year=YEAR, region=None, count=COUNT)
                out["full_default_s"] = round(time.perf_counter() - started, 3)
            out["full_default_queries"] = len(queries.captured_queries)
            out["full_default_indicators"] = len(full.used)
            raise Rollback
    except Rollback:
        pass

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(HAND_SQL)
        rows = cursor.fetchall()
        out["hand_sql_s"] = round(time.perf_counter() - started, 3)
    hand_bottom = [r[0] for r in rows[:COUNT]]
    out["bottom_agree_hand"] = len(set(hand_bottom) & set(product_bottom))

    # The ORM's obvious peer: each indicator asked per village.
    codes = [r.code for r in ranking.rows]
    sample = codes[:: max(1, len(codes) // SAMPLE)][:SAMPLE]
    good = Q(status="fulfilled") | (Q(status__in=["locked", "draft"]) & ~Q(spot_check_result="not_in_place"))
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for code in sample:
            AssessmentResult.objects_unscoped.filter(year=YEAR - 1, subject_id=code).values_list("total").first()
            DemocraticScore.objects_unscoped.filter(year=YEAR, village_id=code).values_list("score").first()
            LedgerLine.objects_unscoped.filter(year=YEAR, assignment__village_id=code).aggregate(
                n=Count("id"), good=Count("id", filter=good))
            Finding.objects_unscoped.filter(pick__plan__year=YEAR, pick__plan__status="closed",
                                            pick__assignment__village_id=code).aggregate(
                **{k: Count("id", filter=Q(result=k)) for k in ("in_place", "mostly", "not_in_place")})
            poor = Household.objects_unscoped.filter(region_id=code, status="未脱贫")
            poor.aggregate(n=Count("id"), helped=Count("id", filter=Q(pk__in=HouseholdHelpers.objects_unscoped.filter(
                year=YEAR, helpers__gte=3, household__region_id=code).values("household_id"))))
        seconds = time.perf_counter() - started
    out["peer_sample"] = len(sample)
    out["peer_sample_s"] = round(seconds, 3)
    out["peer_queries_per_village"] = round(len(queries.captured_queries) / len(sample), 1)
    out["peer_extrapolated_s"] = round(seconds / len(sample) * len(codes), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/provdb"),  # noqa: S108 - the brief's shared build
                        help="the SQLite province database")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/provdb")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        env = dict(os.environ, WUZAICUN_DATA_DIR=str(args.data_dir), DJANGO_SETTINGS_MODULE="wuzaicun.settings",
                   PYTHONPATH=str(ROOT / "src"))
        env.pop("DATABASE_URL", None)
        if backend == "postgresql":
            env["DATABASE_URL"] = args.pg_url
        result = subprocess.run([sys.executable, __file__, "--measure"], env=env, cwd=ROOT, check=True,
                                capture_output=True, text=True)
        f = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"[{backend}] " + "  ".join(f"{k}={v}" for k, v in f.items()), flush=True)
        product = f["product_warm_s"]
        print(f"  产品 compute_ranking：{product:.2f} 秒（冷 {f['product_cold_s']:.2f} 秒），{f['product_queries']} 条查询，"
              f"{f['villages']} 个村党组织", flush=True)
        print(f"  产品（默认指标与权重，{f['full_default_indicators']} 项指标）：{f['full_default_s']:.2f} 秒，"
              f"{f['full_default_queries']} 条查询", flush=True)
        print(f"  极限（手写 SQL，一条语句）：{f['hand_sql_s']:.2f} 秒；产品为其 {product / f['hand_sql_s']:.1f} 倍耗时；"
              f"倒排前 {COUNT} 名一致 {f['bottom_agree_hand']} 个", flush=True)
        print(f"  ORM 逐村查询（抽样 {f['peer_sample']} 村实测 {f['peer_sample_s']:.2f} 秒，每村 "
              f"{f['peer_queries_per_village']} 条查询，按 {f['villages']} 村外推）：约 {f['peer_extrapolated_s']:.1f} 秒；"
              f"为产品的 {f['peer_extrapolated_s'] / product:.0f} 倍", flush=True)


if __name__ == "__main__":
    main()
