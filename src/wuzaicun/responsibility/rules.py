"""The seed's rules (DESIGN.md §2.2) as data with defaults, and pure checks of entries and of coverage.

Each rule has a code (the name the coverage JSON uses), a Chinese title, what it checks, and a
default threshold; a year's `RuleSetting` rows switch a rule on or off and change its threshold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .duties import STANDARD_DUTIES, ListKind


@dataclass(frozen=True)
class RuleSpec:
    code: str
    title: str
    subject_type: str  # village | household | person | team | assignment
    default_threshold: int | None = None
    threshold_label: str = ""


_BUILT_IN: tuple[RuleSpec, ...] = (
    RuleSpec("village_bangcun", "每个贫困村都有领导班子帮村", "village"),
    RuleSpec("village_liancun", "每个贫困村都有领导干部联村", "village"),
    RuleSpec("village_zhucun", "每个贫困村都有第一书记或驻村干部驻村", "village"),
    RuleSpec("household_helpers_min3", "每户未脱贫贫困户至少由N名党员干部共同帮助", "household", 3, "最少党员干部数"),
    RuleSpec("city_leader_one_village", "市委常委、副市长每人包保1个贫困村，当年出列并建成示范点", "person", 1,
             "包保贫困村数"),
    RuleSpec("county_leader_min2_households", "县处级领导干部至少帮助N户贫困户", "person", 2, "最少帮扶户数"),
    RuleSpec("township_leader_min1_household", "乡科级领导干部至少帮助N户贫困户", "person", 1, "最少帮扶户数"),
    RuleSpec("zhucun_goal_industry", "第一书记和驻村干部帮村发展1个产业或兴办1个实体", "assignment"),
    RuleSpec("daicun_group_head", "带村的能人党员当好“十户一体”党群连心户户长", "assignment"),
    RuleSpec("assignment_duties", "每条清单都写明职责", "assignment"),
    RuleSpec("list_due_date", "清单在截止日期（每年3月前）之前制定", "assignment"),
    RuleSpec("county_demonstration_min2", "每个县（市、区）至少打造N个“五在村”示范点", "county", 2, "最少示范点数"),
)
# Every rule by code, in the order reports list them: the seed's rules of the lists first, then the rules the
# other mechanisms register (`coverage.register_rule`, from their AppConfig.ready()).
RULES_BY_CODE: dict[str, RuleSpec] = {rule.code: rule for rule in _BUILT_IN}


def all_rules() -> tuple[RuleSpec, ...]:
    return tuple(RULES_BY_CODE.values())


@dataclass(frozen=True)
class EffectiveRule:
    spec: RuleSpec
    enabled: bool
    threshold: int | None


def effective_rules(settings: Mapping[str, tuple[bool, int | None]]) -> list[EffectiveRule]:
    """Every rule with the year's setting applied; a rule with no setting keeps its default (enabled)."""
    out = []
    for spec in all_rules():
        enabled, threshold = settings.get(spec.code, (True, None))
        out.append(EffectiveRule(spec, enabled, threshold if threshold is not None else spec.default_threshold))
    return out


@dataclass(frozen=True)
class Gap:
    rule: str
    subject_type: str
    subject_id: str
    region_code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "subject_type": self.subject_type, "subject_id": self.subject_id,
                "region_code": self.region_code, "message": self.message}


# --- checks of one entry, shared by the form, the API and the import -------------------------------

def entry_problems(
    *,
    kind: str,
    has_person: bool,
    has_team: bool,
    person_rank: str,
    person_is_party_member: bool,
    village_level: int,
    household_statuses: Iterable[str],
    households_in_village: bool,
    duties: list[str],
) -> list[tuple[str, str]]:
    """(field label, Chinese reason) for an entry that breaks the lists' own rules."""
    problems: list[tuple[str, str]] = []
    statuses = list(household_statuses)
    if kind == ListKind.TEAM:
        if not has_team:
            problems.append(("责任主体", "帮村清单的责任主体须为领导班子"))
    elif not has_person:
        problems.append(("责任人身份证号", "该清单须写明责任人"))
    if village_level != 5:
        problems.append(("区划代码", "清单对象须为村（社区）"))
    if kind == ListKind.GROUP_HEAD and has_person and person_rank != "能人党员":
        problems.append(("责任人身份证号", "带村清单的责任人须为能人党员"))
    if kind == ListKind.HELPER and has_person and not person_is_party_member:
        problems.append(("责任人身份证号", "助村清单的责任人须为党员"))
    if kind == ListKind.HELPER and not statuses:
        problems.append(("帮扶户身份证号", "助村清单须写明帮扶的贫困户"))
    if statuses and kind not in (ListKind.HELPER, ListKind.LEADER):
        problems.append(("帮扶户身份证号", "只有助村、联村清单可以写帮扶户"))
    if any(status != "未脱贫" for status in statuses):
        problems.append(("帮扶户身份证号", "帮扶户须为未脱贫的贫困户"))
    if statuses and not households_in_village:
        problems.append(("帮扶户身份证号", "帮扶户须在清单所写的村"))
    if len(duties) != len(set(duties)):
        problems.append(("职责", "职责有重复"))
    return problems


# Units of things counted whole (户, 人, 个 …): 0.47 户 is not a count.
COUNT_UNITS = frozenset("户人个家次名所座处项条间套头只口")


def quantity_problem(value: Decimal | None, unit: str, field: str) -> str | None:
    """A value in a counted unit must be whole."""
    if value is not None and unit.strip() in COUNT_UNITS and value != value.to_integral_value():
        return f"{field}的单位是“{unit.strip()}”，须为整数（如 2，不是 {value}）"
    return None


_GOAL_WORDS = (("产业", "发展产业"), ("合作社", "兴办实体"), ("公司", "兴办实体"), ("实体", "兴办实体"),
               ("企业", "兴办实体"), ("厂", "兴办实体"), ("基地", "兴办实体"))


def goal_kind_from_text(goal: str) -> str:
    """The goal type a 驻村 goal's own words give (发展辣椒产业 → 发展产业; 兴办合作社 → 兴办实体), by the word that
    comes first; "" when it names neither. Used when an assignments file has no 目标类型 column."""
    found = [(goal.find(word), label) for word, label in _GOAL_WORDS if word in goal]
    return min(found)[1] if found else ""


def split_duties(text: str) -> list[str]:
    """职责 typed as 走访、结对 / 走访,结对 / 走访；结对 into a list, order kept, blanks dropped."""
    for separator in ("，", ",", "；", ";", "\n", " "):
        text = text.replace(separator, "、")
    return [d for d in (part.strip() for part in text.split("、")) if d]


def standard_duties(kind: str) -> tuple[str, ...]:
    return STANDARD_DUTIES.get(kind, ())


def entered_late(created: dt.date, due: dt.date) -> bool:
    """The lists are due before the due date (每年3月前): an entry on or after it is late."""
    return created >= due
