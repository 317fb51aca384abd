"""`code__within`: exactly the codes under a prefix, on both databases."""

import pytest

from wuzaicun.regions.models import Region


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("5203", {"520300000000", "520302000000", "520302001000", "520302001001", "520302001002", "520303000000",
               "520303100000", "520303100201", "520303100202"}),
     ("520302001", {"520302001000", "520302001001", "520302001002"}),
     ("520302001001", {"520302001001"}),
     ("5204", set()),
     ("52a", set())],
)
def test_within_matches_exactly_the_codes_under_a_prefix(world, prefix, expected):
    assert set(Region.objects_unscoped.filter(code__within=prefix).values_list("code", flat=True)) == expected


def test_within_works_through_a_foreign_key(world):
    from wuzaicun.registry.models import Household

    assert Household.objects_unscoped.filter(region__code__within="520303").count() == 6
