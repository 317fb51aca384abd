"""Rules of 倒排整顿: the ranking's indicator set and default weights, the composite, the tie-break, and the
checks of a rectification case's steps. Pure functions of values: no database here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
DEFAULT_COUNT = 120  # 遵义: the bottom 120 village organisations each year
MAX_WEIGHT = Decimal(100)

# Where an indicator's values come from.
FROM_REGISTRY = "registry"  # core.indicators, by code (skipped when no app registered it)
FROM_ASSESSMENT = "assessment"  # the village's annual assessment total of the year before
FROM_ENTERED = "entered"  # 民主评议, entered on the page or imported


@dataclass(frozen=True)
class RankingIndicator:
    code: str
    title: str
    default_weight: Decimal
    source: str
    description: str = ""


RANKING_INDICATORS: tuple[RankingIndicator, ...] = (
    RankingIndicator("previous_assessment", "上年度考核得分", Decimal(30), FROM_ASSESSMENT,
                     "上一年度年度考核（成效在村检验）中该村的总分"),
    RankingIndicator("democratic_score", "民主评议", Decimal(20), FROM_ENTERED,
                     "本年度党员群众对村党组织的民主评议得分（页面录入或按模板导入）"),
    RankingIndicator("ledger_fulfilment", "责任台账兑现率", Decimal(15), FROM_REGISTRY),
    RankingIndicator("spot_check_findings", "季度抽查结果", Decimal(10), FROM_REGISTRY),
    RankingIndicator("household_coverage", "贫困户帮扶全覆盖", Decimal(10), FROM_REGISTRY),
    RankingIndicator("collective_income", "村级集体经济收入", Decimal(10), FROM_REGISTRY),
    RankingIndicator("guarantees_met", "组织保障达标", Decimal(5), FROM_REGISTRY),
)
INDICATORS_BY_CODE = {i.code: i for i in RANKING_INDICATORS}

MISSING_RULE = ("某项指标没有数据（如未录入民主评议、上一年度未考核）时，该项不参与计算，其余启用指标按权重重新加权平均；"
                "各项都没有数据的村综合得分按 100 分计（没有证据表明其软弱涣散）。")
TIE_RULE = ("综合得分相同时，依次按民主评议得分低者在前、上年度考核得分低者在前（没有数据的按 100 分比较），"
            "再按区划代码从小到大排列。")


@dataclass(frozen=True)
class Weight:
    code: str
    weight: Decimal
    enabled: bool = True


def default_weights() -> list[Weight]:
    return [Weight(i.code, i.default_weight, True) for i in RANKING_INDICATORS]


def weight_problems(weights: Sequence[Weight]) -> list[tuple[str, str]]:
    """(field, Chinese reason) for a weight set that cannot be used; empty when it can."""
    problems: list[tuple[str, str]] = []
    for w in weights:
        title = INDICATORS_BY_CODE[w.code].title if w.code in INDICATORS_BY_CODE else w.code
        if w.code not in INDICATORS_BY_CODE:
            problems.append(("指标代码", f"没有名为“{w.code}”的排名指标"))
        elif not (Decimal(0) <= w.weight <= MAX_WEIGHT) or w.weight != w.weight.quantize(CENT):
            problems.append((title, f"{title}的权重须在 0–100 之间，最多两位小数"))
    if not problems and not any(w.enabled and w.weight > 0 for w in weights):
        problems.append(("权重", "至少要启用一项权重大于 0 的指标"))
    return problems


def composite(values: Mapping[str, Decimal | None], weights: Sequence[Weight]) -> Decimal:
    """The weighted mean of the enabled indicators that have a value (MISSING_RULE), to the cent."""
    total = Decimal(0)
    weight_sum = Decimal(0)
    for w in weights:
        value = values.get(w.code)
        if not w.enabled or w.weight <= 0 or value is None:
            continue
        total += w.weight * value
        weight_sum += w.weight
    if weight_sum == 0:
        return HUNDRED
    return (total / weight_sum).quantize(CENT, rounding=ROUND_HALF_UP)


def tie_key(code: str, score: Decimal, values: Mapping[str, Decimal | None]) -> tuple[Decimal, Decimal, Decimal, str]:
    """Sort key of TIE_RULE: the weakest first."""
    democratic = values.get("democratic_score")
    previous = values.get("previous_assessment")
    return (score, HUNDRED if democratic is None else democratic, HUNDRED if previous is None else previous, code)


@dataclass
class Ranked:
    code: str
    score: Decimal
    values: dict[str, Decimal | None] = field(default_factory=dict)
    rank: int = 0


def rank_villages(values_by_code: Mapping[str, Mapping[str, Decimal | None]], weights: Sequence[Weight]) -> list[Ranked]:
    """Every village ranked from the bottom (rank 1 = the weakest) by composite, then TIE_RULE."""
    rows = [Ranked(code, composite(values, weights), dict(values)) for code, values in values_by_code.items()]
    rows.sort(key=lambda r: tie_key(r.code, r.score, r.values))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows


def count_problem(count: int, villages: int) -> str | None:
    if count < 1:
        return "倒排数量须为正整数"
    if count > villages:
        return f"倒排数量 {count} 超过参与排名的村党组织数 {villages}"
    return None


# --- rectification cases -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseFacts:
    problems: str
    plan: str
    measures: str
    has_leader: bool
    deadline: dt.date | None
    evidence_files: int


def submit_problems(facts: CaseFacts) -> list[str]:
    """What a case lacks before it may be submitted for acceptance (验收): every part filled, and evidence."""
    missing = [label for label, ok in (
        ("主要问题", facts.problems.strip()), ("整顿方案", facts.plan.strip()), ("整顿措施", facts.measures.strip()),
        ("责任县领导", facts.has_leader), ("整顿时限", facts.deadline is not None),
    ) if not ok]
    problems = [f"请先填写{'、'.join(missing)}"] if missing else []
    if facts.evidence_files < 1:
        problems.append("提交验收前须至少上传一份整顿进展的佐证材料")
    return problems


def is_overdue(*, status: str, deadline: dt.date | None, today: dt.date) -> bool:
    return status != "transformed" and deadline is not None and deadline < today


# rectification_status (indicator): 100 when the village is not under rectification or its case is transformed.
STATUS_POINTS = {"transformed": HUNDRED, "submitted": Decimal(70), "in_progress": Decimal(50)}
OVERDUE_POINTS = Decimal(20)


def status_points(*, status: str | None, overdue: bool) -> Decimal:
    if status is None or status == "transformed":
        return HUNDRED
    if overdue:
        return OVERDUE_POINTS
    return STATUS_POINTS.get(status, Decimal(50))


def adjustment_problem(reason: str) -> str | None:
    if not reason.strip():
        return "调整倒排名单须填写理由"
    if len(reason.strip()) > 300:
        return "调整理由不能超过 300 字"
    return None


def parse_weights(pairs: Iterable[tuple[str, str, bool]]) -> tuple[list[Weight], list[tuple[str, str]]]:
    """(code, typed weight, enabled) from a form or a command line → weights, problems."""
    weights: list[Weight] = []
    problems: list[tuple[str, str]] = []
    for code, raw, enabled in pairs:
        title = INDICATORS_BY_CODE[code].title if code in INDICATORS_BY_CODE else code
        try:
            value = Decimal(str(raw).strip() or "0")
            if not value.is_finite():
                raise ValueError
        except (ArithmeticError, ValueError):
            problems.append((title, f"{title}的权重“{raw}”不是数字"))
            continue
        weights.append(Weight(code, value, enabled))
    return weights, problems
