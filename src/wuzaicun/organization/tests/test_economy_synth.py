"""City-scale synthetic guarantees and collective economy: the seed's exact figures, no 空壳村, valid codes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuzaicun.core.identifiers import credit_code_problem
from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import new_context
from wuzaicun.organization.models import CollectiveEntity, EntityIncome, Guarantee
from wuzaicun.organization.selectors.economy import economy_summary
from wuzaicun.organization.selectors.guarantees import compliance_counts
from wuzaicun.organization.synth.economy import generate_economy
from wuzaicun.organization.synth.guarantees import generate_guarantees
from wuzaicun.regions.services import load_shipped_divisions
from wuzaicun.regions.synth import load_regions


@pytest.mark.django_db
def test_city_synth_has_the_seeds_figures() -> None:
    load_shipped_divisions(actor=None, prefix="5203")
    ctx = new_context(scale="city", seed=2016, year=2016)
    load_regions(ctx)
    generate_guarantees(ctx)
    generate_economy(ctx)

    assert Guarantee.objects_unscoped.filter(year=2016).count() == 2093
    assert Guarantee.objects_unscoped.filter(year=2016, home_area__gt=300).count() == 689
    counts = compliance_counts(OPERATOR, year=2016)
    assert 5 <= counts["below_any"] <= 10 and counts["missing"] == 0
    assert counts["by_standard"][-1]["count"] == 0  # every home built is over 300 m²

    kinds = dict((k, CollectiveEntity.objects_unscoped.filter(kind=k).count()) for k in ("cooperative", "joint_stock"))
    assert kinds == {"cooperative": 2430, "joint_stock": 86}
    assert CollectiveEntity.objects_unscoped.count() == 2516
    codes = list(CollectiveEntity.objects_unscoped.values_list("credit_code", flat=True))
    assert len(set(codes)) == 2516 and all(credit_code_problem(c) is None for c in codes)
    assert not EntityIncome.objects_unscoped.filter(year=2016, collective_income__lte=0).exists()

    summary = economy_summary(OPERATOR, year=2016)
    assert summary["villages"] == summary["with_entity"] == 2093 and summary["coverage"] == Decimal(100)
    assert summary["shells"] == 0 and summary["entities"] == 2516
    trend = {row["year"]: row["shells"] for row in summary["trend"]}
    assert trend[2015] > 0 and trend[2014] >= trend[2015]  # fewer 空壳村 each year, none left in 2016

    again = new_context(scale="city", seed=2016, year=2016)
    load_regions(again)
    generate_economy(again)  # a second run adds nothing
    generate_guarantees(again)
    assert CollectiveEntity.objects_unscoped.count() == 2516 and Guarantee.objects_unscoped.count() == 2093
