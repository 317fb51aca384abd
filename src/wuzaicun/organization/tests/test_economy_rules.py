"""Pure checks of the collective economy: credit codes, 空壳村, the income score."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wuzaicun.core.identifiers import credit_code_check_char
from wuzaicun.organization.rules.economy import entity_problems, income_score, shell_reason

GOOD = "9352030200100100" + "1"
GOOD += credit_code_check_char(GOOD)


def test_a_valid_entity_has_no_problem() -> None:
    assert entity_problems(name="甲村茶叶专业合作社", kind="cooperative", credit_code=GOOD, founded_on=None) == []


def test_problems_name_their_field() -> None:
    wrong_check = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
    found = entity_problems(name="", kind="bank", credit_code=wrong_check, founded_on=dt.date(2030, 1, 1),
                            today=dt.date(2016, 6, 1))
    assert [f for f, _ in found] == ["名称", "类型", "统一社会信用代码", "成立日期"]
    assert "校验码错误" in found[2][1]
    assert "不得含" in entity_problems(name="x", kind="other", credit_code="91520302MA6DOOOOOO", founded_on=None)[0][1]


@pytest.mark.parametrize(("entities", "income", "reason"), [
    (0, None, "没有村集体经济实体"), (0, Decimal(5), "没有村集体经济实体"), (2, None, "当年没有集体收入"),
    (1, Decimal(0), "当年没有集体收入"), (1, Decimal("0.01"), None),
])
def test_shell_reason(entities: int, income: Decimal | None, reason: str | None) -> None:
    assert shell_reason(entities=entities, collective_income=income) == reason


@pytest.mark.parametrize(("income", "score"), [
    (None, Decimal(0)), (Decimal(0), Decimal(0)), (Decimal(25000), Decimal("50.00")), (Decimal(50000), Decimal(100)),
    (Decimal(900000), Decimal(100)), (Decimal("1"), Decimal("0.00")),
])
def test_income_score_is_linear_up_to_the_threshold(income: Decimal | None, score: Decimal) -> None:
    assert income_score(income, Decimal(50000)) == score
