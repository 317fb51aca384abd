"""Spreadsheets of the annual assessment: entered scores (import and export) and the results (export)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.regions.codes import level_of
from wuzaicun.regions.imports import region_code
from wuzaicun.regions.models import Region
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
    year,
)

from .models import SCORE_RANGE, AssessmentResult, AssessmentScheme, EnteredScore, Indicator

_score = number(SCORE_RANGE)


class ScoreSink:
    """Entered scores (录入型指标) for villages and townships in scope; a re-import replaces the score."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.subjects = frozenset(scoped(Region, ctx.actor).filter(level__in=(4, 5)).values_list("code", flat=True))
        self.leaves: dict[tuple[int, int, str], int] = {}  # (year, level, code) → indicator of the default scheme
        self.seen: dict[tuple[int, str], int] = {}
        self.written = 0

    def _leaf(self, year_: int, level: int, code: str) -> int | None:
        key = (year_, level, code)
        if key not in self.leaves:
            scheme = AssessmentScheme.objects_unscoped.filter(year=year_, level=level, county__isnull=True).first()
            found = None
            if scheme is not None:
                node = Indicator.objects_unscoped.filter(scheme=scheme, code=code, provider="").first()
                if node is not None and not node.children.exists():
                    found = node.pk
            self.leaves[key] = found or 0
        return self.leaves[key] or None

    def check(self, row: dict[str, Any], line: int) -> tuple[int, str, Decimal]:
        subject = row["subject"]
        if subject not in self.subjects:
            raise RowError("区划代码", f"“{subject}”不是村或乡镇，或不在您的管辖范围内")
        leaf = self._leaf(row["year"], level_of(subject), row["indicator"])
        if leaf is None:
            raise RowError("指标代码", f"{row['year']}年度没有名为“{row['indicator']}”的录入型指标（须先计算一次考核以建立指标体系）")
        if (first := self.seen.get((leaf, subject))) is not None:
            raise RowError("区划代码", f"与第{first}行重复（同一对象同一指标）")
        self.seen[(leaf, subject)] = line
        return leaf, subject, row["score"]

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return []

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        actor = self.ctx.actor if getattr(self.ctx.actor, "pk", None) else None
        EnteredScore.objects_unscoped.bulk_create(
            [EnteredScore(indicator_id=leaf, subject_id=subject, score=score, entered_by=actor)
             for _, (leaf, subject, score) in batch],
            update_conflicts=True, unique_fields=["indicator", "subject"], update_fields=["score", "entered_by"],
        )
        self.written += len(batch)
        return []

    def summary(self) -> str:
        return f"（写入得分 {self.written}）"


def _export_scores(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    rows = narrowed(scoped(EnteredScore, ctx.actor), ctx.region_code).select_related("indicator__scheme")
    if ctx.year is not None:
        rows = rows.filter(indicator__scheme__year=ctx.year)
    for row in rows.order_by("subject_id", "indicator__code").iterator(chunk_size=5000):
        yield row.indicator.scheme.year, row.subject_id, row.indicator.code, row.score


register(Template(
    kind="assessment_scores", title="考核录入得分", object_type="entered_score",
    columns=(
        Column("年度", "year", year),
        Column("区划代码", "subject", region_code, note="村或乡镇的12位区划代码", width=16),
        Column("指标代码", "indicator", note="如 field_review（实地考核）"),
        Column("得分", "score", _score, note="0–100"),
    ),
    sink=ScoreSink, export_rows=_export_scores, needs_year=True, import_perm="run_spot_checks",
))


def _export_results(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    rows = narrowed(scoped(AssessmentResult, ctx.actor), ctx.region_code).select_related("subject")
    if ctx.year is not None:
        rows = rows.filter(year=ctx.year)
    for r in rows.order_by("subject_id").iterator(chunk_size=5000):
        yield r.year, r.subject_id, r.subject.name, r.total, r.rank, r.grade, r.get_status_display()


register(Template(
    kind="assessment_results", title="年度考核结果", object_type="assessment",
    columns=(
        Column("年度", "year", year), Column("区划代码", "subject", region_code), Column("名称", "name"),
        Column("总分", "total"), Column("县内排名", "rank"), Column("等次", "grade"), Column("状态", "status"),
    ),
    sink=ExportOnlySink, export_rows=_export_results, needs_year=True, import_perm="run_spot_checks", importable=False,
))


def _export_findings(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """Picks and findings of closed plans only: an open plan's list is secret, even from its own exporter."""
    from .models import PlanStatus, SpotCheckPick

    picks = narrowed(scoped(SpotCheckPick, ctx.actor), ctx.region_code).filter(plan__status=PlanStatus.CLOSED)
    if ctx.year is not None:
        picks = picks.filter(plan__year=ctx.year)
    picks = picks.select_related("plan", "assignment__village", "assignment__person", "assignment__team",
                                 "finding").prefetch_related("finding__sanctions")
    for pick in picks.order_by("plan__year", "plan__quarter", "assignment__village_id", "pk").iterator(chunk_size=2000):
        entry = pick.assignment
        who = entry.person.name if entry.person else (entry.team.name if entry.team else "")
        finding = getattr(pick, "finding", None)
        sanctions = "、".join(s.get_kind_display() for s in finding.sanctions.all()) if finding else ""
        yield (pick.plan.year, pick.plan.quarter, entry.village_id, entry.village.name, entry.get_kind_display(), who,
               finding.get_result_display() if finding else "未检查", finding.notes if finding else "", sanctions)


register(Template(
    kind="spot_check_findings", title="季度抽查结果", object_type="spot_check_finding",
    columns=(
        Column("年度", "year", year), Column("季度", "quarter"), Column("区划代码", "village", region_code),
        Column("村", "village_name"), Column("清单类型", "kind"), Column("责任人（责任主体）", "who"),
        Column("检查结果", "result"), Column("情况说明", "notes"), Column("处理方式", "sanctions"),
    ),
    sink=ExportOnlySink, export_rows=_export_findings, needs_year=True, import_perm="run_spot_checks", importable=False,
))


def _export_picks(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """One plan's picks as its page shows them (by stratum), for whoever may see them: until the plan closes
    only its owner, inspectors and the system administrator (the view is audited as sensitive). The checks
    run before the first row is asked for, so a refusal never leaves a half-written file."""
    from wuzaicun.core.errors import DomainError, NotFound

    from .selectors import get_plan_for_user, picks_for, plan_strata

    plan_id = ctx.filters.get("plan", "")
    if not plan_id.isdigit() or len(plan_id) > 18:
        raise DomainError("请在抽查计划页面导出其抽中名单", field="抽查计划")
    plan = get_plan_for_user(ctx.actor, int(plan_id))
    picks = picks_for(ctx.actor, plan)
    if picks is None:
        raise NotFound()
    labels = {s["code"]: s["label"] for s in plan_strata(plan)}
    if ctx.filters.get("stratum") in labels:
        picks = picks.filter(stratum=ctx.filters["stratum"])

    def rows() -> Iterator[Sequence[Any]]:
        for pick in picks.select_related("finding").iterator(chunk_size=2000):
            entry = pick.assignment
            who = entry.person.name if entry.person else (entry.team.name if entry.team else "")
            finding = getattr(pick, "finding", None)
            yield (plan.pk, f"{plan.year}年第{plan.quarter}季度", labels.get(pick.stratum, pick.stratum),
                   entry.get_kind_display(), entry.village_id, entry.village.name, who,
                   finding.get_result_display() if finding else "未检查")

    return rows()


register(Template(
    kind="spot_check_picks", title="抽查计划抽中名单", object_type="spot_check_plan",
    columns=(
        Column("计划编号", "plan"), Column("季度", "quarter"), Column("分层", "stratum", width=20),
        Column("清单类型", "kind"), Column("区划代码", "village", width=16), Column("村", "village_name", width=20),
        Column("责任人（责任主体）", "who", width=20), Column("检查结果", "result"),
    ),
    sink=ExportOnlySink, export_rows=_export_picks, import_perm="run_spot_checks", importable=False,
    filters=(("plan", "抽查计划"), ("stratum", "分层")),
))
