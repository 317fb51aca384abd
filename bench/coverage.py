"""Benchmark: the full coverage report at province scale, on SQLite and on PostgreSQL.

    python bench/coverage.py [--backend sqlite|postgresql|both] [--pg-url URL] [--reuse] [--scale province|city]

Builds `wuzaicun synth --scale province` (≈ 9,000 poor villages, ≈ 1.3 M households, ≥ 4 M 助村 links)
in a scratch database, then times `coverage_report` for the whole province, counts its SQL queries,
and times one county's coverage page as a county user sees it. Prints the figures.
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

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COUNTY = "520302000000"


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


MEASURE = r"""
import json, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wuzaicun.accounts.models import User
from wuzaicun.core.operator import OPERATOR
from wuzaicun.regions.models import Region
from wuzaicun.registry.models import Household
from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.responsibility.models import AssignmentHousehold
from wuzaicun.regions.models import VillageYear

out = {
    "poor_villages": VillageYear.objects_unscoped.filter(year=2016, is_poor=True).count(),
    "households": Household.objects_unscoped.count(),
    "helper_links": AssignmentHousehold.objects_unscoped.filter(assignment__kind="helper").count(),
}
for attempt in ("cold", "warm"):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = coverage_report(OPERATOR, year=2016)
        out[f"full_{attempt}_s"] = round(time.perf_counter() - started, 2)
    out["full_queries"] = len(queries.captured_queries)
out["gaps"] = len(report.gaps)
with CaptureQueriesContext(connection) as queries:
    coverage_report(OPERATOR, year=2016, region="COUNTY_CODE")
out["county_queries"] = len(queries.captured_queries)
user = User.objects_unscoped.filter(username="bench_county").first()
if user is None:
    user = User(username="bench_county", role="county_admin", scope=Region.objects_unscoped.get(code="COUNTY_CODE"))
    user.set_unusable_password()
    user.save()
client = Client()
client.force_login(user)
client.get("/responsibility/coverage/?year=2016")
started = time.perf_counter()
page = client.get("/responsibility/coverage/?year=2016")
out["county_page_s"] = round(time.perf_counter() - started, 3)
out["county_page_status"] = page.status_code
print(json.dumps(out))
""".replace("COUNTY_CODE", COUNTY)


def bench(backend: str, scale: str, pg_url: str, reuse: bool) -> dict[str, object]:
    data_dir = Path(tempfile.gettempdir()) / f"wzc-bench-coverage-{backend}-{scale}"
    data_dir.mkdir(exist_ok=True)
    env = _env(backend, data_dir, pg_url)
    figures: dict[str, object] = {"backend": backend, "scale": scale}
    fresh = not reuse or not (data_dir / "built").exists()
    if fresh:
        if backend == "sqlite":
            (data_dir / "wuzaicun.sqlite3").unlink(missing_ok=True)
        else:
            _run(["flush", "--noinput"], env) if (data_dir / "built").exists() else None
        _run(["migrate", "-v0"], env)
        figures["synth_s"] = round(_run(["synth", "--scale", scale, "--seed", "2016", "--year", "2016"], env), 1)
        (data_dir / "built").write_text("ok")
    result = subprocess.run([PYTHON, "-c", MEASURE], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    figures.update(json.loads(result.stdout.strip().splitlines()[-1]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--scale", choices=("province", "city"), default="province")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/bench_coverage")
    parser.add_argument("--reuse", action="store_true", help="reuse a database built by an earlier run")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    if "postgresql" in backends:
        name = args.pg_url.rsplit("/", 1)[1]
        subprocess.run(["psql", args.pg_url.rsplit("/", 1)[0] + "/postgres", "-qc", f"CREATE DATABASE {name}"],
                       capture_output=True, check=False)
    for backend in backends:
        figures = bench(backend, args.scale, args.pg_url, args.reuse)
        print(f"[{backend}] " + "  ".join(f"{k}={v}" for k, v in figures.items()), flush=True)


if __name__ == "__main__":
    main()
