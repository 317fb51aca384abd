"""干群结亲 follow their household (D46).

A pairing keeps its household's village (`KinPairing.village`) so that its scope and its counts read the pairings
alone. A trigger on the households puts a moved household's new village on its pairings, in the statement that
moved it, whatever wrote it (the household form, an import, the API, raw SQL): no write path can forget it.
Removed before every `migrate` and installed after it (SQLite drops a table's triggers when a migration
rebuilds it, and cannot rebuild a table another trigger names).
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

FOLLOW = "UPDATE resources_kinpairing SET village_id = NEW.region_id WHERE household_id = NEW.id"

DROP = {
    "postgresql": ["DROP TRIGGER IF EXISTS wuzaicun_kin_follow ON registry_household"],
    "sqlite": ["DROP TRIGGER IF EXISTS wzkin_follow"],
}

CREATE = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION wuzaicun_kin_follow_household() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {FOLLOW};
    RETURN NULL;
END $$""",
        "CREATE TRIGGER wuzaicun_kin_follow AFTER UPDATE OF region_id ON registry_household FOR EACH ROW "
        "WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id) EXECUTE FUNCTION wuzaicun_kin_follow_household()",
    ],
    "sqlite": [
        "CREATE TRIGGER wzkin_follow AFTER UPDATE OF region_id ON registry_household "
        f"WHEN OLD.region_id IS NOT NEW.region_id BEGIN {FOLLOW}; END",
    ],
}


def remove(connection: BaseDatabaseWrapper) -> None:
    """Before a migrate: a trigger naming the pairings would stop SQLite from rebuilding either table (it renames
    a copy into place), and a backward migrate may take the column away."""
    if "registry_household" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for statement in DROP.get(connection.vendor, []):
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper) -> None:
    """After a migrate: the trigger, where the pairings have their village."""
    remove(connection)
    if "resources_kinpairing" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "resources_kinpairing")}
        if "village_id" not in columns:
            return  # migrated back before D46
        for statement in CREATE.get(connection.vendor, []):
            cursor.execute(statement)


def before_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    remove(connections[using])


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install(connections[using])
