"""Writes to regions: loading the shipped division tree, creating and updating regions and village years."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import transaction

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import require_code_in_scope
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import diff, record
from wuzaicun.core.errors import Conflict, DomainError

from .codes import level_of, parent_code, prefix_of
from .models import Region, VillageYear
from .rules import village_year_problems

SHIPPED_DIVISIONS = Path(__file__).parent / "data" / "guizhou-divisions-2023.csv.gz"


def iter_shipped_divisions() -> Iterator[tuple[str, str]]:
    """(code, name) of the shipped 2023 Guizhou division tree, parents before children."""
    with gzip.open(SHIPPED_DIVISIONS, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            yield row[0], row[1]


def bulk_upsert_regions(rows: Iterable[tuple[str, str, str]]) -> int:
    """Insert or rename regions (code, name, urban-rural code) in order; parents must come first."""
    objects = [
        Region(code=code, name=name, level=level_of(code), parent_id=parent_code(code), urban_rural_code=urc)
        for code, name, urc in rows
    ]
    Region.objects_unscoped.bulk_create(
        objects,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "urban_rural_code"],
    )
    return len(objects)


def load_shipped_divisions(*, actor: Any, prefix: str = "") -> int:
    """Load the shipped division tree (all Guizhou, or the part under `prefix` with its ancestors)."""
    rows = [(c, n, "") for c, n in iter_shipped_divisions() if c.startswith(prefix) or _is_ancestor(c, prefix)]
    with transaction.atomic():
        count = bulk_upsert_regions(rows)
        record(actor=actor, action=Action.IMPORT, object_type="region", summary=f"载入内置区划 {count} 条")
    return count


def load_synthetic_province(*, actor: Any, province: str, seed: int = 2016, chunk: int = 20_000) -> int:
    """Load the synthetic division tree of one province other than Guizhou (country-scale synth), streamed in
    chunks so that the largest province is never held whole."""
    from .national import synthetic_province

    count = 0
    with transaction.atomic():
        batch: list[tuple[str, str, str]] = []
        for code, name in synthetic_province(province, seed=seed):
            batch.append((code, name, ""))
            if len(batch) >= chunk:
                count += bulk_upsert_regions(batch)
                batch = []
        count += bulk_upsert_regions(batch)
        record(actor=actor, action=Action.IMPORT, object_type="region", summary=f"载入合成区划（{province}）{count} 条")
    return count


def _is_ancestor(code: str, prefix: str) -> bool:
    return prefix.startswith(prefix_of(code)) and len(prefix_of(code)) < len(prefix)


def save_village_year(
    *,
    actor: Any,
    village_code: str,
    year: int,
    is_poor: bool,
    exit_year: int | None,
    is_weak_organisation: bool,
    is_ethnic_minority: bool,
    demonstration: str,
    expected_version: int | None = None,
) -> VillageYear:
    """Create or update a village's facts for a year; a stale edit (version changed) is refused."""
    require_perm(actor, Perm.EDIT_REGIONS)
    require_code_in_scope(actor, village_code)
    if level_of(village_code) != 5:
        raise DomainError(f"区划代码“{village_code}”不是村级区划", field="区划代码")
    for label, reason in village_year_problems(
        year=year, is_poor=is_poor, exit_year=exit_year, demonstration=demonstration
    ):
        raise DomainError(f"{label}：{reason}", field=label)
    values = {
        "is_poor": is_poor,
        "exit_year": exit_year,
        "is_weak_organisation": is_weak_organisation,
        "is_ethnic_minority": is_ethnic_minority,
        "demonstration": demonstration,
    }
    with transaction.atomic(durable=True):
        existing = (
            VillageYear.objects_unscoped.select_for_update().filter(village_id=village_code, year=year).first()
        )
        if existing is None:
            obj = VillageYear.objects_unscoped.create(village_id=village_code, year=year, **values)
            record(actor=actor, action=Action.CREATE, object_type="village_year", object_id=obj.pk,
                   region_code=village_code, summary=f"新增村情 {village_code} {year}年", changes=diff({}, values))
            return obj
        if expected_version is not None and existing.version != expected_version:
            raise Conflict()
        old = {k: getattr(existing, k) for k in values}
        for key, value in values.items():
            setattr(existing, key, value)
        existing.version += 1
        existing.save(update_fields=[*values, "version"])
        record(actor=actor, action=Action.UPDATE, object_type="village_year", object_id=existing.pk,
               region_code=village_code, summary=f"修改村情 {village_code} {year}年", changes=diff(old, values))
        return existing
