"""Tallies (计数汇总, D47): a big table's rows counted per village and a few small whole-number dimensions, kept by
database triggers, so that a figure over a province or the nation reads a few rows per village instead of tens of
millions of rows (干群结亲, 贫困户; docs/scale.md).

A tally is a model deriving from `Tally`: it names the table it counts (`counted`), the counted table's column
holding the village (`village_column`) and its dimensions (`dimensions`: columns of small whole numbers, a year;
NULL is counted as 0), which are also the tally's own fields. Every tally found among the installed models gets
the same triggers; nothing else writes a tally but `rebuild` and `fold`.

- **PostgreSQL**: statement triggers with transition tables (one grouped INSERT per statement, COPY included). A
  transaction adds its counts to rows of its own (`writer` = its transaction id), so two transactions writing
  the same village never wait for each other; `fold` later adds committed transactions' rows into `writer` 0.
- **SQLite** (one writer at a time): row triggers adding ±1 to the `writer` 0 row.
- A tally's sum of `n` over any set of villages and dimensions equals the count of the counted rows there, after
  every committed write that fires triggers (forms, the tabular engine, synth, raw SQL, a TRUNCATE); what does not
  (triggers disabled, SQLite's INSERT OR REPLACE) `differences` finds and `rebuild` mends.
On SQLite removed before every `migrate` (it rebuilds tables) and installed after it, counting afresh what was
written meanwhile; on PostgreSQL they stay through a migrate.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper


class Tally(models.Model):
    """Rows of `counted` per village and dimensions: `n` of them (a sum over `writer`)."""

    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.CASCADE, related_name="+",
                                db_index=False)  # the first column of the tally's key
    writer = models.BigIntegerField("写入事务", default=0)  # 0: folded; else the PostgreSQL transaction that wrote it
    n = models.BigIntegerField("行数", default=0)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()
    counted: ClassVar[str]  # the counted model, "app_label.Model"
    village_column: ClassVar[str]  # its column holding the village's code
    dimensions: ClassVar[tuple[str, ...]]  # its whole-number columns, the tally's fields of the same names

    class Meta:
        abstract = True


def tallies() -> list[type[Tally]]:
    return [model for model in apps.get_models() if issubclass(model, Tally)]


def _names(model: type[Tally]) -> tuple[str, str, list[str]]:
    source = apps.get_model(model.counted)._meta.db_table
    return model._meta.db_table, source, list(model.dimensions)


def _key(model: type[Tally]) -> str:
    return ", ".join(["village_id", *model.dimensions, "writer"])


def _pg_statements(model: type[Tally]) -> list[str]:
    table, source, dims = _names(model)
    picked = ", ".join([model.village_column, *(f"COALESCE({d}, 0)" for d in dims)])
    groups = ", ".join(["v", *(f"d{i}" for i in range(len(dims)))])
    columns = ", ".join(["village_id", *dims, "writer", "n"])
    aliases = ", ".join(["v", *(f"d{i}" for i in range(len(dims))), "k"])

    def add(parts: list[str]) -> str:
        return f"""INSERT INTO {table} ({columns})
    SELECT {groups}, txid_current(), SUM(k) FROM ({' UNION ALL '.join(parts)}) AS delta ({aliases})
    GROUP BY {groups} HAVING SUM(k) <> 0 ORDER BY {groups}
    ON CONFLICT ({_key(model)}) DO UPDATE SET n = {table}.n + EXCLUDED.n"""  # noqa: S608

    new, old = f"SELECT {picked}, 1 FROM new_rows", f"SELECT {picked}, -1 FROM old_rows"  # noqa: S608
    # only a statement that changes a count writes the tally (an empty one, or an update of other columns, would
    # still fire the tally's generation trigger and recompute the figures that read it, I49)
    key = apps.get_model(model.counted)._meta.pk.column
    moved = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in [model.village_column, *dims])
    guards = {"i": "EXISTS (SELECT 1 FROM new_rows)", "d": "EXISTS (SELECT 1 FROM old_rows)",
              "u": f"EXISTS (SELECT 1 FROM old_rows o LEFT JOIN new_rows n ON n.{key} = o.{key} "  # noqa: S608
                   f"WHERE n.{key} IS NULL OR {moved})"}  # a row whose key changed counts as changed
    bodies = {op: f"IF {guards[op]} THEN\n        {add(parts)};\n    END IF"
              for op, parts in (("i", [new]), ("u", [new, old]), ("d", [old]))}
    # the tally locked first: a fold committing meanwhile must not leave rows this DELETE's snapshot never saw
    bodies["t"] = f"LOCK TABLE {table} IN EXCLUSIVE MODE;\n    DELETE FROM {table}"  # noqa: S608
    events = {"i": "INSERT", "u": "UPDATE", "d": "DELETE", "t": "TRUNCATE"}
    refs = {"i": "REFERENCING NEW TABLE AS new_rows", "u": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "d": "REFERENCING OLD TABLE AS old_rows", "t": ""}
    out = []
    for op, body in bodies.items():
        name = f"wztally_{table}_{op}"
        out += [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    {body};\n"
                "    RETURN NULL;\nEND $$",
                f"CREATE TRIGGER {name} AFTER {events[op]} ON {source} {refs[op]} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {name}()"]
    return out


def _sqlite_statements(model: type[Tally]) -> list[str]:
    table, source, dims = _names(model)
    columns = ", ".join(["village_id", *dims, "writer", "n"])

    def add(row: str, k: int) -> str:
        values = ", ".join([f"{row}.{model.village_column}", *(f"COALESCE({row}.{d}, 0)" for d in dims), "0",
                            str(k)])
        return (f"INSERT INTO {table} ({columns}) VALUES ({values}) "  # noqa: S608
                f"ON CONFLICT ({_key(model)}) DO UPDATE SET n = n + ({k});")

    watched = [model.village_column, *dims]
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
    return [
        f"CREATE TRIGGER wztally_{table}_i AFTER INSERT ON {source} BEGIN {add('NEW', 1)} END",
        f"CREATE TRIGGER wztally_{table}_d AFTER DELETE ON {source} BEGIN {add('OLD', -1)} END",
        f"CREATE TRIGGER wztally_{table}_u AFTER UPDATE OF {', '.join(watched)} ON {source} WHEN {changed} "
        f"BEGIN {add('OLD', -1)} {add('NEW', 1)} END",
    ]


def _present(connection: BaseDatabaseWrapper) -> list[type[Tally]]:
    """The tallies whose table and counted table both exist (a backward migrate may have taken either away)."""
    existing = set(connection.introspection.table_names())
    return [m for m in tallies() if {m._meta.db_table, apps.get_model(m.counted)._meta.db_table} <= existing]


def around_flush(connection: BaseDatabaseWrapper) -> tuple[list[str], list[str]]:
    """(before, after) a flush that empties every table (tests' teardown): the triggers dropped, so that emptying
    a counted table after the villages cannot write a count for a village already gone (SQLite deletes table by
    table), and put back on the empty tables."""
    build = {"postgresql": _pg_statements, "sqlite": _sqlite_statements}.get(connection.vendor)
    if build is None:
        return [], []
    present = _present(connection)
    drops = [f"DROP TRIGGER IF EXISTS wztally_{m._meta.db_table}_{op}"
             + (f" ON {_names(m)[1]}" if connection.vendor == "postgresql" else "")
             for m in present for op in "iudt"]
    return drops, [statement for m in present for statement in build(m)]


def remove(connection: BaseDatabaseWrapper) -> None:
    """Every tally trigger, whatever tallies the code now declares (a trigger may outlive its tally)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'wztally\\_%'")
            for name, table in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON {table}')
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'wztally\\_%' "
                           "ESCAPE '\\'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def _installed(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'wztally\\_%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'wztally\\_%' "
                           "ESCAPE '\\'")
        return {name for (name,) in cursor.fetchall()}


def install(connection: BaseDatabaseWrapper) -> None:
    """Every present tally's triggers, made again in one transaction; a tally that had none is counted afresh in
    it (the first migrate after it was added; on SQLite every migrate, which sets them aside): no write made
    while they were missing stays uncounted."""
    build = {"postgresql": _pg_statements, "sqlite": _sqlite_statements}.get(connection.vendor)
    if build is None:
        return
    with transaction.atomic(using=connection.alias):
        before = _installed(connection)
        remove(connection)
        present = _present(connection)
        with connection.cursor() as cursor:
            for model in present:
                for statement in build(model):
                    cursor.execute(statement)
        rebuild(connection.alias, [m for m in present if f"wztally_{m._meta.db_table}_i" not in before])


@contextmanager
def counted_after_bulk(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Inside one transaction that writes millions of rows (synth): on SQLite, whose triggers fire per row, the
    tallies' triggers are dropped for the block and every tally counted afresh at its end, in the same
    transaction (no other connection ever sees them missing); on PostgreSQL (statement triggers) nothing to do."""
    if connection.vendor != "sqlite":
        yield
        return
    remove(connection)
    try:
        yield
    finally:
        install(connection)  # and counts every tally afresh: their triggers were missing


def fold(using: str = DEFAULT_DB_ALIAS) -> int:
    """Add the rows of committed transactions into `writer` 0 (PostgreSQL; SQLite keeps only those): the sums
    stay the same, the rows a figure reads get fewer. Safe beside writers (their own rows are not yet visible).
    Returns the rows folded."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    folded = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for model in _present(connection):
            table, _, dims = _names(model)
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE writer <> 0)")  # noqa: S608
            if not cursor.fetchone()[0]:
                continue  # nothing to fold: no statement, so the tally's stamp stays and its figures stay cached
            groups = ", ".join(["village_id", *dims])
            cursor.execute(f"""WITH gone AS (DELETE FROM {table} WHERE writer <> 0 RETURNING {groups}, n)
                INSERT INTO {table} ({groups}, writer, n)
                SELECT {groups}, 0, SUM(n) FROM gone GROUP BY {groups} ORDER BY {groups}
                ON CONFLICT ({_key(model)}) DO UPDATE SET n = {table}.n + EXCLUDED.n""")  # noqa: S608
            folded += max(cursor.rowcount, 0)
            cursor.execute(f"DELETE FROM {table} WHERE writer = 0 AND n = 0")  # noqa: S608
    return folded


def _counted_sql(model: type[Tally]) -> str:
    _, source, dims = _names(model)
    picked = ", ".join([model.village_column, *(f"COALESCE({d}, 0)" for d in dims)])
    return (f"SELECT {picked}, COUNT(*) FROM {source} GROUP BY {picked}")  # noqa: S608


def rebuild(using: str = DEFAULT_DB_ALIAS, models: list[type[Tally]] | None = None) -> int:
    """Every tally (or those given) counted afresh from its table (after a restore of part of the data, or to
    repair): in one transaction, the counted tables locked against writes and the tallies against a fold
    meanwhile. Returns the tally rows written."""
    connection = connections[using]
    written = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for model in _present(connection) if models is None else models:
            table, source, dims = _names(model)
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {source} IN SHARE MODE")
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            cursor.execute(f"INSERT INTO {table} ({', '.join(['village_id', *dims])}, n, writer) "  # noqa: S608
                           f"SELECT *, 0 FROM ({_counted_sql(model)}) AS counted")
            written += max(cursor.rowcount, 0)
    return written


def differences(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Per tally table, how many (village, dimensions) have a sum other than a fresh count: {} when all agree."""
    connection = connections[using]
    out: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in _present(connection):
            table, _, dims = _names(model)
            groups = ", ".join(["village_id", *dims])
            names = ", ".join(["v", *(f"d{i}" for i in range(len(dims)))])
            cursor.execute(f"""WITH counted ({names}, n) AS ({_counted_sql(model)}),
                kept ({names}, n) AS (SELECT {groups}, n FROM {table})
                SELECT COUNT(*) FROM (SELECT {names} FROM (
                    SELECT * FROM kept UNION ALL SELECT {names}, -n FROM counted) AS both_
                GROUP BY {names} HAVING SUM(n) <> 0) AS wrong""")  # noqa: S608
            wrong = cursor.fetchone()[0]
            if wrong:
                out[table] = wrong
    return out


def before_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """SQLite only: it rebuilds a table by copying and renaming, which a trigger naming the table prevents. On
    PostgreSQL the triggers stay through a migrate, so writes made meanwhile by other connections are counted."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        remove(connection)


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install(connections[using])
