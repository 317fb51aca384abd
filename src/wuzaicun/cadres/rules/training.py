"""干部培训's pure checks: a session's fields (level and the region holding it, dates, target groups), who
counts as a township's 党政一把手, and a group's coverage share.

A city session (市级) is held by a city (市、州, region level 2), a county session (县级) by a county (县、市、区,
level 3). A session's year is its start's year. Coverage of a group in a year is the share of its members who
attended at least one session that year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from ..models.training import TargetGroup, TrainingLevel

NAME_MAX = 200
ORGANISER_MAX = 100
TOPIC_MAX = 200
LEVEL_BY_LABEL: dict[str, str] = {label: value for value, label in TrainingLevel.choices}
GROUP_BY_LABEL: dict[str, str] = {label: value for value, label in TargetGroup.choices}
REGION_LEVEL_OF: dict[str, int] = {TrainingLevel.CITY: 2, TrainingLevel.COUNTY: 3}
REGION_LEVEL_NAMES = {2: "市（州）", 3: "县（市、区）"}

# The posts of a township's 党政一把手 (贫困乡镇党政一把手): the 党委书记 and the 乡长/镇长, as registry/synth.py names
# them (a 街道's 党工委书记 and 办事处主任 count alike); a post typed by hand as 乡长 or 镇长 alone counts too.
TOWNSHIP_HEAD_POSTS: tuple[str, ...] = (
    "党委书记", "党委副书记、乡长", "党委副书记、镇长", "乡长", "镇长",
    "党工委书记", "党工委副书记、办事处主任", "办事处主任",
)


def level_region_problem(*, level: str, region_level: int) -> str | None:
    """A city session is held by a city, a county session by a county."""
    if level not in REGION_LEVEL_OF:
        return f"层级“{level}”不是可选值（{'、'.join(LEVEL_BY_LABEL)}）"
    wanted = REGION_LEVEL_OF[level]
    if region_level != wanted:
        label = dict(TrainingLevel.choices)[level]
        return f"{label}培训班须由{REGION_LEVEL_NAMES[wanted]}举办，请选择{REGION_LEVEL_NAMES[wanted]}级区划"
    return None


def session_problems(*, name: str, organiser: str, topic: str, start: dt.date | None, end: dt.date | None,
                     target_groups: Iterable[str]) -> list[tuple[str, str]]:
    """(field label, Chinese reason) for each problem of a session's own fields."""
    problems: list[tuple[str, str]] = []
    for label, value, limit in (("培训班名称", name, NAME_MAX), ("主办单位", organiser, ORGANISER_MAX),
                                ("培训主题", topic, TOPIC_MAX)):
        if not value.strip():
            problems.append((label, f"{label}为必填项"))
        elif len(value) > limit:
            problems.append((label, f"{label}不能超过{limit}个字（实为{len(value)}个）"))
    if start is None:
        problems.append(("开始日期", "开始日期为必填项"))
    if end is None:
        problems.append(("结束日期", "结束日期为必填项"))
    if start is not None and end is not None and end < start:
        problems.append(("结束日期", f"结束日期 {end} 早于开始日期 {start}"))
    groups = list(target_groups)
    unknown = [g for g in groups if g not in TargetGroup.values]
    if unknown:
        problems.append(("培训对象", f"培训对象“{'、'.join(unknown)}”不是可选值（{'、'.join(GROUP_BY_LABEL)}）"))
    elif not groups:
        problems.append(("培训对象", "请至少选择一类培训对象"))
    return problems


def ordered_groups(groups: Iterable[str]) -> list[str]:
    """Target groups once each, in the order of TargetGroup (as stored and shown)."""
    chosen = set(groups)
    return [g for g in TargetGroup.values if g in chosen]


def group_labels(groups: Iterable[str]) -> str:
    labels = dict(TargetGroup.choices)
    return "、".join(labels[g] for g in ordered_groups(groups))


def coverage_share(trained: int, members: int) -> Decimal | None:
    """trained / members in per cent to the cent (ROUND_HALF_UP); None for a group with no member (nothing
    to cover: shown as 无, not as 0 % or 100 %)."""
    if members <= 0:
        return None
    return (Decimal(100) * trained / members).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def attendance_score(sessions_attended: int) -> Decimal:
    """The `training_attendance` indicator: 100 when the person attended at least one session in the year,
    0 when none (no attendance is data, not a missing value)."""
    return Decimal(100) if sessions_attended > 0 else Decimal(0)
