"""Audit chain costs: `python bench/audit_chain.py [ROWS]` appends ROWS audit rows (one transaction each, as
services do) and times `verify` over the whole chain. Uses DATABASE_URL or a throw-away SQLite file."""

from __future__ import annotations

import os
import sys
import tempfile
import time

if "DATABASE_URL" not in os.environ:
    os.environ["WUZAICUN_DATA_DIR"] = tempfile.mkdtemp(prefix="audit-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402


def main(rows: int) -> None:
    call_command("migrate", verbosity=0)
    from wuzaicun.audit.chain import verify
    from wuzaicun.audit.services import record

    started = time.perf_counter()
    for i in range(rows):
        with transaction.atomic():
            record(actor=None, action="update", region_code="520302001001", summary=f"第{i}次修改",
                   changes={"名称": ["旧", f"新{i}"], "人数": [i, i + 1]})
    appended = time.perf_counter() - started
    started = time.perf_counter()
    verdict = verify()
    checked = time.perf_counter() - started
    print(f"appended {rows} rows in {appended:.2f} s ({appended / rows * 1000:.2f} ms each); "
          f"verify {verdict.checked} rows in {checked:.2f} s ({verdict.checked / checked:,.0f} rows/s), ok={verdict.ok}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
