"""The draw's rule: ceil(rate × n) per stratum (≥ 1), deterministic from the seed, sensitive to it."""

import math
from decimal import Decimal

import pytest

from wuzaicun.core.errors import DomainError
from wuzaicun.verification.sampling import Member, draw, picks_per_stratum, population_hash, rate_problem
from wuzaicun.verification.services import parse_quarter

SEED = bytes(range(32))


@pytest.mark.parametrize("n", [0, 1, 2, 5, 9, 10, 11, 19, 20, 21, 99, 100, 101, 1000, 12345])
@pytest.mark.parametrize("rate", [Decimal("0.10"), Decimal("0.125"), Decimal("0.3"), Decimal("1")])
def test_each_stratum_gives_ceil_rate_times_n_and_at_least_one(n, rate):
    k = picks_per_stratum(n, rate)
    assert k == (0 if n == 0 else max(1, math.ceil(rate * n)))
    assert k <= n and (n == 0 or Decimal(k) / n >= rate)


def test_strata_are_kind_and_county():
    members = [Member(i, kind, county) for i, (kind, county) in enumerate(
        [(k, c) for k in ("team", "helper") for c in ("520302", "520303") for _ in range(25)])]
    picks = draw(SEED, members, Decimal("0.10"))
    per_stratum: dict[tuple[str, str], int] = {}
    for pick in picks:
        per_stratum[pick.stratum] = per_stratum.get(pick.stratum, 0) + 1
    assert per_stratum == {("helper", "520302"): 3, ("helper", "520303"): 3, ("team", "520302"): 3,
                           ("team", "520303"): 3}


def test_the_same_seed_gives_the_same_picks_and_another_seed_others():
    members = [Member(i, "helper", "520302") for i in range(1, 1001)]
    first = draw(SEED, members, Decimal("0.10"))
    assert draw(SEED, list(reversed(members)), Decimal("0.10")) == first
    other = draw(bytes(32), members, Decimal("0.10"))
    assert len(other) == len(first) == 100 and other != first


def test_the_population_hash_changes_with_any_member():
    members = [Member(i, "team", "520302") for i in range(10)]
    base = population_hash(members)
    assert population_hash(list(reversed(members))) == base
    assert population_hash(members[:-1]) != base
    assert population_hash([*members[:-1], Member(9, "team", "520303")]) != base


@pytest.mark.parametrize(("rate", "refused"), [(Decimal("0.09"), True), (Decimal("0.10"), False), (Decimal("1.5"), True)])
def test_a_rate_below_ten_per_cent_is_refused(rate, refused):
    assert (rate_problem(rate) is not None) is refused


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "Infinity", "0.1234"])
def test_a_rate_that_is_no_number_or_finer_than_stored_is_refused_not_crashed(typed):
    assert rate_problem(Decimal(typed)) is not None


@pytest.mark.parametrize("typed", ["0000Q1", "9999Q3", "2016Q5"])
def test_a_quarter_outside_the_years_is_refused_in_chinese(typed):
    with pytest.raises(DomainError, match="季度"):
        parse_quarter(typed)
