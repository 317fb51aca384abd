"""整合项目: where a project sits (县级统筹、乡镇管理、村级实施), what its money may be, the order of its stages
(立项 → 实施 → 验收 → 完成) and who may benefit. Pure: the services and the import ask, messages in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from wuzaicun.regions.codes import is_code, level_of, parent_code

from ..models.projects import FundSource, ProjectStage

MAX_AMOUNT = Decimal("1000000000.00")  # one source's amount in one project: at most ¥1,000,000,000 (10亿元)
FEN = Decimal("0.01")
STAGES: tuple[str, ...] = tuple(ProjectStage.values)  # 立项, 实施, 验收, 完成 in order
DATE_FIELDS = {ProjectStage.APPROVED: "approved_on", ProjectStage.IMPLEMENTING: "started_on",
               ProjectStage.ACCEPTED: "accepted_on", ProjectStage.COMPLETED: "completed_on"}
DATE_LABELS = {ProjectStage.APPROVED: "立项日期", ProjectStage.IMPLEMENTING: "开工日期",
               ProjectStage.ACCEPTED: "验收日期", ProjectStage.COMPLETED: "完成日期"}
DONE = (ProjectStage.ACCEPTED, ProjectStage.COMPLETED)  # “项目完成” counts a project that reached 验收 or 完成
COUNTY, TOWNSHIP, VILLAGE = 3, 4, 5
SOURCE_BY_LABEL = {str(label): str(value) for value, label in FundSource.choices}


def place_of(code: str) -> tuple[str, str | None, str | None]:
    """(county, township, village) codes of a project registered at `code`, the most specific of the three
    (a county, a township or a village); ValueError with a Chinese message for any other level."""
    if not is_code(code):
        raise ValueError(f"区划代码“{code}”无效，应为12位数字")
    level = level_of(code)
    if level == COUNTY:
        return code, None, None
    if level == TOWNSHIP:
        return str(parent_code(code)), code, None
    if level == VILLAGE:
        township = str(parent_code(code))
        return str(parent_code(township)), township, code
    raise ValueError(f"区划代码“{code}”须为县、乡镇或村（社区）的代码：项目由县级统筹、乡镇管理、村级实施")


def place_problem(county: str, township: str | None, village: str | None) -> str | None:
    """Township inside the county, village inside the township (a village needs its township)."""
    if level_of(county) != COUNTY:
        return f"统筹县“{county}”不是县级区划"
    if township is not None and (level_of(township) != TOWNSHIP or parent_code(township) != county):
        return f"管理乡镇“{township}”不在统筹县“{county}”之内"
    if village is not None:
        if township is None:
            return "填写实施村时须同时有管理乡镇"
        if level_of(village) != VILLAGE or parent_code(village) != township:
            return f"实施村“{village}”不在管理乡镇“{township}”之内"
    return None


def most_specific(county: str, township: str | None, village: str | None) -> str:
    """`Project.region`: the village if named, else the township, else the county."""
    return village or township or county


def amount_problem(amount: Decimal | None, source_label: str = "") -> str | None:
    what = f"“{source_label}”的金额" if source_label else "金额"
    if amount is None:
        return f"请填写{what}"
    if amount <= 0:
        return f"{what}应大于0元"
    if amount > MAX_AMOUNT:
        return f"{what}不能超过{MAX_AMOUNT:,.0f}元"
    if amount != amount.quantize(FEN):
        return f"{what}最多精确到分（两位小数）"
    return None


def fundings_problems(fundings: Mapping[str, Decimal | None]) -> list[str]:
    """Every problem of a project's fundings: at least one source, each a known source with a valid amount."""
    if not fundings:
        return ["至少填写一项资金来源及金额"]
    problems = []
    for source, amount in fundings.items():
        if source not in FundSource.values:
            problems.append(f"资金来源“{source}”无效，应为{'、'.join(str(x) for x in FundSource.labels)}")
        elif problem := amount_problem(amount, str(FundSource(source).label)):
            problems.append(problem)
    return problems


def next_stage(stage: str) -> str | None:
    at = STAGES.index(stage)
    return STAGES[at + 1] if at + 1 < len(STAGES) else None


def order_problem(current: str, target: str) -> str | None:
    """One step forward only: no skipping, no going back."""
    if target not in STAGES:
        return f"阶段“{target}”无效，应为{'、'.join(str(x) for x in ProjectStage.labels)}"
    here, there = STAGES.index(current), STAGES.index(target)
    label_now, label_to = ProjectStage(current).label, ProjectStage(target).label
    if there <= here:
        return f"项目已处于“{label_now}”阶段，不能回到或停留在“{label_to}”"
    if there > here + 1:
        return f"项目处于“{label_now}”阶段，须先进入“{ProjectStage(STAGES[here + 1]).label}”，不能直接进入“{label_to}”"
    return None


def stage_problem(*, current: str, target: str, on: dt.date, previous_on: dt.date | None, evidence: int,
                  today: dt.date) -> str | None:
    """Whether a project at `current` (its stage's date `previous_on`) may move to `target` on `on`: one step
    forward only, a date not before the previous stage's nor after today, 验收 with at least one evidence file."""
    if problem := order_problem(current, target):
        return problem
    date_label = DATE_LABELS[ProjectStage(target)]
    if on > today:
        return f"{date_label}不能晚于今天"
    if previous_on is not None and on < previous_on:
        return f"{date_label}（{on:%Y-%m-%d}）不能早于{DATE_LABELS[ProjectStage(current)]}（{previous_on:%Y-%m-%d}）"
    if target == ProjectStage.ACCEPTED and evidence < 1:
        return "验收须上传至少一份佐证材料（验收报告或现场照片）"
    return None


def beneficiary_problem(*, head_name: str, household_village: str, project_village: str | None,
                        village_name: str) -> str | None:
    """A beneficiary is a household of the village that implements the project."""
    if project_village is None:
        return "项目尚未落实到实施村，不能登记受益户"
    if household_village != project_village:
        return f"{head_name}户不是{village_name}的农户，不能作为该项目的受益户"
    return None


def money_share(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in per cent to the hundredth; None when there is no money at all."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(FEN)
