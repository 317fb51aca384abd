"""干群结亲 follow their household (D46).

A pairing keeps its household's village (`KinPairing.village`) so that its scope and its counts read the pairings
alone. A trigger on the households puts a moved household's new village on its pairings, in the statement that
moved it, whatever wrote it (the household form, an import, the API, raw SQL): no write path can forget it.
Installed after every `migrate` (SQLite drops a table's triggers when a migration rebuilds it).
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

FOLLOW = "UPDATE resources_kinpairing SET village_id = NEW.region_id WHERE household_id = NEW.id"

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION wuzaicun_kin_follow_household() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {FOLLOW};
    RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS wuzaicun_kin_follow ON registry_household",
    "CREATE TRIGGER wuzaicun_kin_follow AFTER UPDATE OF region_id ON registry_household FOR EACH ROW "
    "WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id) EXECUTE FUNCTION wuzaicun_kin_follow_household()",
]

SQLITE = [
    "DROP TRIGGER IF EXISTS wzkin_follow",
    "CREATE TRIGGER wzkin_follow AFTER UPDATE OF region_id ON registry_household "
    f"WHEN OLD.region_id IS NOT NEW.region_id BEGIN {FOLLOW}; END",
]


def install(connection: BaseDatabaseWrapper) -> None:
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(connection.vendor, [])
    if "resources_kinpairing" not in connection.introspection.table_names():
        return  # migrated backwards past the pairings
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install(connections[using])
