"""Reads of 倒排整顿: the year's weights, the indicator values of every village organisation in scope, the
ranking, the stored rounds and picks, the cases. Every query of scoped data goes through `scoped()`; the
ranking asks a fixed number of queries whatever the number of villages (one per indicator, plus three)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wuzaicun.accounts.scope import get_for_user, narrowed, prefix_for, scoped
from wuzaicun.core.db import roomy_queries
from wuzaicun.core.errors import NotFound
from wuzaicun.core.indicators import indicator
from wuzaicun.regions.codes import PREFIX_LENGTHS, code_from_prefix, prefix_of
from wuzaicun.regions.models import Level, Region

from ..models.rectification import (
    CaseEvidence,
    CaseProgress,
    CaseStatus,
    DemocraticScore,
    RankingPick,
    RankingRound,
    RankingWeight,
    RectificationCase,
)
from ..rules.rectification import (
    CENT,
    FROM_ASSESSMENT,
    FROM_ENTERED,
    FROM_REGISTRY,
    INDICATORS_BY_CODE,
    RANKING_INDICATORS,
    Ranked,
    Weight,
    default_weights,
    rank_villages,
)


def ranking_weights(year: int) -> list[Weight]:
    """The year's weights: those stored for the year (设置页面、接口、命令行), the defaults for the rest."""
    stored = {w.code: w for w in RankingWeight.objects_unscoped.filter(year=year)}
    return [Weight(d.code, stored[d.code].weight, stored[d.code].enabled) if d.code in stored else d
            for d in default_weights()]


def weights_customised(year: int) -> bool:
    return RankingWeight.objects_unscoped.filter(year=year).exists()


def available(code: str) -> bool:
    """Whether an indicator can be computed now: registry indicators only when an app registered them."""
    spec = INDICATORS_BY_CODE[code]
    return spec.source != FROM_REGISTRY or indicator(code) is not None


def weight_rows(year: int) -> list[dict[str, Any]]:
    """The settings page's and the API's rows: each indicator with its weight, default and availability."""
    weights = {w.code: w for w in ranking_weights(year)}
    return [{"code": i.code, "title": i.title, "weight": weights[i.code].weight, "enabled": weights[i.code].enabled,
             "default_weight": i.default_weight, "available": available(i.code),
             "description": i.description or _registry_description(i.code)} for i in RANKING_INDICATORS]


def _registry_description(code: str) -> str:
    provider = indicator(code)
    return provider.description if provider else "尚未启用（提供该指标的模块未安装），排名时跳过"


def ranking_villages(user: Any, region: str | None) -> QuerySet[Region]:
    """The village organisations ranked: every village (村/社区) in the user's scope, narrowed to `region`."""
    return narrowed(scoped(Region, user), region).filter(level=Level.VILLAGE)


@dataclass
class Ranking:
    year: int
    region: str | None
    count: int
    weights: list[Weight]
    used: list[str]  # indicator codes that entered the composite (enabled, weight > 0, available)
    skipped: list[str]  # enabled but not registered
    rows: list[Ranked] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def as_json(self, *, limit: int | None = None) -> dict[str, Any]:
        rows = self.rows if limit is None else self.rows[:limit]
        return {
            "year": self.year, "region": self.region, "count": self.count, "villages": len(self.rows),
            "weights": {w.code: str(w.weight) for w in self.weights if w.code in self.used},
            "skipped": self.skipped,
            "indicators": [{"code": c, "title": INDICATORS_BY_CODE[c].title} for c in self.used],
            "rows": [{"rank": r.rank, "village": r.code, "name": self.names.get(r.code, ""), "score": str(r.score),
                      "proposed": r.rank <= self.count,
                      "values": {c: (None if r.values.get(c) is None else str(r.values[c])) for c in self.used}}
                     for r in rows],
        }


def indicator_values(user: Any, *, year: int, codes: Sequence[str], region: str | None,
                     used: Sequence[str]) -> dict[str, dict[str, Decimal | None]]:
    """{village: {indicator: value or None}} for the indicators `used`: one query (or the provider's few)
    per indicator, for all villages at once."""
    columns: dict[str, dict[str, Decimal]] = {}
    with roomy_queries():  # PostgreSQL: room to hash the providers' IN (subquery) (household_coverage: 10 min → 1 s)
        for code in used:
            # every value to the cent, so 100 and 100.00 read the same on the page, in the export and the JSON
            columns[code] = {c: Decimal(v).quantize(CENT) for c, v in
                             _column(user, year=year, codes=codes, region=region, code=code).items()}
    return {c: {code: columns[code].get(c) for code in used} for c in codes}


def _column(user: Any, *, year: int, codes: Sequence[str], region: str | None, code: str) -> dict[str, Decimal]:
    from wuzaicun.verification.selectors import village_totals_for

    source = INDICATORS_BY_CODE[code].source
    if source == FROM_ASSESSMENT:
        return village_totals_for(user, year=year - 1, region=region)
    if source == FROM_ENTERED:
        return dict(narrowed(scoped(DemocraticScore, user), region).filter(year=year).values_list("village_id", "score"))
    provider = indicator(code)
    return provider.compute(year, codes, Level.VILLAGE) if provider else {}


def compute_ranking(user: Any, *, year: int, region: str | None, count: int) -> Ranking:
    """The year's ranking from the bottom of every village organisation in scope (nothing is saved)."""
    weights = ranking_weights(year)
    enabled = [w for w in weights if w.enabled and w.weight > 0]
    used = [w.code for w in enabled if available(w.code)]
    skipped = [w.code for w in enabled if not available(w.code)]
    villages = dict(ranking_villages(user, region).values_list("code", "name"))
    codes = sorted(villages)
    values = indicator_values(user, year=year, codes=codes, region=region, used=used)
    rows = rank_villages(values, [w for w in weights if w.code in used])
    return Ranking(year=year, region=region, count=count, weights=weights, used=used, skipped=skipped, rows=rows,
                   names=villages)


# --- stored rounds and picks --------------------------------------------------------------------------

def rounds_for(user: Any, *, year: int | None = None) -> QuerySet[RankingRound]:
    """Rounds of the user's area, and the rounds of the regions above it (a county reads the city's round for its
    own villages: its picks stay scoped by village, see picks_of)."""
    prefix = prefix_for(user)
    if prefix is None:
        return RankingRound.objects_unscoped.none()
    covering = [code_from_prefix(prefix[:width]) for width in PREFIX_LENGTHS.values() if width < len(prefix)]
    rounds = RankingRound.objects_unscoped.filter(
        Q(pk__in=scoped(RankingRound, user).values("pk")) | Q(region_id__in=covering))
    rounds = rounds.select_related("region", "created_by", "confirmed_by")
    return rounds.filter(year=year) if year is not None else rounds


def get_round_for_user(user: Any, pk: int) -> RankingRound:
    found = rounds_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def round_for_page(user: Any, *, year: int, region: str | None) -> RankingRound | None:
    """The round a ranking page shows: the one of the region asked, else of the user's own scope, else the
    nearest one above it, else the first within it."""
    rounds = rounds_for(user, year=year)
    wanted = region or getattr(user, "scope_id", None) or ""
    found = rounds.filter(region_id=wanted).first() if wanted else None
    if found is None and wanted:
        found = rounds.filter(region_id__in=[code_from_prefix(prefix_of(wanted)[:w]) for w in PREFIX_LENGTHS.values()
                                             if w < len(prefix_of(wanted))]).order_by("-region_id").first()
    return found or rounds.order_by("region_id").first()


def picks_of(user: Any, round_: RankingRound, *, only: str = "", q: str = "",
             region: str | None = None) -> QuerySet[RankingPick]:
    """A round's picks the user may read (a county user reads its own villages of a city round)."""
    picks = narrowed(scoped(RankingPick, user).filter(round=round_), region).select_related("village")
    if only == "selected":
        picks = picks.filter(selected=True)
    elif only == "changed":
        picks = picks.exclude(change_reason="")
    if q:
        picks = picks.filter(village__name__icontains=q)
    return picks.order_by("rank")


def round_counts(user: Any, round_: RankingRound) -> dict[str, int]:
    row = scoped(RankingPick, user).filter(round=round_).aggregate(
        n_total=Count("id"), n_selected=Count("id", filter=Q(selected=True)),
        n_proposed=Count("id", filter=Q(proposed=True)),
        n_added=Count("id", filter=Q(selected=True, proposed=False)),
        n_removed=Count("id", filter=Q(selected=False, proposed=True)))
    return {k.removeprefix("n_"): int(v or 0) for k, v in row.items()}


# --- democratic scores ---------------------------------------------------------------------------------

def democratic_scores_for(user: Any, *, year: int, region: str | None = None, q: str = "") -> QuerySet[DemocraticScore]:
    rows = narrowed(scoped(DemocraticScore, user), region).filter(year=year).select_related("village")
    if q:
        rows = rows.filter(village__name__icontains=q)
    return rows.order_by("village_id")


# --- cases ---------------------------------------------------------------------------------------------

def today() -> dt.date:
    return timezone.localdate()


def cases_for(user: Any, *, year: int | None = None, region: str | None = None, status: str = "", q: str = "",
              overdue: bool = False, on: dt.date | None = None) -> QuerySet[RectificationCase]:
    cases = narrowed(scoped(RectificationCase, user), region).select_related("village", "leader", "organisation")
    if year is not None:
        cases = cases.filter(year=year)
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if q:
        cases = cases.filter(village__name__icontains=q)
    if overdue:
        cases = cases.filter(overdue_condition(on or today()))
    return cases.annotate(progress_count=Count("progress", distinct=True)).order_by("year", "village_id")


def overdue_condition(on: dt.date) -> Q:
    """Past its deadline and not 已转化 (rules.is_overdue, as a query)."""
    return Q(deadline__lt=on) & ~Q(status=CaseStatus.TRANSFORMED)


def get_case_for_user(user: Any, pk: int) -> RectificationCase:
    return get_for_user(scoped(RectificationCase, user).select_related(
        "village", "leader", "organisation", "pick__round", "township_by", "county_by"), user, pk=pk)


def progress_of(user: Any, case: RectificationCase) -> list[CaseProgress]:
    return list(scoped(CaseProgress, user).filter(case=case).select_related("recorded_by")
                .prefetch_related("evidence").order_by("reported_on", "pk"))


def evidence_count(user: Any, case: RectificationCase) -> int:
    return scoped(CaseEvidence, user).filter(progress__case=case).count()


def case_statuses(user: Any, *, year: int) -> dict[str, tuple[str, bool]]:
    """{village: (status, overdue)} of the year's cases in scope (for the status indicator's checks)."""
    on = today()
    return {v: (s, d is not None and d < on and s != CaseStatus.TRANSFORMED)
            for v, s, d in scoped(RectificationCase, user).filter(year=year).values_list("village_id", "status", "deadline")}


def case_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """The year's 倒排整顿 cases in scope and how many are 已转化 (one query)."""
    found = narrowed(scoped(RectificationCase, user), region).filter(year=year).aggregate(
        cases=Count("id"), transformed=Count("id", filter=Q(status=CaseStatus.TRANSFORMED)))
    return {key: int(value or 0) for key, value in found.items()}


def case_figures_by_area(user: Any, *, within: str, width: int) -> dict[tuple[str, int], dict[str, int]]:
    """倒排整顿 cases in scope and those 已转化, per child area (the first `width` digits of the village code, under
    `within`) and year (one grouped query)."""
    from wuzaicun.regions.selectors import by_area

    return by_area(scoped(RectificationCase, user), within=within, width=width, rectified_organisations=Count("id"),
                   rectified_transformed=Count("id", filter=Q(status=CaseStatus.TRANSFORMED)))
