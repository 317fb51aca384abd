"""Number ranges come from the database column; nothing outside them (nor inf or nan) gets through."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuzaicun.core.bounds import MAX_ID, id_or_none, range_of
from wuzaicun.core.errors import DomainError
from wuzaicun.registry.models import INCOME_PER_HEAD_RANGE, Household
from wuzaicun.responsibility.models import PROGRESS_VALUE_RANGE


def test_a_decimal_columns_range_is_its_digits_and_an_integer_columns_its_type():
    assert INCOME_PER_HEAD_RANGE.high == Decimal("9999999999.99") and INCOME_PER_HEAD_RANGE.low == 0
    assert INCOME_PER_HEAD_RANGE.places == 2
    members = range_of(Household, "members")
    assert (members.low, members.high, members.places) == (0, 32767, 0)
    assert range_of(Household, "members", low=1, high=30).high == 30


@pytest.mark.parametrize("value", [1e300, Decimal("1E+300"), float("inf"), float("-inf"), float("nan"),
                                   Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), -1, Decimal("10000000000")])
def test_values_outside_the_column_are_refused_naming_the_field_and_range(value):
    with pytest.raises(DomainError) as refused:
        INCOME_PER_HEAD_RANGE.check(value)
    assert refused.value.message == "人均纯收入超出允许范围（0–9999999999.99）"
    assert refused.value.field == "人均纯收入"


@pytest.mark.parametrize(("value", "stored"), [
    (0, Decimal("0.00")), (12.345, Decimal("12.35")), (Decimal("9999999999.99"), Decimal("9999999999.99")),
    (None, None),
])
def test_values_inside_are_stored_as_the_column_holds_them(value, stored):
    assert PROGRESS_VALUE_RANGE.check(value) == stored


def test_rounding_past_the_largest_value_is_refused():
    with pytest.raises(DomainError):
        INCOME_PER_HEAD_RANGE.check(Decimal("9999999999.996"))


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("0", None), ("99999999999999999999", None),
    ("", None), ("abc", None), ("²", None), ("１２", None),
])
def test_an_id_typed_in_a_query_string_is_none_unless_it_could_be_stored(text, expected):
    assert id_or_none(text) == expected
