"""Sheets of 整合项目: `projects` (import and export: one row per project and funding source, the rows of a project
grouped by 年度 + 区划代码 + 项目名称) and `project_funds` (export: the fund totals by source and county).

An imported row names the project by its year, its most specific region (county, township or village: the county
and township are derived from the code) and its name. A project not yet registered is registered at 立项 (its
阶段 column blank or 立项); a registered one keeps its stage (the stage moves on the project's page, where its
date and the evidence at 验收 are checked) and the row sets its source's amount. So an exported file imported
again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import F

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.text import ParseError, parse_date
from wuzaicun.regions.imports import region_code
from wuzaicun.regions.models import Level, Region
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ExportOnlySink,
    ImportContext,
    Raw,
    RowErrors,
    RowIssue,
    Template,
    bounded_text,
    choice,
    money,
    year,
)

from ..models.projects import FundSource, Project, ProjectFunding, ProjectStage
from ..rules.projects import SOURCE_BY_LABEL, amount_problem, most_specific, place_of
from ..selectors.projects import fund_totals, projects_for

Key = tuple[int, str, str]  # (year, region, name)
STAGE_BY_LABEL = {str(label): str(value) for value, label in ProjectStage.choices}


def date(raw: Raw) -> dt.date:
    if raw is None or raw == "":
        raise ParseError("请填写日期")
    return parse_date(raw)


class ProjectSink:
    """Projects and their fundings; all-or-nothing, every problem of a row in one pass."""

    checks_partial_rows = True

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.regions = dict(scoped(Region, ctx.actor).filter(level__in=(Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE))
                            .values_list("code", "name"))
        self.first: dict[Key, tuple[int, dt.date | None, str, str | None]] = {}  # project → first line and its facts
        self.sources: dict[tuple[Key, str], int] = {}
        self.ids: dict[Key, int] = {}
        self.created = 0
        self.amounts = 0

    def check(self, row: dict[str, Any], line: int) -> dict[str, Any]:
        problems: list[tuple[str, str]] = []
        code = row["region"]
        if code is not None:
            try:
                place_of(code)
            except ValueError as exc:
                problems.append(("区划代码", str(exc)))
            else:
                if code not in self.regions:
                    problems.append(("区划代码", f"“{code}”不存在或不在您的管辖范围内"))
        if row["name"] is not None and not row["name"]:
            problems.append(("项目名称", "项目名称为必填项"))
        if row["amount"] is not None and (problem := amount_problem(row["amount"])):
            problems.append(("金额", problem))
        approved, yr = row["approved_on"], row["year"]
        if approved is not None and yr is not None and approved.year != yr:
            problems.append(("立项日期", f"立项日期（{approved:%Y-%m-%d}）须在{yr}年度之内"))
        if self.ctx.year is not None and yr is not None and yr != self.ctx.year:
            problems.append(("年度", f"年度 {yr} 与导入时指定的 {self.ctx.year} 不一致"))
        stage = STAGE_BY_LABEL.get(row["stage"] or "立项")
        if None not in (yr, code, row["name"]) and row["name"]:
            key: Key = (yr, code, row["name"])
            description = row["description"] or ""
            if (seen := self.first.get(key)) is None:
                self.first[key] = (line, approved, description, stage)
            else:
                first, first_on, first_description, first_stage = seen
                if approved is not None and first_on is not None and approved != first_on:
                    problems.append(("立项日期", f"与第{first}行（同一项目）的立项日期不一致"))
                if description and first_description and description != first_description:
                    problems.append(("建设内容", f"与第{first}行（同一项目）的建设内容不一致"))
                if stage != first_stage:
                    problems.append(("阶段", f"与第{first}行（同一项目）的阶段不一致"))
            if row["source"] is not None:
                source = SOURCE_BY_LABEL[row["source"]]
                if (other := self.sources.get((key, source))) is not None:
                    problems.append(("资金来源", f"与第{other}行重复（同一项目的同一资金来源）"))
                else:
                    self.sources[(key, source)] = line
        if problems:
            raise RowErrors(problems)
        row["source"] = SOURCE_BY_LABEL.get(row["source"])  # None: the engine names the column that did not parse
        row["stage"] = stage
        row["description"] = row["description"] or ""
        return row

    def _existing(self, batch: list[tuple[int, Any]]) -> dict[Key, tuple[int, str]]:
        keys = {(r["year"], r["region"], r["name"]) for _, r in batch}
        rows = Project.objects_unscoped.filter(year__in={k[0] for k in keys}, region_id__in={k[1] for k in keys},
                                               name__in={k[2] for k in keys})
        return {(y, r, n): (pk, s) for pk, y, r, n, s in rows.values_list("pk", "year", "region_id", "name", "stage")
                if (y, r, n) in keys}

    def _issues(self, batch: list[tuple[int, Any]], existing: dict[Key, tuple[int, str]]) -> list[RowIssue]:
        issues = []
        for line, row in batch:
            key = (row["year"], row["region"], row["name"])
            found = existing.get(key)
            if found is None and key not in self.ids and row["stage"] != ProjectStage.APPROVED:
                issues.append(RowIssue(line, "阶段", "新项目只能以“立项”导入；实施、验收、完成须在项目页面逐步登记（含日期和验收佐证材料）"))
            elif found is not None and row["stage"] != found[1]:
                issues.append(RowIssue(line, "阶段", f"该项目已处于“{ProjectStage(found[1]).label}”阶段，导入不改变项目阶段"))
        return issues

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return self._issues(batch, self._existing(batch))

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        existing = self._existing(batch)
        if issues := self._issues(batch, existing):
            return issues
        self.ids |= {k: v[0] for k, v in existing.items()}
        new: dict[Key, Project] = {}
        for _, row in batch:
            key = (row["year"], row["region"], row["name"])
            if key in self.ids or key in new:
                continue
            county, township, village = place_of(row["region"])
            new[key] = Project(name=row["name"], year=row["year"], county_id=county, township_id=township,
                               village_id=village, region_id=most_specific(county, township, village),
                               approved_on=row["approved_on"], description=row["description"][:500])
        if new:
            Project.objects_unscoped.bulk_create(list(new.values()))
            found = self._existing([(0, {"year": k[0], "region": k[1], "name": k[2]}) for k in new])
            self.ids |= {k: v[0] for k, v in found.items()}
            self.created += len(new)
        ProjectFunding.objects_unscoped.bulk_create(
            [ProjectFunding(project_id=self.ids[(r["year"], r["region"], r["name"])], source=r["source"],
                            amount=r["amount"]) for _, r in batch],
            update_conflicts=True, unique_fields=["project", "source"], update_fields=["amount"])
        self.amounts += len(batch)
        touched = {self.ids[k] for k in existing}
        if touched:  # an open page of a project whose amounts changed must reload before saving
            Project.objects_unscoped.filter(pk__in=touched).update(version=F("version") + 1)
        return []

    def summary(self) -> str:
        return f"（新立项 {self.created} 个，写入资金来源 {self.amounts} 项）"


def _export_projects(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from wuzaicun.responsibility.selectors import working_year

    f = ctx.filters
    rows = projects_for(ctx.actor, year=ctx.year or working_year(), region=ctx.region_code, source=f.get("source", ""),
                        stage=f.get("stage", ""), poor=f.get("poor") == "1", no_village=f.get("no_village") == "1",
                        q=f.get("q", ""))
    fundings = ProjectFunding.objects_unscoped.filter(project__in=rows.order_by().values("pk"))
    order = {v: i for i, v in enumerate(FundSource.values)}
    by_project: dict[int, list[tuple[str, Decimal]]] = {}
    for project_id, source, amount in fundings.values_list("project_id", "source", "amount").iterator(chunk_size=5000):
        by_project.setdefault(project_id, []).append((source, amount))
    for p in rows.iterator(chunk_size=2000):
        for source, amount in sorted(by_project.get(p.pk, []), key=lambda x: order[x[0]]):
            yield (p.year, p.name, p.region_id, str(FundSource(source).label), amount, p.get_stage_display(),
                   p.approved_on, p.description)


register(Template(
    kind="projects", title="整合项目", object_type="project",
    columns=(
        Column("年度", "year", year, note="立项年度"),
        Column("项目名称", "name", bounded_text(200), width=28),
        Column("区划代码", "region", region_code, width=16,
               note="实施村的12位代码；尚未落实到村的填管理乡镇或统筹县的代码"),
        Column("资金来源", "source", choice([str(x) for x in FundSource.labels]), width=16,
               note="、".join(str(x) for x in FundSource.labels)),
        Column("金额", "amount", money, note="元，大于0，精确到分，可写作 10,000.01"),
        Column("阶段", "stage", choice([str(x) for x in ProjectStage.labels]), required=False,
               note="新项目留空或填“立项”"),
        Column("立项日期", "approved_on", date, note="须在年度之内"),
        Column("建设内容", "description", bounded_text(500), required=False, width=30),
    ),
    sink=ProjectSink, export_rows=_export_projects, needs_year=True, import_perm="edit_resources",
    filters=(("q", "关键词"), ("source", "资金来源"), ("stage", "阶段"), ("poor", "只看贫困村"),
             ("no_village", "未落实到村")),
))


def _export_funds(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from wuzaicun.responsibility.selectors import working_year

    totals = fund_totals(ctx.actor, year=ctx.year or working_year(), region=ctx.region_code)
    for row in [*totals.rows, totals.total]:
        yield (totals.year, row.code, row.name, *row.cells, row.total, row.poor,
               "" if row.share is None else row.share)


register(Template(
    kind="project_funds", title="整合项目资金汇总", object_type="project",
    columns=(Column("年度", "year"), Column("区划代码", "region", width=16), Column("区划", "name", width=16),
             *[Column(str(label), value) for value, label in FundSource.choices],
             Column("合计（元）", "total"), Column("投向贫困村（元）", "poor"), Column("投向贫困村占比（%）", "share")),
    sink=ExportOnlySink, export_rows=_export_funds, needs_year=True, import_perm="edit_resources",
    importable=False,
))
