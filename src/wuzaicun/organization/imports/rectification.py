"""Spreadsheets of 倒排整顿: 民主评议 scores (`democratic_scores`, import and export), the ranking with every
indicator behind each rank (`rectification_ranking`, export) and the cases (`rectification_cases`, export)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.core.bounds import range_of
from wuzaicun.core.errors import DomainError
from wuzaicun.regions.imports import region_code
from wuzaicun.regions.models import Level, Region
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

from ..models.rectification import DemocraticScore
from ..rules.rectification import RANKING_INDICATORS
from ..selectors.rectification import cases_for, picks_of, round_for_page

SCORE_RANGE = range_of(DemocraticScore, "score", low=0, high=100)


class DemocraticScoreSink:
    """民主评议 scores of villages in scope; a village's score for a year is replaced by a re-import."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.villages = frozenset(scoped(Region, ctx.actor).filter(level=Level.VILLAGE).values_list("code", flat=True))
        self.seen: dict[tuple[int, str], int] = {}
        self.written = 0

    def check(self, row: dict[str, Any], line: int) -> tuple[int, str, Decimal]:
        village = row["village"]
        if village not in self.villages:
            raise RowError("区划代码", f"“{village}”不是村级区划，或不在您的管辖范围内")
        key = (row["year"], village)
        if (first := self.seen.get(key)) is not None:
            raise RowError("区划代码", f"与第{first}行重复（同一村同一年度）")
        self.seen[key] = line
        return row["year"], village, row["score"]

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return []

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        DemocraticScore.objects_unscoped.bulk_create(
            [DemocraticScore(year=y, village_id=v, score=s) for _, (y, v, s) in batch],
            update_conflicts=True, unique_fields=["village", "year"], update_fields=["score"],
        )
        self.written += len(batch)
        return []

    def summary(self) -> str:
        return f"（写入民主评议得分 {self.written}）"


def _export_scores(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    rows = narrowed(scoped(DemocraticScore, ctx.actor), ctx.region_code)
    if ctx.year is not None:
        rows = rows.filter(year=ctx.year)
    yield from rows.order_by("year", "village_id").values_list("year", "village_id", "score").iterator(
            chunk_size=5000)


register(Template(
    kind="democratic_scores", title="民主评议得分", object_type="democratic_score",
    columns=(
        Column("年度", "year", year),
        Column("区划代码", "village", region_code, note="村的12位区划代码", width=16),
        Column("民主评议得分", "score", number(SCORE_RANGE), note="0–100，最多两位小数"),
    ),
    sink=DemocraticScoreSink, export_rows=_export_scores, needs_year=True, import_perm="rank_organizations",
))


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _export_ranking(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """The stored round the ranking page shows (its filters), every indicator value beside each rank. The round
    is found before the first row, so a refusal never leaves a half-written file."""
    if ctx.year is None:
        raise DomainError("请选择年度", field="年度")
    round_ = round_for_page(ctx.actor, year=ctx.year, region=ctx.filters.get("round_region") or None)
    if round_ is None:
        raise DomainError(f"{ctx.year}年度尚未提出倒排名单", field="倒排名单")
    picks = picks_of(ctx.actor, round_, only=ctx.filters.get("only", ""), q=ctx.filters.get("q", ""),
                     region=ctx.region_code)

    def rows() -> Iterator[Sequence[Any]]:
        for pick in picks.iterator(chunk_size=5000):
            yield (round_.year, pick.rank, pick.village_id, pick.village.name, pick.score,
                   *[pick.values.get(i.code) if pick.values.get(i.code) is not None else "" for i in RANKING_INDICATORS],
                   _yes(pick.proposed), _yes(pick.selected), pick.change_reason)

    return rows()


register(Template(
    kind="rectification_ranking", title="软弱涣散党组织倒排名单", object_type="ranking_round",
    columns=(
        Column("年度", "year", year), Column("倒排名次", "rank"), Column("区划代码", "village", width=16),
        Column("村", "name", width=20), Column("综合得分", "score"),
        *[Column(i.title, i.code) for i in RANKING_INDICATORS],
        Column("系统提出", "proposed"), Column("列入整顿", "selected"), Column("调整理由", "reason", width=30),
    ),
    sink=ExportOnlySink, export_rows=_export_ranking, needs_year=True, import_perm="rank_organizations",
    importable=False, filters=(("round_region", "排名范围"), ("only", "范围"), ("q", "村名")),
))


def _export_cases(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.rectification import today

    cases = cases_for(ctx.actor, year=ctx.year, region=ctx.region_code, status=ctx.filters.get("status", ""),
                      q=ctx.filters.get("q", ""), overdue=ctx.filters.get("overdue") == "1")
    on = today()
    for case in cases.iterator(chunk_size=2000):
        overdue = case.deadline is not None and case.deadline < on and case.status != "transformed"
        yield (case.year, case.village_id, case.village.name, case.organisation.name if case.organisation else "",
               case.get_status_display(), case.leader.name if case.leader else "", case.deadline or "",
               _yes(overdue), case.problems, case.plan, case.measures,
               case.get_township_state_display(), case.get_county_state_display(), case.transformed_on or "")


register(Template(
    kind="rectification_cases", title="软弱涣散党组织整顿案例", object_type="rectification_case",
    columns=(
        Column("整顿年度", "year", year), Column("区划代码", "village", width=16), Column("村", "name", width=20),
        Column("党组织", "organisation", width=20), Column("整顿状态", "status"), Column("责任县领导", "leader"),
        Column("整顿时限", "deadline"), Column("逾期", "overdue"), Column("主要问题", "problems", width=30),
        Column("整顿方案", "plan", width=30), Column("整顿措施", "measures", width=30), Column("乡镇验收", "township"),
        Column("县级验收", "county"), Column("转化日期", "transformed_on"),
    ),
    sink=ExportOnlySink, export_rows=_export_cases, needs_year=True, import_perm="rank_organizations",
    importable=False, filters=(("status", "整顿状态"), ("q", "村名"), ("overdue", "逾期")),
))
