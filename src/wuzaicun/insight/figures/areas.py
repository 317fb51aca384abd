"""The dashboards' figures by child area (city → counties, county → townships, township → villages) and their
trend over the years with data.

Each mechanism names a handful of its key figures and one reader: a selector of the mechanism that returns
them grouped by (child code prefix, year) in a fixed number of queries (`regions.selectors.by_area`), never
`compute_stats` per child. Shares are computed here from the summed counts (never averaged over areas).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from wuzaicun.regions.codes import PREFIX_LENGTHS, level_of, prefix_of

from . import CENT, once

Values = dict[str, int | Decimal]
Reader = Callable[..., Mapping[tuple[str, int], Mapping[str, Any]]]


@dataclass(frozen=True)
class AreaFigure:
    key: str
    label: str
    unit: str
    share_of: tuple[str, str] | None = None  # (part, whole): the figure is part ÷ whole × 100, two decimals

    @property
    def is_money(self) -> bool:
        return self.unit == "元"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class Mechanism:
    key: str
    title: str
    figures: tuple[AreaFigure, ...]
    charts: tuple[Chart, ...]
    readers: tuple[Reader, ...]

    def figure(self, key: str) -> AreaFigure:
        return next(f for f in self.figures if f.key == key)


def _readers() -> dict[str, tuple[Reader, ...]]:
    from wuzaicun.cadres.selectors.dispatch import coverage_by_area
    from wuzaicun.organization.selectors.economy import income_by_area
    from wuzaicun.organization.selectors.rectification import case_figures_by_area
    from wuzaicun.resources.selectors.projects import project_figures_by_area
    from wuzaicun.responsibility.selectors import list_figures_by_area
    from wuzaicun.verification.selectors import finding_figures_by_area

    return {"responsibility": (list_figures_by_area,), "organization": (case_figures_by_area, income_by_area),
            "cadres": (coverage_by_area,), "resources": (project_figures_by_area,),
            "verification": (finding_figures_by_area,)}


def _mechanisms() -> tuple[Mechanism, ...]:
    readers = _readers()
    return (
        Mechanism("responsibility", "责任在村落实", (
            AreaFigure("poor_villages", "贫困村", "个"),
            AreaFigure("poor_villages_with_stationed", "有驻村清单的贫困村", "个"),
            AreaFigure("stationed_share", "贫困村驻村清单覆盖率", "%", ("poor_villages_with_stationed", "poor_villages")),
            AreaFigure("list_entries", "五类清单条目", "个"),
        ), (
            Chart("villages", "贫困村与驻村清单覆盖", ("poor_villages", "poor_villages_with_stationed")),
            Chart("share", "贫困村驻村清单覆盖率", ("stationed_share",)),
            Chart("entries", "五类清单条目", ("list_entries",)),
        ), readers["responsibility"]),
        Mechanism("organization", "组织在村建强", (
            AreaFigure("rectified_organisations", "倒排整顿软弱涣散村党组织", "个"),
            AreaFigure("rectified_transformed", "整顿后已转化", "个"),
            AreaFigure("transformed_share", "整顿转化率", "%", ("rectified_transformed", "rectified_organisations")),
            AreaFigure("collective_income", "村集体收入", "元"),
        ), (
            Chart("cases", "倒排整顿与转化", ("rectified_organisations", "rectified_transformed")),
            Chart("share", "整顿转化率", ("transformed_share",)),
            Chart("income", "村集体收入", ("collective_income",)),
        ), readers["organization"]),
        Mechanism("cadres", "干部在村成长", (
            AreaFigure("dispatched", "在岗第一书记和驻村干部", "人"),
            AreaFigure("poor_villages", "贫困村", "个"),
            AreaFigure("poor_villages_with_group", "驻村工作组覆盖的贫困村", "个"),
            AreaFigure("group_share", "贫困村驻村工作组覆盖率", "%", ("poor_villages_with_group", "poor_villages")),
            AreaFigure("poor_villages_with_first_secretary", "有第一书记的贫困村", "个"),
        ), (
            Chart("coverage", "贫困村与驻村力量覆盖",
                  ("poor_villages", "poor_villages_with_group", "poor_villages_with_first_secretary")),
            Chart("share", "贫困村驻村工作组覆盖率", ("group_share",)),
            Chart("dispatched", "在岗第一书记和驻村干部", ("dispatched",)),
        ), readers["cadres"]),
        Mechanism("resources", "资源在村整合", (
            AreaFigure("projects", "整合项目", "个"),
            AreaFigure("project_funds", "整合项目资金", "元"),
            AreaFigure("project_funds_poor_villages", "其中：投向贫困村", "元"),
            AreaFigure("poor_funds_share", "投向贫困村资金占比", "%", ("project_funds_poor_villages", "project_funds")),
        ), (
            Chart("funds", "整合项目资金", ("project_funds", "project_funds_poor_villages")),
            Chart("share", "投向贫困村资金占比", ("poor_funds_share",)),
            Chart("projects", "整合项目", ("projects",)),
        ), readers["resources"]),
        Mechanism("verification", "成效在村检验", (
            AreaFigure("findings", "抽查检查记录（已结束的抽查）", "个"),
            AreaFigure("findings_in_place", "检查结果为“到位”", "个"),
            AreaFigure("findings_not_in_place", "检查结果为“不到位”", "个"),
            AreaFigure("in_place_share", "抽查到位率", "%", ("findings_in_place", "findings")),
            AreaFigure("sanctions", "对推进不力的处理", "次"),
            AreaFigure("assessed_villages", "年度考核的村", "个"),
            AreaFigure("assessed_excellent", "村考核等次为“优”", "个"),
            AreaFigure("excellent_share", "村考核优秀率", "%", ("assessed_excellent", "assessed_villages")),
        ), (
            Chart("findings", "抽查结果", ("findings", "findings_in_place", "findings_not_in_place")),
            Chart("share", "抽查到位率与考核优秀率", ("in_place_share", "excellent_share")),
            Chart("assessed", "年度考核", ("assessed_villages", "assessed_excellent")),
            Chart("sanctions", "对推进不力的处理", ("sanctions",)),
        ), readers["verification"]),
    )


MECHANISM_KEYS = ("responsibility", "organization", "cadres", "resources", "verification")


def mechanisms() -> tuple[Mechanism, ...]:
    """The five mechanisms' dashboards; a chart holds figures of one unit (one axis)."""
    return _mechanisms()


def mechanism(key: str) -> Mechanism:
    return next(m for m in _mechanisms() if m.key == key)


def child_width(code: str) -> int:
    """How many digits name the children of the region `code` (a village is its own only child)."""
    return PREFIX_LENGTHS[min(level_of(code) + 1, 5)]


@dataclass
class Breakdown:
    """A mechanism's figures for the year by child area (`values`, in `areas` order), for the whole area shown
    (`totals`, records not in any child included), and the area's trend over the years with data."""

    mechanism: Mechanism
    year: int
    areas: list[str]  # the children's 12-digit codes
    values: dict[str, Values]
    totals: Values
    trend: list[tuple[int, Values]] = field(default_factory=list)


def _zero(figure: AreaFigure) -> int | Decimal:
    return Decimal("0.00") if figure.unit in ("元", "%") else 0


def _finish(mechanism: Mechanism, raw: Mapping[str, Any]) -> Values:
    """The mechanism's figures from summed raw values: money to the fen, shares computed from their parts."""
    out: Values = {}
    for figure in mechanism.figures:
        if figure.share_of is None:
            value = raw.get(figure.key) or 0
            out[figure.key] = Decimal(value).quantize(CENT) if figure.is_money else int(value)
    for figure in mechanism.figures:
        if figure.share_of is not None:
            part, whole = (Decimal(out.get(k) or raw.get(k) or 0) for k in figure.share_of)
            out[figure.key] = (Decimal(100) * part / whole).quantize(CENT) if whole else Decimal("0.00")
    return out


def _add(into: dict[str, Any], values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        into[key] = into.get(key, 0) + (value or 0)


def breakdown(mechanism: Mechanism, user: Any, *, year: int, region: str, areas: list[str]) -> Breakdown:
    """The mechanism's figures under `region` (a 12-digit code the caller has checked is in scope) by the child
    areas `areas`, and by year: the mechanism's readers' queries only, whatever the number of areas."""
    within, width = prefix_of(region), child_width(region)
    raw: dict[tuple[str, int], dict[str, Any]] = {}
    for read in mechanism.readers:
        for key, values in once(read, user, within=within, width=width).items():
            raw.setdefault(key, {}).update(values)
    by_child: dict[str, dict[str, Any]] = {}
    by_year: dict[int, dict[str, Any]] = {}
    for (prefix, shown), values in raw.items():
        _add(by_year.setdefault(shown, {}), values)
        if shown == year:
            _add(by_child.setdefault(prefix.ljust(12, "0"), {}), values)
    empty = {f.key: _zero(f) for f in mechanism.figures}
    return Breakdown(
        mechanism=mechanism, year=year, areas=areas,
        values={code: _finish(mechanism, by_child[code]) if code in by_child else dict(empty) for code in areas},
        totals=_finish(mechanism, by_year.get(year, {})),
        trend=[(shown, _finish(mechanism, by_year[shown])) for shown in sorted(by_year)])


# 各区域主要数据: the annual report's table (表1) and charts (图1, 图2) by child area (I33, I12), in its column order
AREA_TABLE = (
    AreaFigure("poor_villages", "贫困村", "个"),
    AreaFigure("poor_villages_exited", "当年出列", "个"),
    AreaFigure("dispatched", "选派第一书记和驻村干部", "人"),
    AreaFigure("first_secretaries", "其中第一书记", "人"),
    AreaFigure("villages_with_entity", "有集体经济实体的村", "个"),
    AreaFigure("poor_households", "建档立卡贫困户", "户"),
    AreaFigure("households_exited", "当年脱贫户", "户"),
)


def area_table(user: Any, *, year: int, region: str, areas: list[str]) -> Breakdown:
    """The report's key figures of the year under `region` by the child areas `areas`, read by `breakdown` from
    the mechanisms' breakdown selectors (three grouped queries whatever the number of areas): the cadres' reader
    (its 村情 rows: poor villages, 出列, 第一书记 and 驻村干部 in post), villages with a collective entity, and the
    registered poor households. The last two count one year (the table has no trend: `trend` is empty)."""
    from functools import partial

    from wuzaicun.organization.selectors.economy import entity_villages_by_area
    from wuzaicun.registry.selectors import household_figures_by_area

    readers: tuple[Reader, ...] = (*_readers()["cadres"], partial(entity_villages_by_area, year=year),
                                   partial(household_figures_by_area, year=year))
    table = Mechanism("areas", "各区域主要数据", AREA_TABLE, (), readers)
    return replace(breakdown(table, user, year=year, region=region, areas=areas), trend=[])


# 填报完整度: the share of the year's villages per child area that handed their reports in on time
REPORTING = (
    AreaFigure("villages", "村（社区）", "个"),
    AreaFigure("lists_on_time", "按期制定责任清单的村", "个"),
    AreaFigure("lists_on_time_share", "责任清单按期制定率", "%", ("lists_on_time", "villages")),
    AreaFigure("with_ledger", "有年度台账的村", "个"),
    AreaFigure("reconciled_on_time", "季度对账全部按时的村", "个"),
    AreaFigure("reconciled_share", "对账按时率", "%", ("reconciled_on_time", "with_ledger")),
    AreaFigure("picks", "抽中条目（已结束的抽查）", "个"),
    AreaFigure("picks_with_finding", "已录入检查记录的抽中条目", "个"),
    AreaFigure("findings_share", "抽查记录录入率", "%", ("picks_with_finding", "picks")),
)
REPORTING_MECHANISM = Mechanism("reporting", "填报完整度", REPORTING, (), ())


@dataclass
class Reporting:
    year: int
    areas: list[str]
    values: dict[str, Values]
    totals: Values


def reporting(user: Any, *, year: int, region: str, areas: list[str]) -> Reporting:
    """Reporting completeness by child area for the year (two queries): lists handed in by the due date, 对账
    on time, spot-check findings recorded for closed plans' picks."""
    from wuzaicun.responsibility.selectors import reporting_by_area
    from wuzaicun.verification.selectors import findings_recorded_by_area

    within, width = prefix_of(region), child_width(region)
    raw: dict[str, dict[str, Any]] = {}
    for part in (once(reporting_by_area, user, year=year, within=within, width=width),
                 once(findings_recorded_by_area, user, year=year, within=within, width=width)):
        for prefix, values in part.items():
            _add(raw.setdefault(prefix.ljust(12, "0"), {}), values)
    total: dict[str, Any] = {}
    for values in raw.values():
        _add(total, values)
    return Reporting(year=year, areas=areas,
                     values={code: _finish(REPORTING_MECHANISM, raw.get(code, {})) for code in areas},
                     totals=_finish(REPORTING_MECHANISM, total))
