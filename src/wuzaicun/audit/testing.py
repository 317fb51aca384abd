"""Test helpers for the audit table's triggers (never used by the application)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_triggers = importlib.import_module("wuzaicun.audit.migrations.0003_refuse_changes")


def around_flush(vendor: str) -> tuple[list[str], list[str]]:
    """Statements run before and after a test flush so that it may empty the audit table."""
    if vendor == "postgresql":
        return ["SET session_replication_role = replica"], ["SET session_replication_role = origin"]
    if vendor == "sqlite":
        return ["DROP TRIGGER IF EXISTS audit_refuse_update", "DROP TRIGGER IF EXISTS audit_refuse_delete"], \
            list(_triggers.SQLITE_INSTALL[1:])
    return [], []


@contextmanager
def triggers_off() -> Iterator[None]:
    """Tamper with audit rows in a test (as someone with the table owner's rights could)."""
    before, after = around_flush(connection.vendor)
    with connection.cursor() as cursor:
        for statement in before:
            cursor.execute(statement)
        try:
            yield
        finally:
            for statement in after:
                cursor.execute(statement)
