"""Reads of 整合项目: the year's projects in scope with their funds, a project's fundings, beneficiaries and
evidence, and the fund totals by source and county (or township) with the share that reached poor villages.

"Poor village" is the village's 村情 flag of the project's year (VillageYear.is_poor); a project not yet
落实到村 never counts as reaching a poor village."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped
from wuzaicun.regions.codes import level_of
from wuzaicun.regions.models import VillageYear
from wuzaicun.regions.selectors import region_names

from ..models.projects import FundSource, Project, ProjectBeneficiary, ProjectEvidence, ProjectFunding
from ..rules.projects import money_share

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal(0), output_field=MONEY)
STAGE_FILTERS = ("approved", "implementing", "accepted", "completed")


def poor_village(years: QuerySet[VillageYear], prefix: str = "") -> Exists:
    """True when the project's village is a poor village in the project's year (`prefix` reaches the project;
    `years` the 村情 rows to look in: the viewer's, or every one for an indicator)."""
    return Exists(years.filter(village_id=OuterRef(f"{prefix}village_id"), year=OuterRef(f"{prefix}year"),
                               is_poor=True))


def projects_for(user: Any, *, year: int, region: str | None = None, source: str = "", stage: str = "",
                 poor: bool = False, no_village: bool = False, q: str = "") -> QuerySet[Project]:
    """The year's projects in scope, with `total` (all sources, yuan) and `poor` (the village is poor that year)."""
    rows = narrowed(scoped(Project, user), region).filter(year=year)
    if source in FundSource.values:
        rows = rows.filter(Exists(scoped(ProjectFunding, user).filter(project=OuterRef("pk"), source=source)))
    if stage in STAGE_FILTERS:
        rows = rows.filter(stage=stage)
    if no_village:
        rows = rows.filter(village__isnull=True)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(village__name__icontains=q) | Q(township__name__icontains=q))
    totals = (scoped(ProjectFunding, user).filter(project=OuterRef("pk")).order_by().values("project")
              .annotate(s=Sum("amount")).values("s"))
    rows = rows.annotate(total=Coalesce(Subquery(totals, output_field=MONEY), ZERO),
                         poor=poor_village(scoped(VillageYear, user)))
    if poor:
        rows = rows.filter(poor=True)
    return rows.select_related("county", "township", "village").order_by("region_id", "id")


def project_totals(user: Any, rows: QuerySet[Project]) -> dict[str, Any]:
    """Projects, funds, funds reaching poor villages and their share over a list as filtered (two queries)."""
    ids = rows.order_by().values("pk")
    in_poor = Q(poor_village(scoped(VillageYear, user), "project__"))
    money = scoped(ProjectFunding, user).filter(project__in=ids).aggregate(
        total=Coalesce(Sum("amount"), ZERO), poor=Coalesce(Sum("amount", filter=in_poor), ZERO))
    total, poor = _fen(money["total"]), _fen(money["poor"])
    return {"projects": rows.count(), "total": total, "poor": poor, "share": money_share(poor, total)}


def project_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, Any]:
    """The year's projects in scope, those implemented in a poor village (P6), and their funds (two queries; the
    headline figures read it)."""
    poor = poor_village(scoped(VillageYear, user))
    projects = narrowed(scoped(Project, user), region).filter(year=year).aggregate(
        projects=Count("id"), poor_projects=Count("id", filter=Q(poor)))
    funds = narrowed(scoped(ProjectFunding, user), region).filter(project__year=year).aggregate(
        funds=Coalesce(Sum("amount"), ZERO),
        poor_funds=Coalesce(Sum("amount", filter=Q(poor_village(scoped(VillageYear, user), "project__"))), ZERO))
    return {**projects, **funds}


def _fen(amount: Any) -> Decimal:
    """A sum to the fen (SQLite hands a decimal SUM back with a float's tail)."""
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def get_project_for_user(user: Any, pk: int) -> Project:
    return get_for_user(scoped(Project, user).select_related("county", "township", "village")
                        .annotate(poor=poor_village(scoped(VillageYear, user))), user, pk=pk)


def fundings_of(user: Any, project: Project) -> list[ProjectFunding]:
    order = {value: i for i, value in enumerate(FundSource.values)}
    return sorted(scoped(ProjectFunding, user).filter(project=project), key=lambda f: order[f.source])


def beneficiaries_of(user: Any, project: Project) -> QuerySet[ProjectBeneficiary]:
    return (scoped(ProjectBeneficiary, user).filter(project=project).select_related("household")
            .order_by("household__head_name", "household_id"))


def evidence_of(user: Any, project: Project) -> QuerySet[ProjectEvidence]:
    return scoped(ProjectEvidence, user).filter(project=project).order_by("uploaded_at", "id")


@dataclass
class FundRow:
    """One county's (or township's, or village's) funds of the year: by source, total, reaching poor villages."""

    code: str
    name: str
    by_source: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal(0)
    poor: Decimal = Decimal(0)

    @property
    def share(self) -> Decimal | None:
        return money_share(self.poor, self.total)

    @property
    def cells(self) -> list[Decimal]:
        return [self.by_source.get(s, Decimal(0)) for s in FundSource.values]


@dataclass
class FundTotals:
    year: int
    unit: str  # 县（市、区） / 乡（镇、街道） / 村（社区）
    rows: list[FundRow]
    total: FundRow


def fund_totals(user: Any, *, year: int, region: str | None = None) -> FundTotals:
    """The year's funds in scope by source × county; a county picked gives its townships, a township its villages
    (the project not named below that level on a row of its own: 县本级 / 乡镇本级). Two aggregate queries and one
    for the names, whatever the size."""
    level = level_of(region) if region else 0
    key, unit, own = (("township_id", "乡（镇、街道）", "县本级（未落实到乡镇）") if level == 3 else
                      ("village_id", "村（社区）", "乡镇本级（未落实到村）") if level >= 4 else
                      ("county_id", "县（市、区）", ""))
    funds = narrowed(scoped(ProjectFunding, user), region).filter(project__year=year).order_by()
    by_source = funds.values_list(f"project__{key}", "source").annotate(s=Sum("amount"))
    poor = (funds.filter(poor_village(scoped(VillageYear, user), "project__")).values_list(f"project__{key}").annotate(s=Sum("amount")))
    rows: dict[str | None, FundRow] = {}
    for code, source, amount in by_source:
        row = rows.setdefault(code, FundRow(code or "", own))
        amount = _fen(amount)
        row.by_source[source] = amount
        row.total += amount
    for code, amount in poor:
        rows[code].poor = _fen(amount)
    names = region_names([c for c in rows if c])
    for code, row in rows.items():
        if code:
            row.name = names.get(code, code)
    ordered = sorted(rows.values(), key=lambda r: (r.code == "", r.code))
    whole = FundRow("", "合计")
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in ordered:
        for source, amount in row.by_source.items():
            sums[source] += amount
        whole.total += row.total
        whole.poor += row.poor
    whole.by_source = dict(sums)
    return FundTotals(year=year, unit=unit, rows=ordered, total=whole)


def project_figures_by_area(user: Any, *, within: str, width: int) -> dict[tuple[str, int], dict[str, Any]]:
    """The projects in scope and their funds (all, and those of projects in a village poor that year), per child
    area (the first `width` digits of the project's region code, under `within`) and year (two grouped queries)."""
    from wuzaicun.regions.selectors import by_area, merged

    in_poor = Q(poor_village(scoped(VillageYear, user), "project__"))
    return merged(
        by_area(scoped(Project, user), within=within, width=width, projects=Count("id")),
        by_area(scoped(ProjectFunding, user), within=within, width=width, year="project__year",
                project_funds=Coalesce(Sum("amount"), ZERO),
                project_funds_poor_villages=Coalesce(Sum("amount", filter=in_poor), ZERO)))
