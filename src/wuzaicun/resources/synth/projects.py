"""Synthetic 整合项目 (the seed: 整合…项目集中向871个贫困村倾斜): projects from every source concentrated on poor
villages. Each poor village of the year implements 2–4 projects of the year and one of the year before (完成),
another village none or one; about one township in six has a project managed by it with no village yet (the
`project_no_village` gaps). Every project has 1–3 sources with exact amounts (yuan and fen), the year's stages
spread by their dates (those past 验收 have an acceptance report), and the poverty and housing projects of a poor
village list 3–8 of its households still poor (未脱贫) as beneficiaries.

Drawn village by village (and township by township), so a county run gives that county what a city run does; a
prefix that has projects already is left as it is."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.registry.models import Household

from ..models.projects import (
    FundSource,
    Project,
    ProjectBeneficiary,
    ProjectEvidence,
    ProjectFunding,
    ProjectStage,
)

NO_VILLAGE = 0.16  # share of townships with a project not yet 落实到村
OTHER_VILLAGE = 0.35  # chance that a village that is not poor has a project of the year
WORKS = {
    FundSource.POVERTY: ("产业扶贫基地", "扶贫车间", "特色种养殖项目"),
    FundSource.ROAD: ("通组硬化路", "产业路", "联户路"),
    FundSource.WATER: ("饮水安全巩固提升工程", "小水窖", "灌溉渠"),
    FundSource.HOUSING: ("危房改造", "易地扶贫搬迁安置点"),
    FundSource.POWER: ("农网改造", "动力电入户"),
    FundSource.TELECOM: ("光纤宽带入户", "4G基站"),
    FundSource.HAMLET: ("村寨整治", "文体活动广场"),
    FundSource.FOUR_IN_FARM: ("四在农家·美丽乡村创建", "庭院整治"),
    FundSource.SOCIAL: ("企业帮扶产业园", "社会捐建便民服务中心"),
    FundSource.OTHER: ("村级公益设施", "农田水利设施"),
}
SOURCES = list(FundSource)
COLUMNS = ("name", "year", "county_id", "township_id", "village_id", "region_id", "stage", "approved_on",
           "started_on", "accepted_on", "completed_on", "description", "version")


def _plan(rng: random.Random, year: int, name: str, county: str, township: str, village: str | None,
          poor: bool, done: bool = False) -> tuple[tuple[object, ...], list[tuple[str, Decimal]]]:
    first = FundSource.POVERTY if poor and rng.random() < 0.6 else rng.choice(SOURCES)
    others = rng.sample([s for s in SOURCES if s != first], rng.choice((0, 0, 1, 1, 2)))
    sources = [first, *others]
    amounts = [(str(s), Decimal(rng.randint(30_000, 2_500_000)) + Decimal(rng.randint(0, 99)) / 100) for s in sources]
    work = rng.choice(WORKS[first])
    end = dt.date(year + 1, 12, 31) if done else dt.date(year, 12, 31)  # last year's are finished by now
    approved = dt.date(year, rng.randint(1, 9), rng.randint(1, 28))
    dates: list[dt.date | None] = [approved, None, None, None]
    reach = 3 if done else rng.choice((0, 1, 1, 2, 2, 3, 3))
    day = approved
    for i, gap in enumerate((rng.randint(15, 60), rng.randint(60, 150), rng.randint(7, 40))[:reach], start=1):
        day = day + dt.timedelta(days=gap)
        if day > end:
            break
        dates[i] = day
    stage = ProjectStage.values[max(i for i, d in enumerate(dates) if d is not None)]
    region = village or township
    row = (f"{name}{work}", year, county, township, village, region, stage, *dates,
           f"{work}（{'、'.join(str(FundSource(s).label) for s, _ in amounts)}）", 1)
    return row, amounts


def generate_projects(ctx: SynthContext) -> None:
    if Project.objects_unscoped.filter(region__code__within=ctx.prefix).exists():
        return
    projects: list[tuple[object, ...]] = []
    fundings: dict[tuple[int, str, str], list[tuple[str, Decimal]]] = {}
    beneficiary_wanted: dict[tuple[int, str, str], tuple[str, int]] = {}
    for township in sorted(ctx.villages_by_township):
        if not ctx.covers(township):
            continue
        county = township[:6] + "000000"
        t_rng = ctx.rng_for("projects", township)
        if t_rng.random() < NO_VILLAGE:
            row, amounts = _plan(t_rng, ctx.year, ctx.region_names.get(township, ""), county, township, None, False)
            projects.append(row)
            fundings[(ctx.year, township, str(row[0]))] = amounts
        for village in sorted(ctx.villages_by_township[township]):
            rng = ctx.rng_for("projects", village)
            poor = village in ctx.poor_villages
            count = rng.randint(2, 4) if poor else int(rng.random() < OTHER_VILLAGE)
            place = ctx.region_names.get(village, "").removesuffix("村民委员会").removesuffix("居民委员会")
            names: set[tuple[int, str]] = set()
            plans = [(ctx.year, False)] * count + ([(ctx.year - 1, True)] if poor else [])
            for year, done in plans:
                row, amounts = _plan(rng, year, place, county, township, village, poor, done)
                name = str(row[0])
                if (year, name) in names:
                    name = f"{name}（{sum(n[1].startswith(name) for n in names) + 1}期）"
                    row = (name, *row[1:])
                names.add((year, name))
                projects.append(row)
                fundings[(year, village, name)] = amounts
                if poor and amounts[0][0] in (FundSource.POVERTY, FundSource.HOUSING):
                    beneficiary_wanted[(year, village, name)] = (village, rng.randint(3, 8))
    ctx.insert(Project._meta.db_table, COLUMNS, projects)
    ids = {(y, r, n): (pk, s) for pk, y, r, n, s in Project.objects_unscoped.filter(region__code__within=ctx.prefix)
           .values_list("pk", "year", "region_id", "name", "stage")}
    ctx.insert(ProjectFunding._meta.db_table, ("project_id", "source", "amount"),
               [(ids[key][0], source, amount) for key, amounts in fundings.items() for source, amount in amounts])
    ctx.insert(ProjectEvidence._meta.db_table, ("project_id", "path", "original_name", "content_type", "size",
                                                "sha256"),
               [(pk, "evidence/synth/acceptance.pdf", f"{key[2]}验收报告.pdf", "application/pdf", 0, "0" * 64)
                for key, (pk, stage) in ids.items() if stage in (ProjectStage.ACCEPTED, ProjectStage.COMPLETED)])
    _beneficiaries(ctx, ids, beneficiary_wanted)


def _beneficiaries(ctx: SynthContext, ids: dict[tuple[int, str, str], tuple[int, str]],
                   wanted: dict[tuple[int, str, str], tuple[str, int]]) -> None:
    """The first households still poor of each village (by blind index), eight at most, one query."""
    villages = sorted({v for v, _ in wanted.values()})
    pool: dict[str, list[int]] = {}
    for start in range(0, len(villages), 2000):
        ranked = (Household.objects_unscoped.filter(region_id__in=villages[start:start + 2000], status="未脱贫")
                  .annotate(n=Window(RowNumber(), partition_by=F("region_id"), order_by=F("resident_id_hash").asc()))
                  .filter(n__lte=8).values_list("region_id", "pk"))
        for village, pk in ranked:
            pool.setdefault(village, []).append(pk)
    ctx.insert(ProjectBeneficiary._meta.db_table, ("project_id", "household_id"),
               [(ids[key][0], pk) for key, (village, n) in sorted(wanted.items())
                for pk in pool.get(village, [])[:n]])


register_step("resources_projects", 73, generate_projects, label="整合项目")
