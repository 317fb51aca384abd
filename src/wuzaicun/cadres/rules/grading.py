"""Rules of 六定一化考核: the default indicator sets per role, the weights' and the policy's checks, the composite,
and the grades by thresholds, the 民主评议 veto and quotas with the tie rule. Pure functions of values: no
database here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

EXCELLENT, GOOD, FAIR, POOR = "优", "良", "中", "差"
GRADES = (EXCELLENT, GOOD, FAIR, POOR)

DEMOCRATIC = "democratic"  # the entered 民主评议 indicator: its score below the policy's veto line grades 差
SATISFACTION = "satisfaction"

# Roles (CadreRole values) kept here as plain strings so that the rules need no model.
FIRST_SECRETARY, RESIDENT, VILLAGE_SECRETARY = "first_secretary", "resident", "village_secretary"
ROLES = (FIRST_SECRETARY, RESIDENT, VILLAGE_SECRETARY)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    title: str
    dimension: str  # Dimension value
    weight: Decimal
    provider: str = ""  # the person indicator's code in core.indicators; "" = entered


def _stationed_set() -> tuple[IndicatorSpec, ...]:
    return (
        IndicatorSpec("ledger", "责任台账兑现率", "goals", Decimal(20), "person_ledger_fulfilment"),
        IndicatorSpec("visits", "帮扶户走访覆盖率", "duties", Decimal(15), "person_visit_coverage"),
        IndicatorSpec("spot_checks", "抽查到位率", "performance", Decimal(15), "person_spot_checks"),
        IndicatorSpec("rectification", "所在村党组织整顿", "performance", Decimal(10), "village_rectification"),
        IndicatorSpec("training", "参加培训", "incentive", Decimal(10), "training_attendance"),
        IndicatorSpec("reconcile", "按时对账率", "discipline", Decimal(10), "person_reconcile_on_time"),
        IndicatorSpec(DEMOCRATIC, "民主评议", "subject", Decimal(10)),
        IndicatorSpec(SATISFACTION, "群众满意度", "subject", Decimal(10)),
    )


def _village_secretary_set() -> tuple[IndicatorSpec, ...]:
    return (
        IndicatorSpec("ledger", "责任台账兑现率", "goals", Decimal(20), "person_ledger_fulfilment"),
        IndicatorSpec("visits", "帮扶户走访覆盖率", "duties", Decimal(15), "person_visit_coverage"),
        IndicatorSpec("spot_checks", "抽查到位率", "performance", Decimal(10), "person_spot_checks"),
        IndicatorSpec("rectification", "本村党组织整顿", "performance", Decimal(15), "village_rectification"),
        IndicatorSpec("training", "参加培训", "incentive", Decimal(10), "training_attendance"),
        IndicatorSpec("reconcile", "按时对账率", "discipline", Decimal(10), "person_reconcile_on_time"),
        IndicatorSpec(DEMOCRATIC, "民主评议", "subject", Decimal(10)),
        IndicatorSpec(SATISFACTION, "群众满意度", "subject", Decimal(10)),
    )


def default_set(role: str) -> tuple[IndicatorSpec, ...]:
    """The six 定 covered with weights summing to 100: computed where data exists, entered where not."""
    return _village_secretary_set() if role == VILLAGE_SECRETARY else _stationed_set()


MISSING_RULE = ("某项指标没有该干部的数据（如未录入民主评议、未列入任何责任清单）时，综合得分和等次留空并标明“缺数据”及所缺指标，"
                "不按 0 分计；补齐数据后重新计算等次。未启用的计算模块不参与计算，其余指标按权重重新加权。")
TIE_RULE = ("排名按综合得分从高到低，同分按人员编号从小到大（仅用于排序显示，同分者等次相同）。"
            "比例限额的分界线上同分的干部：全部并入较高等次后仍不超过限额的，全部保留较高等次；否则全部降为下一等次。")
QUOTA_RULE = ("优秀、良好比例按本次计算范围（所选区划）内有综合得分的干部人数计算，向下取整；"
              "已确认、已锁定的等次先占用名额。")
VETO_RULE = "民主评议得分低于否决线的，不论综合得分，等次为差。"


# --- weights and policy --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Weight:
    code: str
    title: str
    weight: Decimal


def weight_problems(weights: Sequence[Weight]) -> list[tuple[str, str]]:
    """(field, Chinese reason) for a weight set that cannot be used; empty when it can. The sum must be 100."""
    problems: list[tuple[str, str]] = []
    for w in weights:
        if not (ZERO <= w.weight <= HUNDRED) or w.weight != w.weight.quantize(CENT):
            problems.append((w.title, f"{w.title}的权重须在 0–100 之间，最多两位小数"))
    total = sum((w.weight for w in weights), ZERO)
    if not problems and total != HUNDRED:
        problems.append(("权重", f"各项权重之和须为 100，当前为 {_plain(total)}"))
    return problems


def _plain(value: Decimal) -> str:
    text = f"{value.quantize(CENT)}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Policy:
    excellent: Decimal = Decimal(90)
    good: Decimal = Decimal(80)
    passing: Decimal = Decimal(60)
    excellent_quota: Decimal = Decimal(15)  # per cent of those with a total
    good_quota: Decimal | None = None
    veto: Decimal | None = Decimal(60)  # 民主评议 below it grades 差


def policy_problems(p: Policy) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for label, value in (("优秀线", p.excellent), ("良好线", p.good), ("合格线", p.passing),
                         ("优秀比例上限", p.excellent_quota), ("良好比例上限", p.good_quota),
                         ("民主评议否决线", p.veto)):
        if value is not None and (not ZERO <= value <= HUNDRED or value != value.quantize(CENT)):
            problems.append((label, f"{label}须在 0–100 之间，最多两位小数"))
    if not problems and not (p.excellent > p.good > p.passing):
        problems.append(("优秀线", f"须优秀线 > 良好线 > 合格线，当前为 {_plain(p.excellent)}、{_plain(p.good)}、"
                                    f"{_plain(p.passing)}"))
    return problems


# --- composite -----------------------------------------------------------------------------------------

def composite(scores: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]) -> tuple[Decimal | None, list[str]]:
    """(total, missing codes): Σ weight × score / Σ weight over the indicators used (= Σ w·s / 100 when all
    are used), to the cent; None with the codes missing when any used indicator has no score (MISSING_RULE)."""
    total = ZERO
    for code, weight in weights.items():
        score = scores.get(code)
        if score is None:
            return None, [c for c in weights if scores.get(c) is None]
        total += weight * score
    weight_sum = sum(weights.values(), ZERO)
    if weight_sum <= 0:
        return None, []
    return (total / weight_sum).quantize(CENT, rounding=ROUND_HALF_UP), []


# --- grades --------------------------------------------------------------------------------------------

@dataclass
class Candidate:
    person_id: int
    total: Decimal | None
    democratic: Decimal | None = None
    fixed_grade: str = ""  # a confirmed or locked grade: kept, and holds a quota place
    rank: int | None = None
    grade: str = ""
    how: list[str] = field(default_factory=list)  # how the grade was set, in Chinese


def _line_grade(total: Decimal, p: Policy) -> str:
    if total >= p.excellent:
        return EXCELLENT
    if total >= p.good:
        return GOOD
    if total >= p.passing:
        return FAIR
    return POOR


def quota_places(count: int, percent: Decimal | None) -> int | None:
    """How many of `count` graded cadres a quota of `percent` allows (rounded down); None = no quota."""
    if percent is None:
        return None
    return int((Decimal(count) * percent / HUNDRED).to_integral_value(rounding="ROUND_FLOOR"))


def assign_grades(candidates: Sequence[Candidate], policy: Policy) -> list[Candidate]:
    """Rank and grade every candidate in place (and answer them ranked): thresholds, the veto, then the quotas
    with TIE_RULE. A candidate without a total gets no rank and no grade; a fixed grade is kept as it is."""
    ranked = sorted((c for c in candidates if c.total is not None), key=lambda c: (-c.total, c.person_id))  # type: ignore[operator]
    for position, c in enumerate(ranked, start=1):
        c.rank = position
    for c in candidates:
        if c.total is None:
            c.rank, c.grade, c.how = None, "", ["缺数据，未评定等次"]
    base = len(ranked)
    open_: list[Candidate] = []
    for c in ranked:
        if c.fixed_grade:
            c.grade, c.how = c.fixed_grade, ["等次已确认，保持不变"]
            continue
        assert c.total is not None
        if policy.veto is not None and c.democratic is not None and c.democratic < policy.veto:
            c.grade = POOR
            c.how = [f"民主评议 {c.democratic} 低于否决线 {policy.veto}，等次为差"]
            continue
        c.grade = _line_grade(c.total, policy)
        c.how = [_line_text(c.grade, c.total, policy)]
        open_.append(c)
    for grade, lower, percent in ((EXCELLENT, GOOD, policy.excellent_quota), (GOOD, FAIR, policy.good_quota)):
        places = quota_places(base, percent)
        if places is None:
            continue
        held = sum(1 for c in ranked if c.fixed_grade == grade)
        _apply_quota([c for c in open_ if c.grade == grade], max(places - held, 0), grade, lower, percent, places)
    return ranked + [c for c in candidates if c.total is None]


def _line_text(grade: str, total: Decimal, p: Policy) -> str:
    lines = {EXCELLENT: f"综合得分 {total} ≥ 优秀线 {p.excellent}", GOOD: f"综合得分 {total} ≥ 良好线 {p.good}",
             FAIR: f"综合得分 {total} ≥ 合格线 {p.passing}", POOR: f"综合得分 {total} < 合格线 {p.passing}"}
    return lines[grade]


def _apply_quota(group: list[Candidate], room: int, grade: str, lower: str, percent: Decimal | None,
                 places: int) -> None:
    """Keep `grade` for the best `room` of `group` (already ranked); a tie across the boundary keeps it only if
    all the tied fit, else all of them drop to `lower` with everyone after them."""
    within = f"{grade}等次限额 {percent}%（{places} 人）以内"
    if len(group) <= room:
        for c in group:
            c.how.append(within)
        return
    keep, boundary = room, None
    if keep > 0 and group[keep - 1].total == group[keep].total:
        boundary = group[keep].total
        keep = next(i for i, c in enumerate(group) if c.total == boundary)  # every tied cadre drops
    for i, c in enumerate(group):
        if i < keep:
            c.how.append(within)
            continue
        c.grade = lower
        reason = f"超出{grade}等次限额 {percent}%（{places} 人），降为{lower}"
        if boundary is not None and c.total == boundary:
            reason += "（分界线上同分者全部计入将超出限额，同分者一并降等）"
        c.how.append(reason)


# --- outcomes ------------------------------------------------------------------------------------------

PROMOTION, TREATMENT, ACCOUNTABILITY, ORG_HANDLING = "promotion", "treatment", "accountability", "org_handling"
OUTCOME_GRADES: dict[str, tuple[str, ...]] = {
    PROMOTION: (EXCELLENT, GOOD), TREATMENT: (EXCELLENT, GOOD),
    ACCOUNTABILITY: (POOR,), ORG_HANDLING: (POOR,),
}
OUTCOME_RULE = "推荐进入乡镇领导班子、享受副科级待遇限等次为优或良；问责、组织处理限等次为差。"


def outcome_problem(kind: str, grade: str, label: str) -> str | None:
    allowed = OUTCOME_GRADES.get(kind)
    if allowed is None:
        return f"结果运用“{kind}”无效"
    if grade not in allowed:
        return f"{label}限考核等次为{'或'.join(allowed)}的干部，该干部等次为{grade or '未评定'}"
    return None
