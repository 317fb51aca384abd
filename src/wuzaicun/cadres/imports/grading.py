"""Spreadsheets of 六定一化考核: entered scores (`cadre_scores`, import and export), the grades (`cadre_grades`,
export) and the outcomes (`cadre_outcomes`, export)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wuzaicun.core.bounds import range_of
from wuzaicun.core.text import ParseError
from wuzaicun.registry.fields import resident_id_hash
from wuzaicun.registry.models import Person
from wuzaicun.registry.rules import masked_id_error, normalise_resident_id, resident_id_error
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ExportOnlySink,
    ImportContext,
    RowError,
    RowIssue,
    Template,
    number,
    text,
    year,
)

from ..models.grading import CadreGrade, CadreIndicator, CadreRole, CadreScore, GradeStatus, OutcomeKind
from ..rules.grading import default_set
from ..selectors.grading import assessed, grades_for, outcomes_for, scores_for

SCORE_RANGE = range_of(CadreScore, "score", low=0, high=100)
ROLE_BY_LABEL = {str(label): value for value, label in CadreRole.choices}


def _role(raw: Any) -> str:
    value = text(raw)
    if value in ROLE_BY_LABEL:
        return ROLE_BY_LABEL[value]
    raise ParseError(f"“{value}”应为第一书记、驻村干部或村党组织书记")


def _resident_id(raw: Any) -> str:
    number = normalise_resident_id(text(raw))
    if error := masked_id_error(number) or resident_id_error(number):
        raise ParseError(error)
    return number


def entered_titles(year: int, role: str) -> dict[str, str]:
    """{title: code} of the entered indicators of the year's set (the defaults when the year has none yet)."""
    stored = list(CadreIndicator.objects_unscoped.filter(year=year, role=role).values_list("title", "code", "provider"))
    if not stored:
        stored = [(s.title, s.code, s.provider) for s in default_set(role)]
    return {title: code for title, code, provider in stored if not provider}


def computed_titles(year: int, role: str) -> set[str]:
    stored = list(CadreIndicator.objects_unscoped.filter(year=year, role=role).values_list("title", "provider"))
    if not stored:
        stored = [(s.title, s.provider) for s in default_set(role)]
    return {title for title, provider in stored if provider}


Checked = tuple[int, str, str, str, str, Decimal]  # year, role, resident id, name, indicator code, score


class CadreScoreSink:
    """Entered scores of cadres assessed in scope; a cadre's score on an indicator is replaced by a re-import."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.titles: dict[tuple[int, str], dict[str, str]] = {}
        self.seen: dict[tuple[int, str, str, str], int] = {}
        self.written = 0

    def _titles(self, year_: int, role: str) -> dict[str, str]:
        if (year_, role) not in self.titles:
            self.titles[(year_, role)] = entered_titles(year_, role)
        return self.titles[(year_, role)]

    def check(self, row: dict[str, Any], line: int) -> Checked:
        year_, role, title = row["year"], row["role"], row["indicator"]
        titles = self._titles(year_, role)
        if title not in titles:
            label = CadreRole(role).label
            if title in computed_titles(year_, role):
                raise RowError("指标", f"“{title}”由系统根据数据计算，不能录入")
            raise RowError("指标", f"{year_}年度{label}考核没有录入类指标“{title}”，应为{'、'.join(titles)}")
        key = (year_, role, row["resident_id"], titles[title])
        if (first := self.seen.get(key)) is not None:
            raise RowError("身份证号", f"与第{first}行重复（同一年度、同一干部、同一指标）")
        self.seen[key] = line
        return year_, role, row["resident_id"], row["name"], titles[title], row["score"]

    def _resolve(self, batch: list[tuple[int, Any]]) -> tuple[dict[tuple[int, str, str], int], list[RowIssue]]:
        """{(year, role, resident id): person} for the rows that pass, and the issues of the others."""
        by_hash = {resident_id_hash(r[2]): r[2] for _, r in batch}
        # found by number anywhere, then kept only when assessed in scope (dispatch or village), as the page does
        people = {by_hash[h]: (pk, name) for h, pk, name in Person.objects_unscoped.filter(
            resident_id_hash__in=list(by_hash)).values_list("resident_id_hash", "pk", "name")}
        wanted: dict[tuple[int, str], set[int]] = defaultdict(set)
        for _, (y, role, rid, *_rest) in batch:
            if rid in people:
                wanted[(y, role)].add(people[rid][0])
        assessed_ok = {key: set(assessed(self.ctx.actor, year=key[0], role=key[1], region=None, person_ids=sorted(ids)))
                       for key, ids in wanted.items()}
        locked = {key: set(CadreGrade.objects_unscoped.filter(year=key[0], role=key[1], person_id__in=sorted(ids),
                                                              status=GradeStatus.LOCKED).values_list("person_id", flat=True))
                  for key, ids in wanted.items()}
        found: dict[tuple[int, str, str], int] = {}
        issues: list[RowIssue] = []
        for line, (y, role, rid, name, _code, _score) in batch:
            masked = f"{rid[:6]}********{rid[-4:]}"
            if rid not in people:
                issues.append(RowIssue(line, "身份证号", f"{masked}：该人员未登记，或不在您的管辖范围内"))
                continue
            pk, registered = people[rid]
            label = CadreRole(role).label
            if pk not in assessed_ok[(y, role)]:
                issues.append(RowIssue(line, "身份证号", f"{masked}：不是您管辖范围内{y}年度考核的{label}"))
            elif registered != name:
                issues.append(RowIssue(line, "姓名", f"“{name}”与身份证号 {masked} 登记的姓名“{registered}”不符"))
            elif pk in locked[(y, role)]:
                issues.append(RowIssue(line, "年度", f"{name}的{y}年度{label}考核等次已锁定，不能再录入得分"))
            else:
                found[(y, role, rid)] = pk
        return found, issues

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return self._resolve(batch)[1]

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        from ..services.grading import ensure_indicator_set

        found, issues = self._resolve(batch)
        if issues:
            return issues
        indicators: dict[tuple[int, str, str], int] = {}
        for y, role in {(r[0], r[1]) for _, r in batch}:
            for row in ensure_indicator_set(year=y, role=role):
                indicators[(y, role, row.code)] = row.pk
        user = self.ctx.actor if getattr(self.ctx.actor, "pk", None) is not None else None
        now = timezone.now()
        CadreScore.objects_unscoped.bulk_create(
            [CadreScore(indicator_id=indicators[(y, role, code)], person_id=found[(y, role, rid)], score=score,
                        entered_by=user, entered_at=now) for _, (y, role, rid, _name, code, score) in batch],
            update_conflicts=True, unique_fields=["indicator", "person"], update_fields=["score", "entered_by", "entered_at"])
        self.written += len(batch)
        return []

    def summary(self) -> str:
        return f"（写入干部考核得分 {self.written}）"


def _export_scores(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    rows = scores_for(ctx.actor, year=ctx.year or 0, role=ctx.filters.get("role", ""), region=ctx.region_code,
                      q=ctx.filters.get("q", "")) if ctx.year else CadreScore.objects_unscoped.none()
    for s in rows.iterator(chunk_size=5000):
        rid = s.person.reveal_resident_id() if ctx.full_ids else s.person.resident_id_masked
        yield (s.indicator.year, CadreRole(s.indicator.role).label, rid, s.person.name, s.indicator.title, s.score)


register(Template(
    kind="cadre_scores", title="干部考核得分", object_type="cadre_score",
    columns=(
        Column("年度", "year", year),
        Column("考核对象", "role", _role, choices=tuple(ROLE_BY_LABEL), note="第一书记、驻村干部或村党组织书记"),
        Column("身份证号", "resident_id", _resident_id, width=22, note="须已在人员中登记"),
        Column("姓名", "name", note="须与身份证号登记的姓名一致"),
        Column("指标", "indicator", note="录入类指标的名称，如民主评议、群众满意度", width=16),
        Column("得分", "score", number(SCORE_RANGE), note="0–100，最多两位小数"),
    ),
    sink=CadreScoreSink, export_rows=_export_scores, needs_year=True, import_perm="edit_cadres", carries_ids=True,
    filters=(("role", "考核对象"), ("q", "姓名")),
))


def _export_grades(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..models.grading import Dimension  # noqa: F401  (labels live on the model)

    rows = grades_for(ctx.actor, year=ctx.year or 0, role=ctx.filters.get("role", ""), region=ctx.region_code,
                      grade=ctx.filters.get("grade", ""), missing=ctx.filters.get("missing") == "1",
                      q=ctx.filters.get("q", ""))
    titles = dict(CadreIndicator.objects_unscoped.filter(year=ctx.year or 0).values_list("code", "title"))
    for g in rows.iterator(chunk_size=5000):
        scores = "；".join(f"{titles.get(c, c)} {v}" for c, v in g.scores.items())
        missing = "、".join(titles.get(c, c) for c in g.missing)
        yield (g.year, CadreRole(g.role).label, g.person.name, g.region.name, g.region_id, scores,
               "" if g.total is None else g.total, g.rank or "", g.grade or ("缺数据" if g.total is None else ""),
               missing, GradeStatus(g.status).label)


register(Template(
    kind="cadre_grades", title="干部考核等次", object_type="cadre_grade",
    columns=(
        Column("年度", "year", year), Column("考核对象", "role"), Column("姓名", "name"),
        Column("所在村", "village", width=16), Column("区划代码", "code", width=16), Column("各项得分", "scores", width=60),
        Column("综合得分", "total"), Column("排名", "rank"), Column("等次", "grade"),
        Column("缺少数据的指标", "missing", width=30), Column("状态", "status"),
    ),
    sink=ExportOnlySink, export_rows=_export_grades, needs_year=True, import_perm="grade_cadres", importable=False,
    filters=(("role", "考核对象"), ("grade", "等次"), ("missing", "缺数据"), ("q", "姓名")),
))


def _export_outcomes(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    rows = outcomes_for(ctx.actor, year=ctx.year, region=ctx.region_code, kind=ctx.filters.get("kind", ""),
                        state=ctx.filters.get("state", ""), q=ctx.filters.get("q", ""))
    for o in rows.iterator(chunk_size=5000):
        yield (o.grade.year, CadreRole(o.grade.role).label, o.grade.person.name, o.grade.region.name, o.grade.grade,
               OutcomeKind(o.kind).label, o.reason, o.get_state_display(),
               timezone.localtime(o.proposed_at).strftime("%Y-%m-%d %H:%M:%S") if o.proposed_at else "",
               o.note)


register(Template(
    kind="cadre_outcomes", title="考核结果运用", object_type="cadre_outcome",
    columns=(
        Column("年度", "year", year), Column("考核对象", "role"), Column("姓名", "name"), Column("所在村", "village"),
        Column("等次", "grade"), Column("结果运用", "kind", width=20), Column("理由", "reason", width=40),
        Column("审批状态", "state"), Column("提出时间", "proposed_at", width=20), Column("审批意见", "note", width=30),
    ),
    sink=ExportOnlySink, export_rows=_export_outcomes, needs_year=True, import_perm="grade_cadres", importable=False,
    filters=(("kind", "结果运用"), ("state", "审批状态"), ("q", "姓名")),
))
