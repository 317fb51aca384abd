"""The `assignments` template (DESIGN.md §4.2): entries of the five lists, checked like the form.

Rows with the same year, list, person (or team) and village make one entry: each row may add a
household (助村 多对一), so a helper's five households are five rows or one row listing them.
A row that repeats a (entry, household) pair already in the file or in the system is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.core.text import ParseError, parse_year
from wuzaicun.regions.models import Level, Region
from wuzaicun.registry.fields import resident_id_hash
from wuzaicun.registry.models import Household, LeadershipTeam, Person
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
    text,
)

from .duties import KIND_BY_LABEL, GoalKind, ListKind, StationedPost
from .models import Assignment, AssignmentHousehold, ResponsibilityYear
from .rules import entry_problems, goal_kind_from_text, split_duties
from .services.helper_counts import recount_helpers

_GOAL_BY_LABEL = {label: value for value, label in GoalKind.choices if value}
PARTY = ("中共党员", "中共预备党员")
Key = tuple[int, str, int | None, int | None, str]  # year, kind, person, team, village


def _kind(raw: Any) -> str:
    value = text(raw)
    if value not in KIND_BY_LABEL:
        raise ParseError(f"“{value}”不是清单类型（帮村、联村、驻村、助村、带村）")
    return KIND_BY_LABEL[value]


def _ids(raw: Any) -> list[str]:
    numbers = [normalise_resident_id(n) for n in text(raw).replace("；", "、").replace(";", "、")
               .replace(",", "、").replace("，", "、").replace(" ", "、").split("、") if n.strip()]
    for number in numbers:
        if error := masked_id_error(number) or resident_id_error(number):
            raise ParseError(f"{number}：{error}")
    return numbers


def _person_id(raw: Any) -> str:
    number = normalise_resident_id(text(raw))
    if error := masked_id_error(number) or resident_id_error(number):
        raise ParseError(error)
    return number


def _post(raw: Any) -> str:
    value = text(raw)
    if value not in StationedPost.values:
        raise ParseError(f"“{value}”应为第一书记或驻村干部")
    return value


def _goal_kind(raw: Any) -> str:
    value = text(raw)
    if value not in _GOAL_BY_LABEL:
        raise ParseError(f"“{value}”不是目标类型（发展产业、兴办实体）")
    return _GOAL_BY_LABEL[value]


class AssignmentSink:
    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.open_years = set(ResponsibilityYear.objects_unscoped.values_list("year", flat=True))
        self.villages = frozenset(
            scoped(Region, ctx.actor).filter(level=Level.VILLAGE).values_list("code", flat=True)
        )
        teams: dict[str, list[int]] = {}
        for pk, name in scoped(LeadershipTeam, ctx.actor).values_list("pk", "name"):
            teams.setdefault(name, []).append(pk)
        self.teams = teams
        self.entries: dict[Key, int] = {}  # entries created or found by this import
        self.pairs: dict[tuple[Key, int | None], int] = {}  # (entry key, household) → first line
        self.created = 0
        self.linked = 0

    checks_partial_rows = True

    def check(self, row: dict[str, Any], line: int) -> dict[str, Any]:
        problems: list[tuple[str, str]] = []
        year = row["year"]
        if year is not None and self.ctx.year is not None and year != self.ctx.year:
            problems.append(("年度", f"年度 {year} 与导入时指定的 {self.ctx.year} 不一致"))
        elif year is not None and year not in self.open_years:
            problems.append(("年度", f"{year}年度尚未设立责任清单"))
        if row["village"] is not None and row["village"] not in self.villages:
            problems.append(("区划代码", f"“{row['village']}”不是村级区划代码，或不在您的管辖范围内"))
        if bool(row["person"]) == bool(row["team"]):
            problems.append(("责任人身份证号", "责任人身份证号与责任主体须填且只填一个"))
        team_id = None
        if row["team"]:
            found = self.teams.get(row["team"], [])
            if len(found) != 1:
                reason = "不存在或不在您的管辖范围内" if not found else "有重名，请在系统中核对"
                problems.append(("责任主体", f"领导班子“{row['team']}”{reason}"))
            else:
                team_id = found[0]
        if problems:
            raise RowErrors(problems)
        row["team_id"] = team_id
        row["duties"] = split_duties(row["duties"] or "")
        return row

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        people, households = self._lookups(batch)
        issues: list[RowIssue] = []
        for line, row in batch:
            resolved = self._resolve(line, row, people, households)
            problem = resolved if isinstance(resolved, RowIssue) else self._repeated(line, *resolved)
            if problem is not None:
                issues.append(problem)
        return issues

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        people, households = self._lookups(batch)  # again, under the lock: people or households may be gone
        issues: list[RowIssue] = []
        ready: list[tuple[int, Key, dict[str, Any], list[int]]] = []
        for line, row in batch:
            resolved = self._resolve(line, row, people, households)
            if isinstance(resolved, RowIssue):
                issues.append(resolved)
            else:
                ready.append((line, resolved[0], row, [h[0] for h in resolved[1]]))
        if not issues:
            self._write(ready)
        return issues

    def _lookups(self, batch: list[tuple[int, Any]]) -> tuple[dict[str, tuple[int, str, str, str]],
                                                             dict[str, tuple[int, str, str]]]:
        return (self._people([r["person"] for _, r in batch if r["person"]]),
                self._households([n for _, r in batch for n in (r["households"] or [])]))

    def _resolve(self, line: int, row: dict[str, Any], people: dict[str, tuple[int, str, str, str]],
                 households: dict[str, tuple[int, str, str]]) -> RowIssue | tuple[Key, list[tuple[int, str, str]]]:
        """The row's entry key and linked households, or its issue (people and households as registered)."""
        person = people.get(row["person"]) if row["person"] else None
        if row["person"] and person is None:
            return RowIssue(line, "责任人身份证号", "该身份证号的人员未登记，或不在您的管辖范围内")
        linked: list[tuple[int, str, str]] = []
        for number in row["households"] or []:
            if number not in households:
                return RowIssue(line, "帮扶户身份证号", f"{number[:6]}********{number[-4:]}：该户未登记，或不在您的管辖范围内")
            linked.append(households[number])
        for column, reason in entry_problems(
            kind=row["kind"], has_person=person is not None, has_team=row["team_id"] is not None,
            person_rank=person[1] if person else "", person_is_party_member=bool(person and person[2] in PARTY),
            village_level=5, household_statuses=[h[1] for h in linked],
            households_in_village=all(h[2] == row["village"] for h in linked), duties=row["duties"],
        ):
            return RowIssue(line, column, reason)
        key: Key = (row["year"], row["kind"], person[0] if person else None, row["team_id"], row["village"])
        return key, linked

    def _repeated(self, line: int, key: Key, linked: list[tuple[int, str, str]]) -> RowIssue | None:
        """A (entry, household) pair already in the file names the line that holds it first."""
        targets: list[int | None] = [h[0] for h in linked] or [None]
        for pk in targets:
            if (first := self.pairs.get((key, pk))) is not None:
                return RowIssue(line, "帮扶户身份证号" if pk else "责任人身份证号", f"与第{first}行重复")
        for pk in targets:
            self.pairs[(key, pk)] = line
        return None

    def _people(self, numbers: Sequence[str]) -> dict[str, tuple[int, str, str, str]]:
        by_hash = {resident_id_hash(n): n for n in numbers}
        rows = scoped(Person, self.ctx.actor).filter(resident_id_hash__in=list(by_hash)).values_list(
            "resident_id_hash", "pk", "rank", "political_status", "region_id")
        return {by_hash[h]: (pk, rank, status, region) for h, pk, rank, status, region in rows}

    def _households(self, numbers: Sequence[str]) -> dict[str, tuple[int, str, str]]:
        by_hash = {resident_id_hash(n): n for n in numbers}
        rows = scoped(Household, self.ctx.actor).filter(resident_id_hash__in=list(by_hash)).values_list(
            "resident_id_hash", "pk", "status", "region_id")
        return {by_hash[h]: (pk, status, region) for h, pk, status, region in rows}

    def _write(self, ready: list[tuple[int, Key, dict[str, Any], list[int]]]) -> None:
        missing = {key for _, key, _, _ in ready if key not in self.entries}
        if missing:
            existing = Assignment.objects_unscoped.filter(
                year__in={k[0] for k in missing}, village_id__in={k[4] for k in missing},
            ).values_list("pk", "year", "kind", "person_id", "team_id", "village_id")
            for pk, year, kind, person, team, village in existing:
                self.entries.setdefault((year, kind, person, team, village), pk)
        new: list[tuple[Key, dict[str, Any]]] = []
        for _, key, row, _ in ready:
            if key not in self.entries and key not in {k for k, _ in new}:
                new.append((key, row))
        actor_pk = getattr(self.ctx.actor, "pk", None)
        created = Assignment.objects_unscoped.bulk_create([
            Assignment(year=k[0], kind=k[1], person_id=k[2], team_id=k[3], village_id=k[4], duties=r["duties"],
                       goal=r["goal"] or "", goal_kind=r["goal_kind"] or "", stationed_post=r["post"] or "",
                       created_by_id=actor_pk)
            for k, r in new
        ])
        for (key, _), entry in zip(new, created, strict=True):
            self.entries[key] = entry.pk
        self.created += len(created)
        links = [AssignmentHousehold(assignment_id=self.entries[key], household_id=h)
                 for _, key, _, households in ready for h in households]
        AssignmentHousehold.objects_unscoped.bulk_create(links, ignore_conflicts=True)
        self.linked += len(links)
        recount_helpers({h for _, key, _, households in ready if key[1] == ListKind.HELPER for h in households})

    def summary(self) -> str:
        return f"（新增清单条目 {self.created}，帮扶户关联 {self.linked}）"


def _export(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from wuzaicun.registry.fields import open_resident_id

    full = ctx.full_ids  # checked by the engine: REVEAL_ID and a reason
    entries = narrowed(scoped(Assignment, ctx.actor), ctx.region_code)
    if ctx.year is not None:
        entries = entries.filter(year=ctx.year)
    links: dict[int, list[str]] = {}
    link_rows = AssignmentHousehold.objects_unscoped.filter(assignment__in=entries).values_list(
        "assignment_id", "household__resident_id_sealed", "household__resident_id_masked")
    for entry_id, sealed, masked in link_rows.iterator(chunk_size=5000):
        links.setdefault(entry_id, []).append(open_resident_id(sealed) if full else masked)
    goal_labels = dict(GoalKind.choices)
    rows = entries.select_related("person", "team").order_by("year", "kind", "village_id", "pk")
    for e in rows.iterator(chunk_size=2000):
        person = ""
        if e.person is not None:
            person = e.person.reveal_resident_id() if full else e.person.resident_id_masked
        yield (e.year, ListKind(e.kind).label, person, e.team.name if e.team else "", e.village_id,
               "、".join(links.get(e.pk, [])), "、".join(e.duties), e.goal, e.stationed_post,
               goal_labels.get(e.goal_kind, "") if e.goal_kind else "")


ASSIGNMENTS = register(
    Template(
        kind="assignments",
        title="责任清单",
        object_type="assignment",
        columns=(
            Column("年度", "year", lambda raw: parse_year(text(raw))),
            Column("清单类型", "kind", _kind, choices=tuple(KIND_BY_LABEL)),
            Column("责任人身份证号", "person", _person_id, required=False, width=22,
                   note="帮村以外的清单填写；须已在人员中登记"),
            Column("责任主体", "team", required=False, note="帮村清单填写领导班子名称"),
            Column("区划代码", "village", note="村（社区）的12位区划代码"),
            Column("帮扶户身份证号", "households", _ids, required=False, width=24,
                   note="助村、联村可填，多个用“、”分隔，或分多行填写"),
            Column("职责", "duties", required=False, width=30, note="多个职责用“、”分隔"),
            Column("目标", "goal", required=False, width=30),
            Column("驻村身份", "post", _post, required=False, choices=tuple(StationedPost.values)),
            Column("目标类型", "goal_kind", _goal_kind, required=False, choices=tuple(_GOAL_BY_LABEL),
                   note="发展产业或兴办实体；文件中没有本列时，按“目标”的文字推断", derived_from=("goal", goal_kind_from_text)),
        ),
        sink=AssignmentSink,
        export_rows=_export,
        carries_ids=True,
        needs_year=True,
        import_perm="edit_lists",
    )
)


def _export_gaps(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """The coverage page's gaps as filtered (year, region, rule): every one, not a page of them."""
    from wuzaicun.regions.selectors import region_names

    from .coverage import coverage_report, rule_title, subject_label
    from .selectors import working_year

    report = coverage_report(ctx.actor, year=ctx.year or working_year(), region=ctx.region_code)
    rule = ctx.filters.get("rule", "")
    gaps = [g for g in report.gaps if not rule or g.rule == rule]
    for start in range(0, len(gaps), 5000):
        chunk = gaps[start:start + 5000]
        names = region_names(g.region_code for g in chunk)
        for g in chunk:
            yield (report.year, rule_title(g.rule), subject_label(g.subject_type), g.region_code,
                   names.get(g.region_code, ""), g.message)


register(Template(
    kind="coverage_gaps", title="覆盖检查缺口", object_type="coverage",
    columns=(
        Column("年度", "year"), Column("规则", "rule", width=30), Column("对象", "subject"),
        Column("区划代码", "region", width=16), Column("所在地", "place", width=20), Column("原因", "message", width=50),
    ),
    sink=ExportOnlySink, export_rows=_export_gaps, needs_year=True, import_perm="edit_lists", importable=False,
    filters=(("rule", "规则"),),
))


def _export_review_queue(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """The review queue as filtered (year, quarter, words): every reconciliation waiting for review."""
    from .ledger_selectors import review_queue

    quarter = ctx.filters.get("quarter", "")
    queue = narrowed(review_queue(ctx.actor, year=ctx.year, quarter=int(quarter) if quarter in ("1", "2", "3", "4")
                                  else None, q=ctx.filters.get("q", "")), ctx.region_code)
    for item in queue.iterator(chunk_size=2000):
        line = item.line
        yield (line.year, item.quarter, line.assignment.village_id, line.assignment.village.name, line.commitment,
               item.progress_value, line.target_unit, item.narrative, "否" if item.on_track else "是",
               item.submitted_by.display_name if item.submitted_by else "",
               item.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if item.submitted_at else "")


register(Template(
    kind="review_queue", title="待审核的季度对账", object_type="reconciliation",
    columns=(
        Column("年度", "year"), Column("季度", "quarter"), Column("区划代码", "village", width=16),
        Column("村", "village_name", width=20), Column("承诺事项", "commitment", width=30), Column("完成值", "progress"),
        Column("单位", "unit"), Column("进展情况", "narrative", width=40), Column("滞后", "behind"),
        Column("提交人", "submitted_by"), Column("提交时间", "submitted_at", width=20),
    ),
    sink=ExportOnlySink, export_rows=_export_review_queue, needs_year=True, import_perm="review_ledger",
    importable=False, filters=(("quarter", "季度"), ("q", "关键词")),
))
