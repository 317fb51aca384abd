"""Database helpers that differ by vendor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction


@contextmanager
def roomy_queries(megabytes: int = 256) -> Iterator[None]:
    """Give report-sized aggregate queries room on PostgreSQL (work_mem, this transaction only).

    With the default 4 MB, an `IN (subquery)` over hundreds of thousands of rows is not hashed and
    runs as a nested loop, and DISTINCT counts spill to disk; the reports' single queries need more.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{int(megabytes)}MB'")
            # A report reads every row of its `iterator()` (a server-side cursor), so plan for all of them,
            # not the first tenth: the helper-count rule's left join ran 1.6 s as a nested loop, 0.9 s hashed.
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        yield


def in_own_transaction(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True inside an `atomic()` block that is not one a test case opened around the test."""
    return any(not getattr(block, "_from_testcase", False) for block in connections[using].atomic_blocks)
