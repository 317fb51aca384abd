"""The `attendance` template (培训班名称, 身份证号, 姓名; optional 年度) and the export-only sheets of 干部培训:
`training_sessions` (the sessions list) and `untrained_cadres` (a target group's members not trained in a year).

A row's session is found by name among the sessions in the importer's scope: in the row's 年度 when given (or the
year the import was run for), else in the most recent year having a session of that name; two sessions of that
name in that year (two regions) are refused as ambiguous. The person is found by resident ID through the blind
index among the people in scope, and 姓名 must match. An attendance already recorded is skipped (counted in the
summary), so export → add rows → re-import works; the same person twice for one session in a file is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.text import ParseError
from wuzaicun.registry.fields import open_resident_id, resident_id_hash
from wuzaicun.registry.models import Person
from wuzaicun.registry.rules import masked_id_error, normalise_resident_id, resident_id_error
from wuzaicun.tabular.bulk import insert_rows
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ExportOnlySink,
    ImportContext,
    RowError,
    RowIssue,
    Template,
    bounded_text,
    text,
    year,
)

from ..models.training import Attendance, TargetGroup, TrainingLevel, TrainingSession
from ..rules.training import NAME_MAX, group_labels

ATTENDANCE_HEADERS = ("培训班名称", "身份证号", "姓名")
NOT_FOUND_PERSON = "该身份证号未登记为人员，或不在您的管辖范围内，请先登记人员"


def _resident_id(raw: Any) -> str:
    number = normalise_resident_id(text(raw))
    if error := masked_id_error(number) or resident_id_error(number):
        raise ParseError(error)
    return number


@dataclass
class _Row:
    line: int
    session_name: str
    year: int | None
    person_hash: str
    name: str
    session_id: int | None = None
    person_id: int | None = None


class AttendanceSink:
    """Checks and writes attendance rows; sessions by name (and year), people by blind index, both in scope."""

    checks_partial_rows = False

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.seen: dict[tuple[str, int | None, str], int] = {}
        self.added = 0
        self.skipped = 0

    def check(self, row: dict[str, Any], line: int) -> _Row:
        row_year = row.get("year") or self.ctx.year
        if row.get("year") and self.ctx.year and row["year"] != self.ctx.year:
            raise RowError("年度", f"年度 {row['year']} 与导入时指定的 {self.ctx.year} 不一致")
        digest = resident_id_hash(row["resident_id"])
        key = (row["session"], row_year, digest)
        if (first := self.seen.get(key)) is not None:
            raise RowError("身份证号", f"与第{first}行重复（同一人员同一培训班只登记一次）")
        self.seen[key] = line
        return _Row(line, row["session"], row_year, digest, row["name"])

    def _resolve(self, batch: list[tuple[int, _Row]]) -> list[RowIssue]:
        rows = [r for _, r in batch]
        sessions: dict[str, list[tuple[int, int, str]]] = {}
        for pk, name, session_year, region in scoped(TrainingSession, self.ctx.actor).filter(
                name__in={r.session_name for r in rows}).values_list("pk", "name", "year", "region__name"):
            sessions.setdefault(name, []).append((pk, session_year, region))
        people = {digest: (pk, name) for pk, digest, name in scoped(Person, self.ctx.actor).filter(
            resident_id_hash__in={r.person_hash for r in rows}).values_list("pk", "resident_id_hash", "name")}
        issues: list[RowIssue] = []
        for r in rows:
            r.session_id, r.person_id = None, None
            found = sessions.get(r.session_name, [])
            if r.year is not None:
                found = [s for s in found if s[1] == r.year]
            elif found:
                latest = max(s[1] for s in found)
                found = [s for s in found if s[1] == latest]
            if not found:
                when = f"{r.year}年" if r.year is not None else ""
                issues.append(RowIssue(r.line, "培训班名称",
                                       f"{when}没有名为“{r.session_name}”的培训班，或不在您的管辖范围内"))
            elif len(found) > 1:
                where = "、".join(sorted(s[2] for s in found))
                issues.append(RowIssue(r.line, "培训班名称", f"{found[0][1]}年名为“{r.session_name}”的培训班有"
                                       f"{len(found)}个（{where}举办），无法确定是哪一个，请改用更明确的名称"))
            else:
                r.session_id = found[0][0]
            person = people.get(r.person_hash)
            if person is None:
                issues.append(RowIssue(r.line, "身份证号", NOT_FOUND_PERSON))
            elif person[1] != r.name:
                issues.append(RowIssue(r.line, "姓名", f"姓名“{r.name}”与该身份证号登记的姓名不一致"))
            else:
                r.person_id = person[0]
        return issues

    def flush(self, batch: list[tuple[int, _Row]]) -> list[RowIssue]:
        return self._resolve(batch)

    def write(self, batch: list[tuple[int, _Row]]) -> list[RowIssue]:
        issues = self._resolve(batch)  # again, in the write transaction
        if issues:
            return issues
        rows = [r for _, r in batch]
        present = set(scoped(Attendance, self.ctx.actor).filter(
            session_id__in={r.session_id for r in rows}, person_id__in={r.person_id for r in rows}).values_list(
            "session_id", "person_id"))
        new = list(dict.fromkeys((r.session_id, r.person_id) for r in rows if (r.session_id, r.person_id)
                                 not in present))
        insert_rows(Attendance._meta.db_table, ("session_id", "person_id"), new)
        self.added += len(new)
        self.skipped += len(rows) - len(new)
        return []

    def summary(self) -> str:
        return f"（新增参训 {self.added} 人次，已登记跳过 {self.skipped} 人次）"


def _level(raw: str) -> str:
    for value, label in TrainingLevel.choices:
        if raw in (value, label):
            return str(value)
    return ""


def _export_attendance(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """Attendance of the sessions in scope (the list's filters), by session then name; IDs masked unless a
    full-ID export was asked (a masked number is refused on re-import as masked)."""
    from ..selectors.training import sessions_for

    sessions = sessions_for(ctx.actor, year=ctx.year, level=_level(ctx.filters.get("level", "")),
                            region=ctx.region_code or "", q=ctx.filters.get("q", ""))
    rows = scoped(Attendance, ctx.actor).filter(session__in=sessions.values("pk")).order_by(
        "-session__start", "session_id", "person__name", "person_id").values_list(
        "session__name", "person__resident_id_sealed", "person__resident_id_masked", "person__name", "session__year")
    for session, sealed, masked, name, session_year in rows.iterator(chunk_size=5000):
        yield session, open_resident_id(sealed) if ctx.full_ids else masked, name, session_year


ATTENDANCE = register(Template(
    kind="attendance",
    title="参训记录",
    object_type="training_session",
    columns=(
        Column("培训班名称", "session", bounded_text(NAME_MAX), width=36),
        Column("身份证号", "resident_id", _resident_id, width=22, note="须为已登记的人员"),
        Column("姓名", "name", bounded_text(50)),
        Column("年度", "year", year, required=False, note="同名培训班跨年度时填写；空为该名称最近的年度"),
    ),
    sink=AttendanceSink,
    export_rows=_export_attendance,
    import_perm="edit_cadres",
    carries_ids=True,
    filters=(("q", "关键词"), ("level", "层级")),
))


def _export_sessions(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.training import sessions_for

    sessions = sessions_for(ctx.actor, year=ctx.year, level=_level(ctx.filters.get("level", "")),
                            region=ctx.region_code or "", q=ctx.filters.get("q", ""))
    levels = dict(TrainingLevel.choices)
    for s in sessions.iterator(chunk_size=2000):
        yield (s.name, levels[s.level], s.region.name, s.region_id, s.organiser, s.topic, s.start, s.end, s.year,
               group_labels(s.target_groups), s.attendee_count)  # type: ignore[attr-defined]


register(Template(
    kind="training_sessions", title="培训班", object_type="training_session",
    columns=(Column("培训班名称", "name", width=36), Column("层级", "level"), Column("举办区划", "region", width=16),
             Column("区划代码", "region_code", width=16), Column("主办单位", "organiser", width=24),
             Column("培训主题", "topic", width=30), Column("开始日期", "start"), Column("结束日期", "end"),
             Column("年度", "year"), Column("培训对象", "groups", width=40), Column("参训人次", "person_times")),
    sink=ExportOnlySink, export_rows=_export_sessions, import_perm="edit_cadres", importable=False,
    filters=(("q", "关键词"), ("level", "层级")),
))


def _group(raw: str) -> str:
    for value, label in TargetGroup.choices:
        if raw in (value, label):
            return str(value)
    return str(TargetGroup.COUNTY_LEADERS)


def _export_untrained(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from wuzaicun.responsibility.selectors import working_year

    from ..selectors.training import untrained

    shown = ctx.year or working_year()
    group = _group(ctx.filters.get("group", ""))
    label = TargetGroup(group).label
    people = untrained(ctx.actor, year=shown, group=group, region=ctx.region_code or "")
    for p in people.iterator(chunk_size=5000):
        number = open_resident_id(p.resident_id_sealed) if ctx.full_ids else p.resident_id_masked
        yield (shown, label, p.name, number, p.rank, p.post, p.unit.name if p.unit else "", p.region.name,
               p.region_id)


register(Template(
    kind="untrained_cadres", title="未参训人员", object_type="training_session",
    columns=(Column("年度", "year"), Column("培训对象", "group", width=20), Column("姓名", "name"),
             Column("身份证号", "resident_id", width=22), Column("职级", "rank"), Column("职务", "post", width=24),
             Column("工作单位", "unit", width=28), Column("所属区划", "region", width=16),
             Column("区划代码", "region_code", width=16)),
    sink=ExportOnlySink, export_rows=_export_untrained, needs_year=True, import_perm="edit_cadres",
    importable=False, carries_ids=True, filters=(("group", "培训对象"),),
))

