"""The dividend split (largest remainder, to the fen) and what a contribution must state."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from wuzaicun.resources.rules.shares import contribution_problems, split_by_largest_remainder

D = Decimal


@pytest.mark.parametrize(("total", "holdings", "parts"), [
    # 100.00 over three equal holders: 33.33 each and the last fen to the first holder (equal remainders)
    ("100.00", [("a", "1"), ("b", "1"), ("c", "1")], ["33.34", "33.33", "33.33"]),
    # the left-over fen go to the largest remainders (exact: 1.67, 3.33, 1.67, 3.33 fen)
    ("0.10", [("a", "1"), ("b", "2"), ("c", "1"), ("d", "2")], ["0.02", "0.03", "0.02", "0.03"]),
    # equal remainders (exact: 0.5 and 1.5 fen) go first to the larger holding
    ("0.02", [("a", "1"), ("b", "3")], ["0.00", "0.02"]),
    # exact shares need no rounding
    ("1000.00", [("a", "3"), ("b", "1")], ["750.00", "250.00"]),
    # one fen over many holders goes to the largest remainder, the biggest holding
    ("0.01", [("a", "1"), ("b", "3"), ("c", "2")], ["0.00", "0.01", "0.00"]),
    # fractional shares (e.g. 2.5 亩 折股)
    ("10.00", [("a", "2.5"), ("b", "0.5")], ["8.33", "1.67"]),
    ("0.00", [("a", "1")], ["0.00"]),
])
def test_the_split_adds_up_and_breaks_ties_as_documented(total, holdings, parts):
    result = split_by_largest_remainder(D(total), [(k, D(s)) for k, s in holdings])
    assert [str(p) for _, p in result] == parts
    assert sum(p for _, p in result) == D(total)


def test_a_random_split_is_exact_within_a_fen_of_each_share_and_reproducible():
    rng = random.Random(2016)
    holdings = [(i, D(rng.randint(1, 50_000)) / 100) for i in range(5_000)]
    total = D("1234567.89")
    parts = split_by_largest_remainder(total, holdings)
    assert sum(p for _, p in parts) == total
    whole = sum(s for _, s in holdings)
    assert all(abs(p - total * s / whole) < D("0.01") for (_, s), (_, p) in zip(holdings, parts, strict=True))
    assert parts == split_by_largest_remainder(total, holdings)


@pytest.mark.parametrize("total", ["-1.00", "1.001"])
def test_a_total_that_is_not_an_amount_to_the_fen_is_refused(total):
    with pytest.raises(ValueError, match="精确到分"):
        split_by_largest_remainder(D(total), [("a", D(1))])


def test_no_shares_no_dividend():
    with pytest.raises(ValueError, match="没有股份"):
        split_by_largest_remainder(D("1.00"), [])


@pytest.mark.parametrize(("kind", "land", "name", "amount", "fields"), [
    ("land", None, "", None, ["土地面积（亩）"]),
    ("land", "3.5", "", None, []),
    ("property", None, " ", None, ["资产名称"]),
    ("property", None, "村集体烤烟房", "120000", []),
    ("money", None, "", "0", ["折价或金额（元）"]),
    ("money", None, "", "5000", []),
    ("labour", None, "", None, ["入股方式"]),
])
def test_each_kind_of_contribution_states_what_it_put_in(kind, land, name, amount, fields):
    problems = contribution_problems(kind=kind, land_mu=D(land) if land else None, property_name=name,
                                     amount=D(amount) if amount else None, shares=D(1))
    assert [f for f, _ in problems] == fields
