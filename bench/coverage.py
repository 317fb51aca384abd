"""Benchmark: the full coverage report at province scale, on SQLite and on PostgreSQL.

    python bench/coverage.py [--backend sqlite|postgresql|both] [--pg-url URL] [--reuse] [--scale province|city]
                             [--data-dir DIR]

Builds `wuzaicun synth --scale province` (≈ 9,000 poor villages, ≈ 1.3 M households, ≥ 4 M 助村 links)
in a scratch database (or uses the one already built in `--data-dir`, or at `--pg-url` with `--reuse`),
then times `coverage_report` for the whole province, counts its SQL queries, times each rule alone, and
times one county's coverage page as a county user sees it. Beside the product's time for
`household_helpers_min3` it times, on the same database, the best hand-written SQL for the same question:
counted from the links (aggregate, then left join: the shape the rule had before D17) and read from the
stored counts (`HouseholdHelpers`, what the rule reads now), each with the count of poor households the
rule also reports. Prints the figures, then the rule against the hand SQL side by side.
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
PYTHON = sys.executable
COUNTY = "520302000000"
YEAR = 2016

# The best hand-written SQL for household_helpers_min3 (../shared/PERFORMANCE.md: aggregate the links, then
# left join the poor households; a correlated COUNT(DISTINCT) ran for minutes), and the same over the counts.
FROM_LINKS = f"""
SELECT h.id, h.region_id, h.head_name, h.resident_id_masked, COALESCE(c.n, 0)
FROM registry_household h LEFT JOIN (
  SELECT l.household_id AS household_id, COUNT(DISTINCT a.person_id) AS n
  FROM responsibility_assignmenthousehold l
  JOIN responsibility_assignment a ON a.id = l.assignment_id
  JOIN registry_person p ON p.id = a.person_id
  WHERE a.year = {YEAR} AND a.kind = 'helper' AND p.political_status IN ('中共党员', '中共预备党员')
  GROUP BY l.household_id
) c ON c.household_id = h.id
WHERE h.status = '未脱贫' AND COALESCE(c.n, 0) < 3 ORDER BY h.region_id, h.id"""  # noqa: S608 - constants
FROM_COUNTS = f"""
SELECT h.id, h.region_id, h.head_name, h.resident_id_masked, COALESCE(c.helpers, 0)
FROM registry_household h
LEFT JOIN responsibility_householdhelpers c ON c.household_id = h.id AND c.year = {YEAR}
WHERE h.status = '未脱贫' AND COALESCE(c.helpers, 0) < 3 ORDER BY h.region_id, h.id"""  # noqa: S608 - constants
POOR = "SELECT COUNT(*) FROM registry_household WHERE status = '未脱贫'"


def _env(backend: str, data_dir: Path, pg_url: str) -> dict[str, str]:
    env = dict(os.environ, WUZAICUN_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="wuzaicun.settings",
               ALLOWED_HOSTS="testserver,localhost")
    env.pop("DATABASE_URL", None)
    if backend == "postgresql":
        env["DATABASE_URL"] = pg_url
    return env


def _run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, "-m", "wuzaicun.manage", *args], env=env, check=True, cwd=ROOT)
    return time.perf_counter() - started


def measure() -> dict[str, Any]:
    """In the child process, against the database of its environment: every figure, as a dict."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.accounts.models import User
    from wuzaicun.core.db import roomy_queries
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.regions.models import Region, VillageYear
    from wuzaicun.registry.models import Household
    from wuzaicun.responsibility.coverage import CHECKS, coverage_report
    from wuzaicun.responsibility.models import AssignmentHousehold
    from wuzaicun.responsibility.rules import effective_rules
    from wuzaicun.responsibility.selectors import due_date, rule_settings

    out: dict[str, Any] = {
        "poor_villages": VillageYear.objects_unscoped.filter(year=YEAR, is_poor=True).count(),
        "households": Household.objects_unscoped.count(),
        "helper_links": AssignmentHousehold.objects_unscoped.filter(assignment__kind="helper").count(),
    }
    for attempt in ("cold", "warm"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = coverage_report(OPERATOR, year=YEAR)
            out[f"full_{attempt}_s"] = round(time.perf_counter() - started, 2)
        out["full_queries"] = len(queries.captured_queries)
    out["gaps"] = len(report.gaps)
    out["helper_gaps"] = sum(g.rule == "household_helpers_min3" for g in report.gaps)
    due = due_date(YEAR)
    for rule in effective_rules(rule_settings(YEAR)):
        if rule.enabled:
            with roomy_queries():  # as the report runs them
                started = time.perf_counter()
                _checked, found = CHECKS[rule.spec.code](OPERATOR, YEAR, None, rule, due)
                list(found)
                out[f"rule.{rule.spec.code}_s"] = round(time.perf_counter() - started, 2)

    def hand(sql: str) -> tuple[float, int]:
        with roomy_queries(), connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql)
            rows = cursor.fetchall()
            return time.perf_counter() - started, len(rows)

    poor_s = hand(POOR)[0]
    seconds, out["hand_links_gaps"] = hand(FROM_LINKS)
    out["hand_links_s"] = round(seconds + poor_s, 2)
    if "responsibility_householdhelpers" in connection.introspection.table_names():
        seconds, out["hand_counts_gaps"] = hand(FROM_COUNTS)
        out["hand_counts_s"] = round(seconds + poor_s, 2)
    with CaptureQueriesContext(connection) as queries:
        coverage_report(OPERATOR, year=YEAR, region=COUNTY)
    out["county_queries"] = len(queries.captured_queries)
    user = User.objects_unscoped.filter(username="bench_county").first()
    if user is None:
        user = User(username="bench_county", role="county_admin", scope=Region.objects_unscoped.get(code=COUNTY))
        user.set_unusable_password()
        user.save()
    client = Client()
    client.force_login(user)
    client.get(f"/responsibility/coverage/?year={YEAR}")
    started = time.perf_counter()
    page = client.get(f"/responsibility/coverage/?year={YEAR}")
    out["county_page_s"] = round(time.perf_counter() - started, 3)
    out["county_page_status"] = page.status_code
    return out


def bench(backend: str, scale: str, pg_url: str, reuse: bool, data_dir: Path | None) -> dict[str, Any]:
    built = data_dir is not None
    data_dir = data_dir or Path(tempfile.gettempdir()) / f"wzc-bench-coverage-{backend}-{scale}"
    data_dir.mkdir(exist_ok=True)
    env = _env(backend, data_dir, pg_url)
    figures: dict[str, Any] = {"backend": backend, "scale": scale}
    fresh = not built and not (reuse and (backend == "postgresql" or (data_dir / "built").exists()))
    if fresh:
        if backend == "sqlite":
            (data_dir / "wuzaicun.sqlite3").unlink(missing_ok=True)
        else:
            _run(["flush", "--noinput"], env) if (data_dir / "built").exists() else None
        _run(["migrate", "-v0"], env)
        figures["synth_s"] = round(_run(["synth", "--scale", scale, "--seed", "2016", "--year", str(YEAR)], env), 1)
        (data_dir / "built").write_text("ok")
    result = subprocess.run([PYTHON, __file__, "--measure"], env=env, cwd=ROOT, check=True, capture_output=True,
                            text=True)
    figures.update(json.loads(result.stdout.strip().splitlines()[-1]))
    return figures


def side_by_side(f: dict[str, Any]) -> str:
    """The rule against the best hand SQL on the same database, and the whole report."""
    rule = f["rule.household_helpers_min3_s"]
    lines = [f"  household_helpers_min3: 产品 {rule:.2f} 秒（缺口 {f['helper_gaps']}）；"
             f"手写 SQL 由关联计数 {f['hand_links_s']:.2f} 秒（缺口 {f['hand_links_gaps']}，产品为其 "
             f"{f['hand_links_s'] / rule:.0%} 速度）"]
    if "hand_counts_s" in f:
        lines.append(f"  手写 SQL 读已存计数 {f['hand_counts_s']:.2f} 秒（缺口 {f['hand_counts_gaps']}，"
                     f"产品为其 {f['hand_counts_s'] / rule:.0%} 速度）")
    lines.append(f"  整份报告 {f['full_warm_s']:.2f} 秒（冷 {f['full_cold_s']:.2f} 秒，{f['full_queries']} 条查询）")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--scale", choices=("province", "city"), default="province")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/bench_coverage")
    parser.add_argument("--reuse", action="store_true", help="reuse a database built by an earlier run")
    parser.add_argument("--data-dir", type=Path, help="use the SQLite database already built in this folder")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    if "postgresql" in backends and not args.reuse:
        name = args.pg_url.rsplit("/", 1)[1]
        subprocess.run(["psql", args.pg_url.rsplit("/", 1)[0] + "/postgres", "-qc", f"CREATE DATABASE {name}"],
                       capture_output=True, check=False)
    for backend in backends:
        figures = bench(backend, args.scale, args.pg_url, args.reuse,
                        args.data_dir if backend == "sqlite" else None)
        print(f"[{backend}] " + "  ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
        print(side_by_side(figures), flush=True)


if __name__ == "__main__":
    main()
