"""Benchmark: the coverage report before and with the four 三个全覆盖 codes of 选派, on SQLite and PostgreSQL.

    python bench/cadres_coverage.py [--backend sqlite|postgresql|both] [--data-dir DIR] [--pg-url URL]
                                    [--province-dir DIR] [--province-pg-url URL]

Uses databases already built with `wuzaicun synth --scale city` (or `wuzaicun demo`): SQLite in `--data-dir`,
PostgreSQL at `--pg-url`; and the province ones when they exist (`--province-dir`, `--province-pg-url`,
the shared build of bench/rank_organisations.py). A database built before the dispatches step existed gets
it run first (the same step as `wuzaicun synth`). In one child process per database it times, best of
three after a warm-up:
- the report as it was (every rule registered before 选派: the four codes taken out of the registry) and
  the report with them, and the ratio (the issue's aim: at most +20 %);
- each of the four rules alone, with its number of SQL queries (one each);
- the limit: the best hand-written SQL for `village_group_poor` (the same rows: the poor villages not exited,
  each with an EXISTS on an active working group, fetched), and the ORM's obvious way (one `exists()` a village), timed on a
  sample and extrapolated to every village checked (labelled as such);
and prints the figures with the ratios and the dispatch figures of the data (dispatched, groups, villages).
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
CODES = ("village_group_poor", "village_group_weak", "village_group_ethnic", "village_first_secretary")
SAMPLE = 50
HAND_SQL = f"""
SELECT vy.village_id, r.name, EXISTS (
         SELECT 1 FROM cadres_workinggroup g WHERE g.village_id = vy.village_id
         AND g.start <= %s AND (g."end" IS NULL OR g."end" >= %s)) AS covered
FROM regions_villageyear vy JOIN regions_region r ON r.code = vy.village_id
WHERE vy.year = {YEAR} AND vy.is_poor AND (vy.exit_year IS NULL OR vy.exit_year > {YEAR})
ORDER BY vy.village_id"""  # noqa: S608 - constants


def _best(run: Any, times: int = 3) -> float:
    run()
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def measure() -> dict[str, Any]:
    """In the child process, against the database of its environment: every figure, as a dict."""
    import django

    django.setup()
    import datetime as dt

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from wuzaicun.cadres.models import Dispatch, WorkingGroup
    from wuzaicun.cadres.rules.dispatch import checked_day
    from wuzaicun.core.db import roomy_queries
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.regions.models import VillageYear
    from wuzaicun.responsibility import coverage
    from wuzaicun.responsibility.rules import RULES_BY_CODE, EffectiveRule

    out: dict[str, Any] = {}
    if not Dispatch.objects_unscoped.exists():
        out["dispatches_step_s"] = round(_run_step(), 1)
    out["dispatched"] = Dispatch.objects_unscoped.count()
    out["groups"] = WorkingGroup.objects_unscoped.count()
    out["group_villages"] = WorkingGroup.objects_unscoped.values("village_id").distinct().count()
    out["villages"] = VillageYear.objects_unscoped.filter(year=YEAR).count()

    def report() -> Any:
        return coverage.coverage_report(OPERATOR, year=YEAR)

    with CaptureQueriesContext(connection) as queries:
        found = report()
    out["with_queries"] = len(queries.captured_queries)
    out["new_gaps"] = {code: found.summary[code]["gaps"] for code in CODES}
    out["new_checked"] = {code: found.summary[code]["checked"] for code in CODES}
    without = {code: (coverage.CHECKS[code], RULES_BY_CODE[code]) for code in CODES}

    def before() -> Any:  # the registry as it was before 选派: the four codes taken out for the run
        for code in CODES:
            coverage.CHECKS.pop(code)
            RULES_BY_CODE.pop(code)
        try:
            return report()
        finally:
            for code, (check, spec) in without.items():
                coverage.CHECKS[code], RULES_BY_CODE[code] = check, spec

    with CaptureQueriesContext(connection) as queries:
        before()
    out["before_queries"] = len(queries.captured_queries)
    # alternated, best of five each: the machine is shared, so drift hits both sides alike
    timed: dict[str, float] = {"before": float("inf"), "with": float("inf")}
    for _ in range(5):
        for name, run in (("before", before), ("with", report)):
            started = time.perf_counter()
            run()
            timed[name] = min(timed[name], time.perf_counter() - started)
    out["before_s"], out["with_s"] = round(timed["before"], 3), round(timed["with"], 3)
    out["ratio"] = round(out["with_s"] / out["before_s"], 3)
    due = dt.date(YEAR, 3, 1)
    for code in CODES:
        rule = EffectiveRule(RULES_BY_CODE[code], True, None)

        def one(code: str = code, rule: EffectiveRule = rule) -> None:
            with roomy_queries():
                _checked, gaps = coverage.CHECKS[code](OPERATOR, YEAR, None, rule, due)
                list(gaps)

        with CaptureQueriesContext(connection) as queries:  # the rule's own queries (no session settings)
            _checked, gaps = coverage.CHECKS[code](OPERATOR, YEAR, None, rule, due)
            list(gaps)
        out[f"rule.{code}_queries"] = len(queries.captured_queries)
        out[f"rule.{code}_s"] = round(_best(one), 4)
    day = checked_day(YEAR, timezone.localdate())

    def hand() -> None:
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, [day, day])
            cursor.fetchall()

    out["hand_poor_s"] = round(_best(hand), 4)
    poor = list(VillageYear.objects_unscoped.filter(year=YEAR, is_poor=True).exclude(exit_year__lte=YEAR)
                .values_list("village_id", "village__name"))
    sample = poor[:SAMPLE]

    def obvious() -> None:  # the ORM's obvious way: ask each village
        for village, _name in sample:
            WorkingGroup.objects_unscoped.filter(village_id=village, start__lte=day).exclude(end__lt=day).exists()

    with transaction.atomic():
        out["obvious_poor_s_extrapolated"] = round(_best(obvious, 1) * len(poor) / max(1, len(sample)), 4)
    return out


def _run_step() -> float:
    """The dispatches step on a database built before it existed (as `wuzaicun synth` runs it)."""
    from django.db import transaction

    from wuzaicun.cadres.synth.dispatch import generate_dispatches
    from wuzaicun.core.synth import new_context
    from wuzaicun.regions.synth import load_regions, load_village_facts
    from wuzaicun.registry.synth import generate_units, load_people

    started = time.perf_counter()
    scale = os.environ.get("BENCH_SCALE", "city")
    ctx = new_context(scale=scale, seed=2016, year=YEAR)
    load_regions(ctx)
    load_village_facts(ctx)
    with transaction.atomic():
        generate_units(ctx)
        load_people(ctx)
        generate_dispatches(ctx)
    return time.perf_counter() - started


def bench(label: str, env: dict[str, str]) -> dict[str, Any] | None:
    result = subprocess.run([sys.executable, __file__, "--measure"], env=env, cwd=ROOT, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        print(f"[{label}] 失败：{result.stderr.strip().splitlines()[-1:]}", flush=True)
        return None
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def show(label: str, f: dict[str, Any]) -> None:
    print(f"[{label}] 选派 {f['dispatched']:,} 人次，驻村工作组 {f['groups']:,} 个（{f['group_villages']:,} 个村），"
          f"村 {f['villages']:,} 个" + (f"（先补跑选派步骤 {f['dispatches_step_s']} 秒）" if "dispatches_step_s" in f else ""))
    added = sum(f[f"rule.{code}_s"] for code in CODES)
    print(f"  覆盖报告：原有规则 {f['before_s']:.3f} 秒（{f['before_queries']} 条查询）；加上四条 {f['with_s']:.3f} 秒"
          f"（{f['with_queries']} 条查询）；比值 {f['ratio']:.2f}（目标 ≤ 1.20）；"
          f"四条规则单独合计 {added:.3f} 秒，为原报告的 {added / f['before_s']:.1%}")
    for code in CODES:
        print(f"  {code}: {f[f'rule.{code}_s']:.4f} 秒，{f[f'rule.{code}_queries']} 条查询，"
              f"检查 {f['new_checked'][code]} 个村，缺口 {f['new_gaps'][code]}")
    rule = f["rule.village_group_poor_s"]
    print(f"  village_group_poor 对照：手写 SQL {f['hand_poor_s']:.4f} 秒（产品为其 {f['hand_poor_s'] / rule:.0%} 速度）；"
          f"ORM 逐村查询（按 {SAMPLE} 个村外推）{f['obvious_poor_s_extrapolated']:.4f} 秒"
          f"（产品快 {f['obvious_poor_s_extrapolated'] / rule:.1f} 倍）", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/dispatchdemo"),  # noqa: S108 - a local build
                        help="the SQLite city database (wuzaicun demo or synth --scale city)")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/dispatch_city")
    parser.add_argument("--province-dir", type=Path, default=Path("/tmp/provdb"))  # noqa: S108 - the shared build
    parser.add_argument("--province-pg-url", default="postgres://postgres@127.0.0.1:5432/provdb")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return
    base = dict(os.environ, DJANGO_SETTINGS_MODULE="wuzaicun.settings", PYTHONPATH=str(ROOT / "src"))
    base.pop("DATABASE_URL", None)
    runs: list[tuple[str, dict[str, str]]] = []
    for scale, folder, url in (("city", args.data_dir, args.pg_url), ("province", args.province_dir,
                                                                      args.province_pg_url)):
        if args.backend in ("sqlite", "both") and (folder / "wuzaicun.sqlite3").exists():
            runs.append((f"sqlite {scale}", base | {"WUZAICUN_DATA_DIR": str(folder), "BENCH_SCALE": scale}))
        if args.backend in ("postgresql", "both"):
            probe = subprocess.run(["psql", url, "-qAtc", "SELECT 1 FROM regions_region LIMIT 1"], capture_output=True,
                                   text=True, check=False)
            if probe.returncode == 0 and probe.stdout.strip() == "1":
                runs.append((f"postgresql {scale}", base | {"DATABASE_URL": url, "BENCH_SCALE": scale,
                                                            "WUZAICUN_DATA_DIR": str(folder)}))
            else:
                print(f"[postgresql {scale}] 未找到已建好的数据库（{url}），跳过", flush=True)
    for label, env in runs:
        if (figures := bench(label, env)) is not None:
            show(label, figures)


if __name__ == "__main__":
    main()
