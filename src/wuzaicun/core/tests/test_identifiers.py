"""Resident IDs (GB 11643), credit codes (GB 32100), masking and value normalisation."""

import datetime as dt
from decimal import Decimal

import pytest

from wuzaicun.core.identifiers import credit_code_problem, resident_id_problem, sex_from_resident_id
from wuzaicun.core.masking import mask_phone, mask_resident_id, mask_resident_id_public
from wuzaicun.core.text import ParseError, normalise, parse_date, parse_money, parse_yes_no

VALID = "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (VALID, None),
        ("110105194912310021", "校验码错误"),
        ("11010519491231002", "应为18位，实为17位"),
        ("99010519491231002X", "不是有效的省级行政区划"),
        ("110105194913310028", "出生日期“19491331”无效"),
        ("11010519491231002Y", "只能由17位数字加1位数字或X组成"),
    ],
)
def test_resident_id_problems_name_the_reason(value, problem):
    found = resident_id_problem(value)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_a_birth_date_in_the_future_is_refused():
    from wuzaicun.testing.ids import make_resident_id

    future = make_resident_id("520302", dt.date(2030, 1, 1), 1)
    assert "不合理" in (resident_id_problem(future, today=dt.date(2026, 1, 1)) or "")


def test_sex_comes_from_the_seventeenth_digit():
    assert sex_from_resident_id(VALID) == "女"
    assert sex_from_resident_id("110105194912310037") == "男"


@pytest.mark.parametrize(("code", "ok"), [("91350100M000100Y43", True), ("91350100M000100Y44", False), ("9135010OM000100Y43", False)])
def test_credit_codes(code, ok):
    assert (credit_code_problem(code) is None) is ok


def test_masking_profiles():
    assert mask_resident_id("520321199001011234") == "520321********1234"
    assert mask_resident_id_public("520321199001011234") == "52*************234"
    assert mask_phone("13812341234") == "138****1234"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2016-03-01", dt.date(2016, 3, 1)), ("2016/3/1", dt.date(2016, 3, 1)), ("2016年3月1日", dt.date(2016, 3, 1)),
     ("42430", dt.date(2016, 3, 1)), (42430.0, dt.date(2016, 3, 1)), ("２０１６－０３－０１", dt.date(2016, 3, 1)),
     ("2016-03-01 00:00:00", dt.date(2016, 3, 1))],
)
def test_dates_in_the_forms_officials_type(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2016-02-30", "三月一日", "2016.13.01"])
def test_bad_dates_say_so_in_chinese(raw):
    with pytest.raises(ParseError, match="日期"):
        parse_date(raw)


def test_normalise_folds_full_width_and_spaces():
    assert normalise("　ＡＢＣ１２３　 x ") == "ABC123 x"


def test_money_and_yes_no():
    assert parse_money("1,234.5元") == Decimal("1234.50")
    assert parse_yes_no("是") is True and parse_yes_no("否") is False
    with pytest.raises(ParseError, match="是”或“否"):
        parse_yes_no("也许")
