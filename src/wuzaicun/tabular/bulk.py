"""Set-based writes for imports and synthetic data: COPY on PostgreSQL, executemany elsewhere.

Model instances and bulk_create cost about three times the insert itself at a million rows
(see docs/decisions.md); imports validate every row first, so the insert can be plain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from wuzaicun.core.db_router import note_write

# A million-row import inserts into a unique index of random keys (the resident-ID blind index); with
# SQLite's default 2 MB page cache each insert then reads and spills pages, and the import slows to a
# third. Measured at 1M households (csv, rows/s, peak MB): 2 MB 12k; 64 MB 15k, 261; 128 MB 20k, 337;
# 192 MB 23–25k, 412. The pages are only allocated as they are used, so small imports stay small.
SQLITE_IMPORT_CACHE_KIB = 192 * 1024


@contextmanager
def bulk_session() -> Iterator[None]:
    """Database settings for one large import, restored afterwards (SQLite: a larger page cache)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    note_write()  # past the ORM: the replica router must know this request wrote
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with connection.wrap_database_errors, raw.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:  # a broken constraint is Django's IntegrityError, as from executemany
                    copy.write_row(row)
                    count += 1
        else:
            batch = list(rows)
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({cols}) VALUES ({placeholders})", batch)  # noqa: S608
            count = len(batch)
    return count


def rows_by_key(table: str, key: str, columns: Sequence[str], keys: Sequence[Any]) -> dict[Any, tuple[Any, ...]]:
    """{key: (columns…)} of the rows whose `key` is among `keys`: one query per batch, no model instances."""
    if not keys:
        return {}
    quote = connection.ops.quote_name
    selected = ", ".join(quote(c) for c in (key, *columns))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {selected} FROM {quote(table)} WHERE {quote(key)} = ANY(%s)", [list(keys)])  # noqa: S608
        else:
            placeholders = ", ".join(["%s"] * len(keys))
            cursor.execute(f"SELECT {selected} FROM {quote(table)} WHERE {quote(key)} IN ({placeholders})", keys)  # noqa: S608
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def update_rows(
    table: str, key: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, bump_version: bool = False
) -> int:
    """UPDATE table SET columns WHERE key = last value of each row; `bump_version` also adds 1 to `version`,
    so an edit form holding the old version is refused (optimistic locking) instead of overwriting."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    if bump_version:
        assignments += f", {quote('version')} = {quote('version')} + 1"
    batch = list(rows)
    if batch:
        note_write()
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {quote(table)} SET {assignments} WHERE {quote(key)} = %s", batch)  # noqa: S608
    return len(batch)
