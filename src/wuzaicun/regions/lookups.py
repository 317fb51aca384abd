"""`code__within="5203"`: a region-code prefix as an index-friendly range (prefix <= code < prefix + ':').

Codes are digit strings and ':' sorts right after '9', so the range holds exactly the codes that start
with the prefix. Unlike LIKE 'prefix%' (which SQLite's case-insensitive LIKE cannot serve from an
index), a range uses the B-tree index on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup


@models.CharField.register_lookup
class Within(Lookup):  # type: ignore[type-arg]
    lookup_name = "within"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)  # any text is safe: codes are digits, so a non-digit prefix matches nothing
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, *lhs_params, prefix + ":"]
