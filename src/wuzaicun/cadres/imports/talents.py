"""The talents area's sheets for the one tabular engine: export-only lists of the year's talents, the overdue
talent-village pairs and the 项目书记 (each the list page as filtered, within scope; IDs as shown, masked)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from wuzaicun.accounts.scope import scoped
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import Column, ExportContext, ExportOnlySink, Template

from ..models.talents import TalentVillage


def _year(ctx: ExportContext) -> int:
    from wuzaicun.responsibility.selectors import working_year

    return ctx.year or working_year()


def _export_talents(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.talents import talents_for

    year = _year(ctx)
    talents = talents_for(ctx.actor, year=year, region=ctx.region_code, q=ctx.filters.get("q", ""),
                          field=ctx.filters.get("field", ""))
    villages: dict[int, list[tuple[str, str]]] = defaultdict(list)
    links = scoped(TalentVillage, ctx.actor).filter(talent__in=talents.values("pk")).order_by("talent_id", "village_id")
    for talent_id, code, name in links.values_list("talent_id", "village_id", "village__name").iterator(chunk_size=5000):
        villages[talent_id].append((code, name))
    for t in talents.iterator(chunk_size=2000):
        served = villages.get(t.pk, [])
        yield (t.person.name, t.person.resident_id_masked, t.get_field_display(), t.year, t.get_visit_every_display(),
               t.region.name, "、".join(c for c, _ in served), "、".join(n for _, n in served),
               t.visit_count)  # type: ignore[attr-defined]


register(Template(
    kind="talents", title="千村千人计划人才", object_type="talent",
    columns=(Column("姓名", "name"), Column("身份证号", "masked_id", width=20), Column("专业领域", "field"),
             Column("入选年度", "year"), Column("走访计划", "visit_every"), Column("登记区划", "region", width=16),
             Column("服务村区划代码", "village_codes", width=30), Column("服务村", "villages", width=30),
             Column("走访次数", "visits")),
    sink=ExportOnlySink, export_rows=_export_talents, needs_year=True, import_perm="edit_cadres", importable=False,
    filters=(("q", "姓名"), ("field", "专业领域")),
))


def _export_overdue(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.talents import overdue_pairs, overdue_rows

    year = _year(ctx)
    pairs = overdue_pairs(ctx.actor, year=year, region=ctx.region_code, q=ctx.filters.get("q", ""),
                          field=ctx.filters.get("field", ""))
    batch: list[Any] = []
    for pair in pairs.iterator(chunk_size=2000):
        batch.append(pair)
        if len(batch) >= 2000:
            yield from _overdue_cells(overdue_rows(batch, year=year))
            batch = []
    yield from _overdue_cells(overdue_rows(batch, year=year))


def _overdue_cells(rows: list[dict[str, Any]]) -> Iterator[Sequence[Any]]:
    for r in rows:
        t, v = r["talent"], r["village"]
        yield (t.person.name, t.get_field_display(), t.get_visit_every_display(), t.region.name, v.code, v.name,
               v.parent.name if v.parent else "", r["last_visit"] or "从未走访", r["overdue"])


register(Template(
    kind="talent_overdue", title="逾期未走访的人才服务村", object_type="talent",
    columns=(Column("姓名", "name"), Column("专业领域", "field"), Column("走访计划", "visit_every"),
             Column("登记区划", "region", width=16), Column("区划代码", "village", width=16),
             Column("服务村", "village_name", width=16), Column("乡（镇、街道）", "township", width=16),
             Column("最近走访", "last_visit"), Column("逾期天数", "days")),
    sink=ExportOnlySink, export_rows=_export_overdue, needs_year=True, import_perm="edit_cadres", importable=False,
    filters=(("q", "姓名或村名"), ("field", "专业领域")),
))


def _export_secretaries(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.talents import secretaries_for

    year = _year(ctx)
    for s in secretaries_for(ctx.actor, year=year, region=ctx.region_code, q=ctx.filters.get("q", "")).iterator(
            chunk_size=2000):
        yield (s.person.name, s.person.resident_id_masked, s.person.unit.name if s.person.unit else "", s.year,
               s.region_id, s.region.name, s.led, s.driven)  # type: ignore[attr-defined]


register(Template(
    kind="project_secretaries", title="项目书记", object_type="project_secretary",
    columns=(Column("姓名", "name"), Column("身份证号", "masked_id", width=20), Column("工作单位", "unit", width=24),
             Column("年度", "year"), Column("区划代码", "region", width=16), Column("所在乡镇或村", "region_name", width=16),
             Column("领办项目数", "led"), Column("带动项目数", "driven")),
    sink=ExportOnlySink, export_rows=_export_secretaries, needs_year=True, import_perm="edit_cadres", importable=False,
    filters=(("q", "姓名"),),
))
