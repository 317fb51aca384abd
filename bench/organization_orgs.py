"""Benchmark: the orgs area's pages, API lists, coverage rule and export at city (or province) scale.

    python bench/organization_orgs.py [--scale city|province] [--database-url URL] [--reuse]

Builds `wuzaicun synth --scale SCALE --seed 2016 --year 2016` in a scratch SQLite file (or uses the database at
`--database-url` as it is with `--reuse`), then, as the city administrator, times each list page of the area
(first page and a deep page), the committee tabs, the social tabs, an organisation's detail page, the
`village_supervisory_committee` coverage check and the `organizations` export, with their SQL query counts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="city", choices=("city", "province"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-orgs-')}/db.sqlite3"
    env = os.environ | {"DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    if not args.reuse:
        for command in (["migrate", "-v0"], ["synth", "--scale", args.scale, "--seed", "2016", "--year", "2016"]):
            subprocess.run([sys.executable, "-m", "wuzaicun.manage", *command], env=env, check=True, cwd=ROOT)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    measure()


def measure() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.accounts.models import User
    from wuzaicun.accounts.scope import scoped
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.organization.coverage.orgs import _villages_without_committee
    from wuzaicun.organization.models.orgs import PartyOrganisation
    from wuzaicun.regions.models import Region
    from wuzaicun.tabular.engine import export_to_csv
    from wuzaicun.tabular.registry import get_template
    from wuzaicun.tabular.spec import ExportContext

    user = User.objects.filter(username="bench_city").first()
    if user is None:
        user = User(username="bench_city", role="city_admin", scope=scoped(Region, OPERATOR).get(code="520300000000"),
                    full_name="基准测试")
        user.set_unusable_password()
        user.save()
    client = Client()
    client.force_login(user)
    top = scoped(PartyOrganisation, OPERATOR).filter(parent__isnull=True).order_by("pk").first()
    urls = ["/organization/orgs/", "/organization/orgs/?page=100", "/organization/orgs/?category=village",
            "/organization/committees/?year=2016", "/organization/committees/?tab=without",
            "/organization/social/?year=2016", "/organization/social/?tab=stations&year=2016",
            "/organization/social/?tab=services&year=2016", "/api/organization/orgs?page_size=100",
            "/api/organization/committees/missing"]
    if top is not None:
        urls.append(f"/organization/orgs/{top.pk}/")
    client.get(urls[0], SERVER_NAME="localhost")  # warm-up: templates, URL resolver
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            status = client.get(url, SERVER_NAME="localhost").status_code
            seconds = time.perf_counter() - started
        print(f"{status} {seconds * 1000:8.0f} ms {len(queries):3d} 条SQL  {url}")
    started = time.perf_counter()
    checked, gaps = _villages_without_committee(OPERATOR, 2016, None, None, None)  # type: ignore[arg-type]
    count = sum(1 for _ in gaps)
    print(f"coverage village_supervisory_committee: 检查 {checked}，缺口 {count}，{time.perf_counter() - started:.2f} 秒")
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=True) as handle:
        rows = export_to_csv(get_template("organizations"), ExportContext(actor=OPERATOR), Path(handle.name))
    print(f"export organizations: {rows} 行，{time.perf_counter() - started:.2f} 秒")


if __name__ == "__main__":
    main()
