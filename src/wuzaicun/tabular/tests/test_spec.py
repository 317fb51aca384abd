"""The column parsers templates share: what each accepts, and the Chinese message for what it refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuzaicun.core.text import ParseError
from wuzaicun.tabular.spec import bounded_text, choice, integer, money, year


@pytest.mark.parametrize(("raw", "value"), [(4, 4), ("4", 4), (" 4 ", 4), ("４", 4), (4.0, 4), ("4.0", 4), ("1,0", 10)])
def test_integer_accepts_numbers_as_cells_and_as_text(raw, value):
    assert integer(low=1, high=30)(raw) == value


@pytest.mark.parametrize(("raw", "message"), [(0, "“0”不能小于 1"), ("31", "“31”不能大于 30"), ("四", "“四”不是整数"),
                                              (4.5, "“4.5”不是整数")])
def test_integer_refuses_in_chinese(raw, message):
    with pytest.raises(ParseError) as refused:
        integer(low=1, high=30)(raw)
    assert str(refused.value) == message


@pytest.mark.parametrize("raw", [2016, "2016", "2016年", "２０１６", 2016.0, " 2016 "])
def test_year_accepts_the_forms_officials_type(raw):
    assert year(raw) == 2016


@pytest.mark.parametrize(("raw", "message"), [(1800, "“1800”不能小于 1949"), ("去年", "“去年”不是年份，应写作 2016 或 2016年"),
                                              ("16", "“16”不是年份，应写作 2016 或 2016年")])
def test_year_refuses_in_chinese(raw, message):
    with pytest.raises(ParseError) as refused:
        year(raw)
    assert str(refused.value) == message


@pytest.mark.parametrize(("raw", "value"), [("2300.5", "2300.50"), (2300, "2300.00"), (2300.25, "2300.25"),
                                            ("2,300元", "2300.00"), ("１２３．４", "123.40"), ("0", "0.00")])
def test_money_is_kept_to_the_fen(raw, value):
    assert money(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["-1", "abc", "NaN", "Infinity", "1e30", "10000000000", 10_000_000_000])
def test_money_refuses_what_the_column_cannot_hold(raw):
    with pytest.raises(ParseError, match="金额"):
        money(raw)


def test_bounded_text_names_the_limit_and_the_length():
    assert bounded_text(3)(" 张 三 ") == "张 三"
    with pytest.raises(ParseError, match=r"不能超过3个字（实为4个）"):
        bounded_text(3)("张三李四")


def test_choice_accepts_the_options_after_clean_up_and_lists_them_when_refusing():
    parse = choice(["未脱贫", "已脱贫"])
    assert parse("　已脱贫 ") == "已脱贫"
    with pytest.raises(ParseError) as refused:
        parse("返贫")
    assert str(refused.value) == "“返贫”不是可选值（未脱贫、已脱贫）"
