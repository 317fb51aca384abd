"""干部培训's pure checks: the level and the region holding a session, dates, target groups, coverage shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wuzaicun.cadres.rules.training import (
    attendance_score,
    coverage_share,
    group_labels,
    level_region_problem,
    ordered_groups,
    session_problems,
)

D = dt.date(2016, 3, 1)


@pytest.mark.parametrize(("level", "region_level", "problem"), [
    ("city", 2, None),
    ("county", 3, None),
    ("city", 3, "市级培训班须由市（州）举办，请选择市（州）级区划"),
    ("county", 2, "县级培训班须由县（市、区）举办，请选择县（市、区）级区划"),
    ("county", 4, "县级培训班须由县（市、区）举办，请选择县（市、区）级区划"),
    ("province", 1, "层级“province”不是可选值（市级、县级）"),
])
def test_a_city_session_is_held_by_a_city_and_a_county_session_by_a_county(level, region_level, problem) -> None:
    assert level_region_problem(level=level, region_level=region_level) == problem


@pytest.mark.parametrize(("values", "expected"), [
    ({}, []),
    ({"end": D - dt.timedelta(days=1)}, [("结束日期", "结束日期 2016-02-29 早于开始日期 2016-03-01")]),
    ({"end": D}, []),
    ({"name": " "}, [("培训班名称", "培训班名称为必填项")]),
    ({"topic": "题" * 201}, [("培训主题", "培训主题不能超过200个字（实为201个）")]),
    ({"target_groups": []}, [("培训对象", "请至少选择一类培训对象")]),
    ({"target_groups": ["leaders"]}, [("培训对象", "培训对象“leaders”不是可选值（县处级领导干部、贫困乡镇党政一把手、第一书记和驻村干部、村干部）")]),
    ({"start": None, "end": None}, [("开始日期", "开始日期为必填项"), ("结束日期", "结束日期为必填项")]),
])
def test_session_problems(values, expected) -> None:
    given = {"name": "培训班", "organiser": "县委组织部", "topic": "脱贫攻坚", "start": D, "end": D + dt.timedelta(days=2),
             "target_groups": ["village_cadres"]} | values
    assert session_problems(**given) == expected


def test_groups_are_kept_once_in_their_order_and_named() -> None:
    assert ordered_groups(["village_cadres", "county_leaders", "village_cadres"]) == ["county_leaders", "village_cadres"]
    assert group_labels(["dispatched", "county_leaders"]) == "县处级领导干部、第一书记和驻村干部"


@pytest.mark.parametrize(("trained", "members", "share"), [
    (0, 0, None), (0, 3, Decimal("0.00")), (1, 3, Decimal("33.33")), (2, 3, Decimal("66.67")), (3, 3, Decimal(100)),
])
def test_coverage_share(trained, members, share) -> None:
    assert coverage_share(trained, members) == share


def test_attendance_scores_100_or_0_never_missing() -> None:
    assert attendance_score(0) == Decimal(0) and attendance_score(1) == attendance_score(3) == Decimal(100)
