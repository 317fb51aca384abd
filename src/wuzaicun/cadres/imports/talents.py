"""The talents area's sheets for the one tabular engine: `talents` (import and export: 姓名, 身份证号, 专业领域,
入选年度, 走访计划, 服务村区划代码) and the export-only lists of the overdue talent-village pairs and the 项目书记
(each the list page as filtered, within scope; resident IDs masked unless a full-ID export is asked)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.core.text import ParseError
from wuzaicun.regions.models import Level, Region
from wuzaicun.registry.fields import open_resident_id, resident_id_hash
from wuzaicun.registry.models import Person
from wuzaicun.registry.rules import masked_id_error, normalise_resident_id, resident_id_error
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ExportOnlySink,
    ImportContext,
    RowErrors,
    RowIssue,
    Template,
    bounded_text,
    choice,
    text,
    year,
)

from ..models.talents import Talent, TalentField, TalentVillage, TalentVisit, VisitPlan
from ..rules.talents import served_village_problem, talent_region_problem


def _year(ctx: ExportContext) -> int:
    from wuzaicun.responsibility.selectors import working_year

    return ctx.year or working_year()


_SEPARATORS = re.compile(r"[、,，;；\s]+")
_PLAN_LABELS = {label: value for value, label in VisitPlan.choices} | {
    label.removesuffix("一次"): value for value, label in VisitPlan.choices}
_FIELD_LABELS = {label: value for value, label in TalentField.choices}


def _resident_id(raw: Any) -> str:
    number = normalise_resident_id(text(raw))
    if error := masked_id_error(number):
        raise ParseError(error)
    if error := resident_id_error(number):
        raise ParseError(error)
    return number


def _codes(raw: Any) -> list[str]:
    codes = [c for c in _SEPARATORS.split(text(raw)) if c]
    if not codes:
        raise ParseError("请至少填写一个服务村区划代码")
    if bad := [c for c in codes if not (len(c) == 12 and c.isdigit())]:
        raise ParseError(f"“{bad[0]}”不是12位区划代码（多个代码用“、”或“,”分隔）")
    return list(dict.fromkeys(codes))


def _region_code(raw: Any) -> str:
    value = text(raw)
    if not (len(value) == 12 and value.isdigit()):
        raise ParseError(f"“{value}”不是12位区划代码")
    return value


@dataclass
class _TalentRow:
    line: int
    name: str
    digest: str
    field: str
    year: int
    every: int
    villages: list[str]
    region: str
    person_id: int | None = None
    person_region: str = ""


class TalentSink:
    """A row registers the person as the year's talent, or updates the talent registered in scope (export →
    edit → re-import): 专业领域, 走访计划 and 服务村. The person is found by resident ID among the people in
    scope and must bear the name given; the villages lie in scope and under the registering region (the
    person's county unless 登记区划代码 is given). A village with visits cannot be dropped."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.villages = frozenset(narrowed(scoped(Region, ctx.actor), ctx.region_code).filter(level=Level.VILLAGE)
                                  .values_list("code", flat=True))
        self.seen: dict[tuple[str, int], int] = {}
        self.created = 0
        self.updated = 0

    def check(self, row: dict[str, Any], line: int) -> _TalentRow:
        problems: list[tuple[str, str]] = []
        if row["year"] is not None and self.ctx.year is not None and row["year"] != self.ctx.year:
            problems.append(("入选年度", f"入选年度 {row['year']} 与导入时指定的 {self.ctx.year} 不一致"))
        for code in row["villages"]:
            if code not in self.villages:
                problems.append(("服务村区划代码", f"“{code}”不是村级区划代码，或不在您的管辖范围内"))
                break
        digest = resident_id_hash(row["resident_id"])
        key = (digest, row["year"])
        if (first := self.seen.get(key)) is not None:
            problems.append(("身份证号", f"与第{first}行是同一人同一年度"))
        if problems:
            raise RowErrors(problems)
        self.seen[key] = line
        return _TalentRow(line=line, name=row["name"], digest=digest, field=_FIELD_LABELS[row["field"]],
                          year=row["year"], every=_PLAN_LABELS[row["visit_every"]], villages=row["villages"],
                          region=row.get("region") or "")

    def _resolve(self, batch: list[tuple[int, _TalentRow]]) -> list[RowIssue]:
        rows = [r for _, r in batch]
        people = {digest: (pk, name, region) for pk, digest, name, region in scoped(Person, self.ctx.actor).filter(
            resident_id_hash__in={r.digest for r in rows}).values_list("pk", "resident_id_hash", "name", "region_id")}
        wanted = {r.region for r in rows if r.region} | {p[2][:6].ljust(12, "0") for p in people.values()}
        regions = {code: (name, level) for code, name, level in
                   scoped(Region, self.ctx.actor).filter(code__in=wanted).values_list("code", "name", "level")}
        own = str(getattr(self.ctx.actor, "scope_prefix", "") or "").ljust(12, "0")
        issues: list[RowIssue] = []
        for r in rows:
            person = people.get(r.digest)
            if person is None:
                issues.append(RowIssue(r.line, "身份证号", "该身份证号未登记为人员，或不在您的管辖范围内，请先登记人员"))
                continue
            if person[1] != r.name:
                issues.append(RowIssue(r.line, "姓名", f"姓名“{r.name}”与该身份证号登记的姓名“{person[1]}”不一致"))
                continue
            r.person_id = person[0]
            if not r.region:
                county = person[2][:6].ljust(12, "0")
                r.region = county if county in regions else own
            name, level = regions.get(r.region, ("", 0))
            if not name:
                issues.append(RowIssue(r.line, "登记区划代码", f"“{r.region}”不存在或不在您的管辖范围内"))
            elif problem := talent_region_problem(level, name):
                issues.append(RowIssue(r.line, "登记区划代码", problem))
            else:
                for code in r.villages:
                    if problem := served_village_problem(village_code=code, village_name=code, region_code=r.region,
                                                         region_name=name):
                        issues.append(RowIssue(r.line, "服务村区划代码", problem))
                        break
        return issues

    def flush(self, batch: list[tuple[int, _TalentRow]]) -> list[RowIssue]:
        return self._resolve(batch)

    def write(self, batch: list[tuple[int, _TalentRow]]) -> list[RowIssue]:
        issues = self._resolve(batch)
        if issues:
            return issues
        rows = [r for _, r in batch]
        talents = scoped(Talent, self.ctx.actor)
        existing = {(t.person_id, t.year): t for t in talents.filter(
            person_id__in={r.person_id for r in rows}, year__in={r.year for r in rows})}
        links = scoped(TalentVillage, self.ctx.actor)
        for r in rows:
            assert r.person_id is not None  # _resolve found every row's person
            found = existing.get((r.person_id, r.year))
            if found is None:
                try:
                    with transaction.atomic():
                        found = talents.create(person_id=r.person_id, region_id=r.region, year=r.year, field=r.field,
                                               visit_every=r.every)
                except IntegrityError:
                    issues.append(RowIssue(r.line, "身份证号", f"{r.name}已登记为{r.year}年千村千人计划人才"))
                    continue
                links.bulk_create([TalentVillage(talent=found, village_id=code) for code in r.villages])
                self.created += 1
                continue
            current = set(links.filter(talent=found).values_list("village_id", flat=True))
            removed = current - set(r.villages)
            if removed and scoped(TalentVisit, self.ctx.actor).filter(talent=found, village_id__in=removed).exists():
                issues.append(RowIssue(r.line, "服务村区划代码", "已走访过的服务村不能移除"))
                continue
            if (found.field, found.visit_every) != (r.field, r.every) or current != set(r.villages):
                found.field, found.visit_every = r.field, r.every
                found.save(update_fields=["field", "visit_every"])
                links.filter(talent=found, village_id__in=removed).delete()
                links.bulk_create([TalentVillage(talent=found, village_id=code)
                                   for code in r.villages if code not in current])
                self.updated += 1
        return issues

    def summary(self) -> str:
        return f"（新增 {self.created}，更新 {self.updated}）"


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
        number = open_resident_id(t.person.resident_id_sealed) if ctx.full_ids else t.person.resident_id_masked
        yield (t.person.name, number, t.get_field_display(), t.year, t.get_visit_every_display(),
               "、".join(c for c, _ in served), t.region_id, "、".join(n for _, n in served),
               t.visit_count)  # type: ignore[attr-defined]


register(Template(
    kind="talents", title="千村千人计划人才", object_type="talent",
    columns=(Column("姓名", "name", bounded_text(50)), Column("身份证号", "resident_id", _resident_id, width=22),
             Column("专业领域", "field", choice(TalentField.labels), choices=tuple(TalentField.labels)),
             Column("入选年度", "year", year),
             Column("走访计划", "visit_every", choice(tuple(_PLAN_LABELS)), choices=tuple(VisitPlan.labels)),
             Column("服务村区划代码", "villages", _codes, note="多个代码用“、”或“,”分隔", width=30),
             Column("登记区划代码", "region", _region_code, required=False,
                    note="市、县（市、区）或乡镇；空则为本人所在县（市、区）", width=16),
             Column("服务村", "village_names", required=False, note="导出时填写，导入时不读", width=30),
             Column("走访次数", "visits", required=False, note="导出时填写，导入时不读")),
    sink=TalentSink, export_rows=_export_talents, import_perm="edit_cadres", carries_ids=True,
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
