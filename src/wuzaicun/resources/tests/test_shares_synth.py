"""City-scale synthetic 三变: the seed's 1,800,000 亩 and 360 properties exactly, dividends that add up to the fen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import new_context
from wuzaicun.organization.synth.economy import generate_economy
from wuzaicun.regions.services import load_shipped_divisions
from wuzaicun.regions.synth import load_regions
from wuzaicun.resources.models import Contribution, Dividend, DividendPart
from wuzaicun.resources.selectors.shares import totals
from wuzaicun.resources.synth.shares import generate_shares


@pytest.mark.django_db
def test_city_synth_has_the_seeds_land_and_properties_and_exact_dividends() -> None:
    load_shipped_divisions(actor=None, prefix="5203")
    ctx = new_context(scale="city", seed=2016, year=2016)
    load_regions(ctx)
    generate_economy(ctx)
    generate_shares(ctx)

    every_year = totals(OPERATOR, year=2100)
    assert every_year["land"] == Decimal(1_800_000) and every_year["properties"] == 360
    assert every_year["entities"] == 600
    dividends = Dividend.objects_unscoped.filter(year=2016)
    assert 300 < dividends.count() < 500
    for dividend in dividends.annotate(paid=Sum("parts__amount"))[:50]:
        assert dividend.paid == dividend.total
    assert DividendPart.objects_unscoped.count() == sum(dividends.values_list("holders", flat=True))

    count = Contribution.objects_unscoped.count()
    again = new_context(scale="city", seed=2016, year=2016)
    load_regions(again)
    generate_shares(again)  # a second run adds nothing
    assert Contribution.objects_unscoped.count() == count
