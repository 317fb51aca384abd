"""The `dispatches` template (DESIGN.md §4.2: 姓名, 身份证号, 类型, 派出单位, 区划代码, 开始日期, 结束日期) and the
export-only sheets of working groups and placements.

A row is one dispatch, identified by (person, village, type, start): an existing one is updated (its unit
and end date), a new one created. The person is found by resident ID through the blind index among the
people in scope and 姓名 must match; the unit by name among the units that may send cadres into the
importer's area; the village must be a 村 in scope. An end date is checked for 群众不脱贫、干部不脱钩 with the
successors already registered and those of the same file (rows checked so far, D-A5).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.core.text import ParseError, parse_date
from wuzaicun.regions.models import Level, Region, VillageYear
from wuzaicun.registry.fields import resident_id_hash
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
    text,
)

from ..models.dispatch import Dispatch
from ..rules.dispatch import (
    KIND_BY_LABEL,
    Candidate,
    dates_problem,
    handover_problem,
    successor_for,
)
from ..selectors.dispatch import dispatches_for, groups_for, placements_for, units_for

Key = tuple[int, str, str, dt.date]  # person, village, kind, start


def _resident_id(raw: Any) -> str:
    number = normalise_resident_id(text(raw))
    if error := masked_id_error(number) or resident_id_error(number):
        raise ParseError(error)
    return number


def _kind(raw: Any) -> str:
    value = text(raw)
    if value not in KIND_BY_LABEL:
        raise ParseError(f"“{value}”不是选派类型（第一书记、驻村干部）")
    return KIND_BY_LABEL[value]


def _date(raw: Any) -> dt.date:
    return parse_date(raw if isinstance(raw, dt.date | int | float) else text(raw))


class DispatchSink:
    checks_partial_rows = True

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        villages = narrowed(scoped(Region, ctx.actor), ctx.region_code).filter(level=Level.VILLAGE)
        self.villages = dict(villages.values_list("code", "name"))
        units: dict[str, list[int]] = defaultdict(list)
        for pk, name in units_for(ctx.actor).values_list("pk", "name"):
            units[name].append(pk)
        self.units = dict(units)
        self.seen: dict[tuple[str, str, str, dt.date], int] = {}  # (resident id, village, kind, start) → line
        self.file: dict[tuple[str, str], list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        self.today = timezone.localdate()
        self.created = 0
        self.updated = 0

    def check(self, row: dict[str, Any], line: int) -> dict[str, Any]:
        problems: list[tuple[str, str]] = []
        if row["village"] is not None and row["village"] not in self.villages:
            problems.append(("区划代码", f"“{row['village']}”不是村级区划代码，或不在您的管辖范围内"))
        if row["unit"] is not None:
            found = self.units.get(row["unit"], [])
            if len(found) != 1:
                reason = "不存在或不在您的管辖范围内" if not found else "有重名，请在系统中核对"
                problems.append(("派出单位", f"单位“{row['unit']}”{reason}"))
            else:
                row["unit_id"] = found[0]
        if problem := dates_problem(row["start"], row["end"]):
            problems.append(problem)
        key = (row["person"], row["village"], row["kind"], row["start"])
        if None not in key and (first := self.seen.get(key)) is not None:
            problems.append(("开始日期", f"与第{first}行是同一人同日开始的同一选派"))
        if problems:
            raise RowErrors(problems)
        if None not in key:
            self.seen[key] = line
            self.file[(row["village"], row["kind"])].append((line, row["start"], row["end"]))
        return row

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return self._resolve(batch, self._lookups(batch))

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        lookups = self._lookups(batch)  # again, in the write transaction
        issues = self._resolve(batch, lookups)
        if issues:
            return issues
        existing: dict[Key, Dispatch] = lookups["existing"]
        new, changed = [], []
        for _, row in batch:
            key: Key = (row["person_id"], row["village"], row["kind"], row["start"])
            if (known := existing.get(key)) is None:
                new.append(Dispatch(person_id=row["person_id"], kind=row["kind"], unit_id=row["unit_id"],
                                    village_id=row["village"], start=row["start"], end=row["end"]))
            elif (known.unit_id, known.end) != (row["unit_id"], row["end"]):
                known.unit_id, known.end = row["unit_id"], row["end"]
                changed.append(known)
        Dispatch.objects_unscoped.bulk_create(new)
        Dispatch.objects_unscoped.bulk_update(changed, ["unit_id", "end"])
        self.created += len(new)
        self.updated += len(changed)
        self._link_successors({(r["village"], r["kind"]) for _, r in batch if r["end"] is not None})
        return []

    def _link_successors(self, pairs: set[tuple[str, str]]) -> None:
        """Each ended dispatch of the file's (village, type) gets its successor linked (one read, one update)."""
        if not pairs:
            return
        rows: dict[tuple[str, str], list[tuple[int, dt.date, dt.date | None, int | None]]] = defaultdict(list)
        for row in scoped(Dispatch, self.ctx.actor).filter(village_id__in={v for v, _ in pairs}).values_list(
                "pk", "village_id", "kind", "start", "end", "successor_id"):
            if (row[1], row[2]) in pairs:
                rows[(row[1], row[2])].append((row[0], row[3], row[4], row[5]))
        changed = []
        for items in rows.values():
            candidates = [Candidate(pk, start, end) for pk, start, end, _ in items]
            for pk, start, ended, successor in items:
                if ended is None:
                    continue
                found = successor_for(start=start, end=ended, candidates=[c for c in candidates if c.key != pk])
                wanted = int(str(found.key)) if found else None
                if wanted != successor:
                    changed.append(Dispatch(pk=pk, successor_id=wanted))
        Dispatch.objects_unscoped.bulk_update(changed, ["successor_id"])

    def _lookups(self, batch: list[tuple[int, Any]]) -> dict[str, Any]:
        numbers = {r["person"] for _, r in batch}
        by_hash = {resident_id_hash(n): n for n in numbers}
        people = {by_hash[h]: (pk, name) for h, pk, name in scoped(Person, self.ctx.actor).filter(
            resident_id_hash__in=list(by_hash)).values_list("resident_id_hash", "pk", "name")}
        villages = {r["village"] for _, r in batch}
        registered: dict[tuple[str, str], list[tuple[int, int, dt.date, dt.date | None]]] = defaultdict(list)
        existing: dict[Key, Dispatch] = {}
        for d in scoped(Dispatch, self.ctx.actor).filter(village_id__in=villages).only(
                "pk", "person_id", "village_id", "kind", "start", "end", "unit_id", "successor_id"):
            registered[(d.village_id, d.kind)].append((d.pk, d.person_id, d.start, d.end))
            existing[(d.person_id, d.village_id, d.kind, d.start)] = d
        facts: dict[str, list[tuple[int, bool, int | None]]] = defaultdict(list)
        for village, year, poor, exit_year in scoped(VillageYear, self.ctx.actor).filter(
                village_id__in=villages).order_by("year").values_list("village_id", "year", "is_poor", "exit_year"):
            facts[village].append((year, poor, exit_year))
        return {"people": people, "registered": registered, "existing": existing, "facts": facts}

    def _resolve(self, batch: list[tuple[int, Any]], lookups: dict[str, Any]) -> list[RowIssue]:
        issues: list[RowIssue] = []
        for line, row in batch:
            person = lookups["people"].get(row["person"])
            if person is None:
                issues.append(RowIssue(line, "身份证号", "该身份证号的人员未登记，或不在您的管辖范围内"))
                continue
            if person[1] != row["name"]:
                issues.append(RowIssue(line, "姓名", f"姓名“{row['name']}”与该身份证号登记的姓名不符"))
                continue
            row["person_id"] = person[0]
            if row["end"] is not None and (problem := self._handover(line, row, lookups)):
                issues.append(RowIssue(line, "结束日期", problem))
        return issues

    def _handover(self, line: int, row: dict[str, Any], lookups: dict[str, Any]) -> str | None:
        pair = (row["village"], row["kind"])
        own = (row["person_id"], row["start"])
        candidates = [Candidate(pk, start, end) for pk, person, start, end in lookups["registered"].get(pair, [])
                      if (person, start) != own]
        candidates += [Candidate(f"line{other}", start, end) for other, start, end in self.file.get(pair, [])
                       if other != line]
        successor = successor_for(start=row["start"], end=row["end"], candidates=candidates)
        poor, exit_year = False, None
        exited: int | None
        for year, is_poor, exited in lookups["facts"].get(row["village"], []):
            if year <= row["end"].year:
                poor, exit_year = is_poor, exited
        return handover_problem(village_name=self.villages[row["village"]], kind=row["kind"], end=row["end"],
                                poor=poor, exit_year=exit_year, successor=successor)

    def summary(self) -> str:
        return f"（新增选派 {self.created}，更新选派 {self.updated}）"


def _filters(ctx: ExportContext) -> dict[str, Any]:
    return {"year": ctx.year, "region": ctx.region_code, "q": ctx.filters.get("q", ""),
            "status": ctx.filters.get("status", ""), "today": timezone.localdate()}


def _export(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    rows = dispatches_for(ctx.actor, kind=ctx.filters.get("kind", ""), **_filters(ctx))
    for d in rows.iterator(chunk_size=2000):
        number = d.person.reveal_resident_id() if ctx.full_ids else d.person.resident_id_masked
        yield (d.person.name, number, d.get_kind_display(), d.unit.name, d.village_id, d.start, d.end or "")


DISPATCHES = register(Template(
    kind="dispatches", title="选派第一书记和驻村干部", object_type="dispatch",
    columns=(
        Column("姓名", "name", bounded_text(50)),
        Column("身份证号", "person", _resident_id, width=22, note="须已在人员中登记"),
        Column("类型", "kind", _kind, choices=tuple(KIND_BY_LABEL)),
        Column("派出单位", "unit", bounded_text(100), width=24, note="已登记的单位名称"),
        Column("区划代码", "village", note="所驻村的12位区划代码", width=16),
        Column("开始日期", "start", _date),
        Column("结束日期", "end", _date, required=False, note="在岗的不填；村未出列须有接任者"),
    ),
    sink=DispatchSink, export_rows=_export, carries_ids=True, import_perm="edit_cadres",
    filters=(("q", "关键词"), ("kind", "类型"), ("status", "状态")),
))


def _export_groups(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    for g in groups_for(ctx.actor, **_filters(ctx)).iterator(chunk_size=2000):
        yield (g.village_id, g.village.name, g.unit.name, g.leader.name if g.leader else "", g.members,  # type: ignore[attr-defined]
               g.start, g.end or "")


register(Template(
    kind="working_groups", title="驻村工作组", object_type="working_group",
    columns=(Column("区划代码", "village", width=16), Column("村", "name", width=20),
             Column("派出单位", "unit", width=24), Column("组长", "leader"), Column("成员人数", "members"),
             Column("进驻日期", "start"), Column("撤离日期", "end")),
    sink=ExportOnlySink, export_rows=_export_groups, import_perm="edit_cadres", importable=False,
    filters=(("q", "关键词"), ("status", "状态")),
))


def _export_placements(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    rows = placements_for(ctx.actor, kind=ctx.filters.get("kind", ""), **_filters(ctx))
    for p in rows.iterator(chunk_size=2000):
        yield (p.person.name, p.get_kind_display(), p.region_id, p.region.name, p.post, p.start, p.end or "", p.note)


register(Template(
    kind="placements", title="上管一级与后备干部", object_type="placement",
    columns=(Column("姓名", "name"), Column("类型", "kind", width=28), Column("区划代码", "region", width=16),
             Column("乡镇或村", "region_name", width=20), Column("任职岗位", "post", width=20),
             Column("开始日期", "start"), Column("结束日期", "end"), Column("备注", "note", width=24)),
    sink=ExportOnlySink, export_rows=_export_placements, import_perm="edit_cadres", importable=False,
    filters=(("q", "关键词"), ("kind", "类型"), ("status", "状态")),
))
