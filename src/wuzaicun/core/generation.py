"""The data generation (数据代次), kept per table: numbers that change with every committed write to business data.

Database triggers bump them, so no write path can forget it: form saves, the tabular engine's bulk path (COPY and
`executemany`), synth, deletes, raw SQL, other apps' tasks (docs/insight.md, I40–I42, I47).

- Each business table has `TABLE_SLOTS` counter rows in `core_tablegeneration`; a table's stamp is their sum plus
  the base (the sum of `core_datageneration`, moved only by `advance` and by `one_bump_for_bulk`). The stamp of
  everything (`current()`) is the base plus every table's rows. A cached figure keeps the stamps of the tables it
  read (`stamps()`, one query), so a write recomputes only what reads the written table.
- PostgreSQL: one statement-level trigger (`AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ... FOR EACH
  STATEMENT`) on every business table bumps one of the table's counter rows, once per transaction and table (a
  transaction-local setting per table remembers it). The row is chosen with `FOR UPDATE SKIP LOCKED`, so concurrent
  writers to one table do not queue behind one another's counter row (a long import would otherwise hold every
  form save on its table until it commits). Every committed bump adds one, a rolled-back one nothing.
- SQLite has only row triggers: `AFTER INSERT / UPDATE / DELETE ... FOR EACH ROW` bump the table's slot 0 (one
  writer at a time, so no contention; the cost per row is measured in `bench/dashboard.py`).

The triggers are (re)installed after every `migrate` (and after a test flush), on every table of the installed
apps except those in `NOT_BUSINESS`, so a new app's tables are covered without anyone remembering it; SQLite's
table rebuilds (which drop triggers) are covered the same way. Every `migrate` also moves the base forward to at
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

TABLE = "core_datageneration"  # the base
SLOTS = 16
TABLES = "core_tablegeneration"  # the tables' own counters
TABLE_SLOTS = 8  # PG_FUNCTION below spells out TABLES and TABLE_SLOTS
TRIGGER = "wuzaicun_generation"  # PostgreSQL: one trigger of this name per table
SQLITE_TRIGGER = "wzgt_{op}_{table}"  # SQLite: trigger names are global, one per operation and table
SQLITE_LEGACY = "wzgen_"  # SQLite triggers of the single counter (before I47): dropped by `install`
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
  flag text := 'wuzaicun.bumped_' || TG_TABLE_NAME;
  mark text := 'e' || coalesce(current_setting('wuzaicun.read_epoch', true), '');
  chosen smallint;
BEGIN
  IF current_setting(flag, true) = mark THEN
    RETURN NULL;  -- this transaction has bumped this table already (since it last read the stamps)
  END IF;
  SELECT slot INTO chosen FROM core_tablegeneration WHERE name = TG_TABLE_NAME
    ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF chosen IS NULL THEN
    chosen := pg_backend_pid() % 8;  -- every slot held by a writing transaction (or none yet): wait for one
  END IF;
  INSERT INTO core_tablegeneration (name, slot, n) VALUES (TG_TABLE_NAME, chosen, 1)
    ON CONFLICT (name, slot) DO UPDATE SET n = core_tablegeneration.n + 1;
  PERFORM set_config(flag, mark, true);
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
        if tables:
            rows = [(table, slot) for table in tables for slot in range(TABLE_SLOTS)]
            cursor.execute(
                f"INSERT INTO {TABLES} (name, slot, n) VALUES {', '.join(['(%s, %s, 0)'] * len(rows))} "  # noqa: S608
                "ON CONFLICT (name, slot) DO NOTHING", [value for row in rows for value in row])
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
            cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE t.tgname = %s AND c.relnamespace = 'public'::regnamespace", [TRIGGER])
            have = {row[0] for row in cursor.fetchall()}
            for table in tables:
                if table not in have:
                    for statement in trigger_sql(connection, table):
                        cursor.execute(statement)
                        created += 1
        elif connection.vendor == "sqlite":
            for name in _sqlite_triggers(cursor, SQLITE_LEGACY):
                cursor.execute(f"DROP TRIGGER {quote(name)}")
            have = set(_sqlite_triggers(cursor, "wzgt_"))
            for table in tables:
                for op, statement in zip(SQLITE_OPS, trigger_sql(connection, table), strict=True):
                    if SQLITE_TRIGGER.format(op=op, table=table) not in have:
                        cursor.execute(statement)
                        created += 1
    return created


def trigger_sql(connection: BaseDatabaseWrapper, table: str) -> list[str]:
    """The statements that put the generation's trigger(s) on `table` (PostgreSQL: one; SQLite: one per
    operation, in `SQLITE_OPS` order). The table's counter rows are `install`'s (PostgreSQL creates a missing one)."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        return [f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION wuzaicun_bump_generation()"]
    bump = f"UPDATE {TABLES} SET n = n + 1 WHERE name = '{table}' AND slot = 0"  # noqa: S608
    return [f"CREATE TRIGGER {quote(SQLITE_TRIGGER.format(op=op, table=table))} AFTER {event} ON {quote(table)} "
            f"BEGIN {bump}; END" for op, event in SQLITE_OPS.items()]


def _sqlite_triggers(cursor: Any, prefix: str) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'",
                   [prefix.replace("_", "\\_") + "%"])
    return [row[0] for row in cursor.fetchall()]


@contextmanager
def one_bump_for_bulk(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Inside one transaction that writes millions of rows (synth): on SQLite, whose triggers fire per row, drop
    them for the block and put them back with one bump of the base at its end (every table's stamp moves), in the
    same transaction (no other connection ever sees them missing); on PostgreSQL (statement triggers) nothing
    to do."""
    if connection.vendor != "sqlite" or TABLE not in connection.introspection.table_names():
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in _sqlite_triggers(cursor, "wzgt_") + _sqlite_triggers(cursor, SQLITE_LEGACY):
            cursor.execute(f"DROP TRIGGER {quote(name)}")
    try:
        yield
    finally:
        install(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET n = n + 1 WHERE slot = 0")  # noqa: S608


# On PostgreSQL reading the stamps starts a new "read epoch" for this transaction: a transaction that reads the
# stamps and then writes bumps again, so it never reads the same stamps over other data (a test runs as one
# transaction; in production a request's writes are their own transactions, and reads come after them).
_NEW_EPOCH = "set_config('wuzaicun.read_epoch', md5(random()::text), true)"


def current(using: str = DEFAULT_DB_ALIAS) -> int:
    """The stamp of all business data: one query. 0 when the counter rows are missing (callers then must not
    trust a cache)."""
    connection = connections[using]
    forget = f", {_NEW_EPOCH}" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT SUM(n) FROM {TABLE}) + COALESCE((SELECT SUM(n) FROM {TABLES}), 0){forget}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


BASE = ""  # in `stamps()`: the base itself, under a name no table has


def stamps(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Each business table's stamp (the base plus its counter rows), and the base under `BASE`: one query.
    Empty when the counter rows are missing (callers then must not trust a cache). Whoever keeps stamps keeps
    the base too: `advance` moves it past every earlier value, so nothing kept before a restore matches after."""
    connection = connections[using]
    forget = f", {_NEW_EPOCH}" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t.name, SUM(t.n) + b.n, b.n{forget} FROM {TABLES} t, "  # noqa: S608
                       f"(SELECT SUM(n) AS n FROM {TABLE}) b WHERE b.n IS NOT NULL GROUP BY t.name, b.n")
        rows = cursor.fetchall()
    return {row[0]: int(row[1]) for row in rows} | ({BASE: int(rows[0][2])} if rows else {})


def advance(connection: BaseDatabaseWrapper) -> int:
    """Move the base forward so that every table's stamp, and so the whole stamp, is at least now in
    microseconds (at least by one); returns the new whole stamp."""
    now = time.time_ns() // 1000
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT SUM(n) FROM {TABLE}")  # noqa: S608
        base = int(cursor.fetchone()[0] or 0)
        cursor.execute(f"SELECT MIN(s) FROM (SELECT SUM(n) AS s FROM {TABLES} GROUP BY name) t")  # noqa: S608
        least = int(cursor.fetchone()[0] or 0)
        cursor.execute(f"UPDATE {TABLE} SET n = n + %s WHERE slot = 0", [max(1, now - least - base)])  # noqa: S608
    return current(connection.alias)


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, apps: Any = global_apps, **kwargs: Any) -> None:
    """post_migrate (and after a test flush): install what is missing, then move the stamp forward."""
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return  # migrated backwards past the counter
    install(connection)
    advance(connection)
