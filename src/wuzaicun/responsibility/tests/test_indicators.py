"""The lists' indicators read only the subjects' code range, at every level: a township asked alone is
computed from its villages' households (its own 12-digit code, trailing zeros and all, is no prefix of them)."""

from decimal import Decimal

from wuzaicun.regions.models import Level
from wuzaicun.responsibility.indicators import household_coverage
from wuzaicun.responsibility.models import HouseholdHelpers

TOWNSHIP_A, TOWNSHIP_B = "520302001000", "520303100000"


def _enough_helpers(world, village: str, year: int) -> None:
    HouseholdHelpers.objects_unscoped.bulk_create(
        [HouseholdHelpers(household=h, year=year, helpers=3) for h in world.households[village]])


def test_household_coverage_of_one_township_and_of_two(world):
    _enough_helpers(world, "520302001001", 2016)  # half of township A's poor households (甲村 of 甲村, 乙村)
    poor_a = sum(1 for v in ("520302001001", "520302001002") for h in world.households[v] if h.status == "未脱贫")
    helped_a = sum(1 for h in world.households["520302001001"] if h.status == "未脱贫")
    expected_a = (Decimal(100) * helped_a / poor_a).quantize(Decimal("0.01"))
    assert 0 < expected_a < 100
    assert household_coverage(2016, [TOWNSHIP_A], Level.TOWNSHIP) == {TOWNSHIP_A: expected_a}
    both = household_coverage(2016, [TOWNSHIP_A, TOWNSHIP_B], Level.TOWNSHIP)
    assert both == {TOWNSHIP_A: expected_a, TOWNSHIP_B: Decimal("0.00")}
    villages = household_coverage(2016, ["520302001001", "520303100201"], Level.VILLAGE)
    assert villages == {"520302001001": Decimal("100.00"), "520303100201": Decimal("0.00")}
