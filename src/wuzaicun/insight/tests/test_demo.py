"""THE DEMO TEST: on the city synth (`synth --scale city --seed 2016 --year 2016`, what `wuzaicun demo` loads),
each figure equals the one the seed states. One slow test (the city synth takes about a minute)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from wuzaicun.core.operator import OPERATOR
from wuzaicun.insight.figures import compute_stats
from wuzaicun.regions.services import load_shipped_divisions

# the seed's figures (《党建扶贫“五在村”》, 遵义, 2016), by figure key
SEED = {
    "poor_villages": 871,
    "dispatched": 4606, "working_groups": 902, "poor_villages_with_group": 871, "weak_villages_with_group": 138,
    "ethnic_villages_with_group": 231, "talents": 5378, "project_secretaries": 1433, "projects_led": 918,
    "projects_driven": 1240, "city_training_sessions": 10, "city_training_person_times": 1200,
    "county_training_sessions": 95, "county_training_person_times": 11000,
    "promotions": 67, "treatments": 108, "accountability": 27,
    "rectified_organisations": 120, "supervisory_committees": 1680, "new_organisations": 168,
    "ecommerce_branches": 27, "ecommerce_stations": 226, "social_organisations": 3200, "homes": 689,
    "cooperatives": 2430, "joint_stock_companies": 86, "collective_entities": 2516, "shell_villages": 0,
    "land_mu": Decimal(1_800_000), "properties": 360,
    "kin_pairs": 295_700, "pairing_project_supports": 2742, "enterprises": 1000,
    "enterprise_funds_paid": Decimal(7_180_000_000),
    "provincial_demonstrations": 3,
}
AT_LEAST = {"social_organisations", "enterprises"}  # the seed says 3,200余 and 1,000余
# The pairings helper's synth (干群结亲, 支部结对, 非公企业) is not in this branch yet.
# lead: empty this set at merge, once the pairings synth lands.

@pytest.mark.django_db
def test_the_demo_equals_the_seeds_figures() -> None:
    load_shipped_divisions(actor=None, prefix="5203")
    call_command("synth", scale="city", seed=2016, year=2016, stdout=io.StringIO(), stderr=io.StringIO())
    stats = compute_stats(OPERATOR, year=2016)
    values = stats.values()
    for key, stated in SEED.items():
        figure = stats.figure(key)
        assert figure.seed == stated, key  # what the page shows beside it is the seed's figure
        if key in AT_LEAST:
            assert values[key] >= stated, key
        else:
            assert values[key] == stated, key
    stated_anywhere = {f.key for s in stats.sections for f in s.figures if f.seed is not None}
    assert stated_anywhere == set(SEED)
