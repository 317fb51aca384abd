"""The schema carries no index that another already serves (D51): the national year is ≈ 95 GB, and every
index is written by every COPY of the synth and every import."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models


def _leading_fields(model: type[models.Model]) -> set[str]:
    """Fields that lead an index or a unique constraint of two or more columns that holds for every row."""
    leads: set[str] = set()
    for index in model._meta.indexes:
        if len(index.fields) > 1 and index.condition is None:
            leads.add(index.fields[0].lstrip("-"))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and len(constraint.fields) > 1 \
                and constraint.condition is None:
            leads.add(constraint.fields[0])
    leads.update(fields[0] for fields in model._meta.unique_together)
    return leads


def test_no_foreign_key_keeps_an_index_that_a_composite_one_leads_with():
    ours = [m for m in apps.get_models() if m.__module__.startswith("wuzaicun.") and not m._meta.auto_created]
    assert len(ours) > 50
    doubled = [f"{m._meta.label}.{f.name}" for m in ours for f in m._meta.local_fields
               if isinstance(f, models.ForeignKey) and f.db_index and f.name in _leading_fields(m)]
    assert doubled == []


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["registry_household", "registry_person"])
def test_a_resident_id_digest_has_one_index_and_it_is_unique(table):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    on_digest = [c for c in found.values() if c["columns"] == ["resident_id_hash"] and (c["index"] or c["unique"])]
    assert len(on_digest) == 1 and on_digest[0]["unique"]
