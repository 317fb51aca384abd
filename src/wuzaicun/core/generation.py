"""The data generation (数据代次): one number that changes with every committed write to business data.

Database triggers bump it, so no write path can forget it: form saves, the tabular engine's bulk path (COPY and
`executemany`), synth, deletes, raw SQL, other apps' tasks (docs/insight.md, I40–I42).

- PostgreSQL: one statement-level trigger (`AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ... FOR EACH
  STATEMENT`) on every business table bumps one of `SLOTS` counter rows, once per transaction (a
  transaction-local setting remembers it). The row is chosen with `FOR UPDATE SKIP LOCKED`, so concurrent
  writers do not queue behind one another's counter row (a long import would otherwise hold every form save
  until it commits). The stamp is the rows' sum: every committed bump adds one, a rolled-back one nothing.
- SQLite has only row triggers: `AFTER INSERT / UPDATE / DELETE ... FOR EACH ROW` bump slot 0 (one writer at a
  time, so no contention; the cost per row is measured in `bench/dashboard.py`).

The triggers are (re)installed after every `migrate` (and after a test flush), on every table of the installed
apps except those in `NOT_BUSINESS`, so a new app's tables are covered without anyone remembering it; SQLite's
table rebuilds (which drop triggers) are covered the same way. Every `migrate` also moves the stamp forward to at
least the current time in microseconds: a database restored from a backup and migrated never meets a stamp it
had before (cached figures of the other timeline).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "core_datageneration"
SLOTS = 16  # PG_FUNCTION below spells out TABLE and SLOTS
TRIGGER = "wuzaicun_generation"  # PostgreSQL: one trigger of this name per table
SQLITE_TRIGGER = "wzgen_{op}_{table}"  # SQLite: trigger names are global, one per operation and table
SQLITE_OPS = {"i": "INSERT", "u": "UPDATE", "d": "DELETE"}

# Apps whose tables hold no business data: accounts, sessions, logins, permissions, the audit trail (written on
# reads too), and the counter itself. Every other app's tables (and their many-to-many tables) are business data.
# Not business data: a login, a job's progress (written every half second while one runs), a queued task or a
# second factor changes no figure, and bumping on them would throw the cached figures away for nothing.
NOT_BUSINESS = frozenset({
    "admin", "auth", "contenttypes", "sessions", "axes", "audit", "accounts", "core",
    "jobs", "django_tasks", "django_tasks_database", "django_rq", "otp_totp", "otp_static", "django_otp",
})

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION wuzaicun_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  chosen smallint;
BEGIN
  IF current_setting('wuzaicun.generation_bumped', true) = '1' THEN
    RETURN NULL;  -- this transaction has bumped already
  END IF;
  SELECT slot INTO chosen FROM core_datageneration ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF chosen IS NULL THEN
    chosen := pg_backend_pid() % 16;  -- every slot held by a writing transaction: wait for one
  END IF;
  UPDATE core_datageneration SET n = n + 1 WHERE slot = chosen;
  PERFORM set_config('wuzaicun.generation_bumped', '1', true);
  RETURN NULL;
END
$$;
"""


def business_tables(connection: BaseDatabaseWrapper, app_registry: Any = global_apps) -> list[str]:
    """The tables of business data that exist in the database."""
    existing = set(connection.introspection.table_names())
    tables = {
        model._meta.db_table
        for model in app_registry.get_models(include_auto_created=True)
        if model._meta.app_label not in NOT_BUSINESS and model._meta.managed and not model._meta.proxy
    }
    return sorted(tables & existing)


def install(connection: BaseDatabaseWrapper, app_registry: Any = global_apps) -> int:
    """Create the counter rows and the triggers missing on business tables; returns the triggers created."""
    quote = connection.ops.quote_name
    tables = business_tables(connection, app_registry)
    created = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (slot, n) VALUES {', '.join(f'({s}, 0)' for s in range(SLOTS))} "  # noqa: S608
            "ON CONFLICT (slot) DO NOTHING")
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
            cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE t.tgname = %s AND c.relnamespace = 'public'::regnamespace", [TRIGGER])
            have = {row[0] for row in cursor.fetchall()}
            for table in tables:
                if table not in have:
                    cursor.execute(f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                                   f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION wuzaicun_bump_generation()")
                    created += 1
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'wzgen\\_%' ESCAPE '\\'")
            have = {row[0] for row in cursor.fetchall()}
            for table in tables:
                for op, event in SQLITE_OPS.items():
                    name = SQLITE_TRIGGER.format(op=op, table=table)
                    if name not in have:
                        bump = f"UPDATE {TABLE} SET n = n + 1 WHERE slot = 0"  # noqa: S608
                        cursor.execute(f"CREATE TRIGGER {quote(name)} AFTER {event} ON {quote(table)} BEGIN {bump}; END")
                        created += 1
    return created


@contextmanager
def one_bump_for_bulk(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Inside one transaction that writes millions of rows (synth): on SQLite, whose triggers fire per row, drop
    them for the block and put them back with one bump at its end, in the same transaction (no other connection
    ever sees them missing); on PostgreSQL (statement triggers) nothing to do."""
    if connection.vendor != "sqlite" or TABLE not in connection.introspection.table_names():
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'wzgen\\_%' ESCAPE '\\'")
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER {quote(name)}")
    try:
        yield
    finally:
        install(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET n = n + 1 WHERE slot = 0")  # noqa: S608


def current(using: str = DEFAULT_DB_ALIAS) -> int:
    """The stamp: one query. 0 when the counter rows are missing (callers then must not trust a cache).

    On PostgreSQL the same query forgets this transaction's "bumped already": a transaction that reads the
    stamp and then writes bumps again, so it never reads the same stamp over other data (a test runs as one
    transaction; in production a request's writes are their own transactions, and reads come after them)."""
    connection = connections[using]
    forget = ", set_config('wuzaicun.generation_bumped', '', true)" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT SUM(n){forget} FROM {TABLE}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


def advance(connection: BaseDatabaseWrapper) -> int:
    """Move the stamp forward to at least now in microseconds (at least by one); returns the new stamp."""
    stamp = current(connection.alias)
    target = max(stamp + 1, time.time_ns() // 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET n = n + %s WHERE slot = 0", [target - stamp])  # noqa: S608
    return target


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, apps: Any = global_apps, **kwargs: Any) -> None:
    """post_migrate (and after a test flush): install what is missing, then move the stamp forward."""
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return  # migrated backwards past the counter
    install(connection)
    advance(connection)
