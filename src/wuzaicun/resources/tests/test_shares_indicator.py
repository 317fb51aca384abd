"""The `dividends_paid` indicator: entities holding shares at the year's end that paid the year's dividend, by
village and by township, with an entity in each county."""

from __future__ import annotations

from decimal import Decimal

from wuzaicun.core.indicators import indicator
from wuzaicun.organization.services.economy import create_entity
from wuzaicun.resources.services.shares import add_contribution, split_dividend

from .test_shares_services import A1, A2, B1, DAY, sanbian


def test_dividends_paid_counts_the_shareholding_entities_that_paid(world):
    paying, idle = sanbian(world, "a"), sanbian(world, "b")
    split_dividend(actor=paying["actor"], entity_id=paying["entity"].pk, year=2016, total=Decimal(900))
    # a second entity in county A's first village holds shares and pays nothing
    quiet = create_entity(actor=paying["actor"], village_code=A1, name="甲村茶叶合作社", kind="cooperative")
    add_contribution(actor=paying["actor"], entity_id=quiet.pk, household_id=None, kind="money",
                     amount=Decimal(1000), shares=Decimal(10), contributed_on=DAY)
    compute = indicator("dividends_paid")
    assert compute is not None
    villages = compute.compute(2016, [A1, A2, B1], 5)
    assert villages == {A1: Decimal("50.00"), A2: Decimal(100), B1: Decimal("0.00")}
    assert idle["entity"].village_id == B1
    townships = compute.compute(2016, [A1[:9], B1[:9]], 4)
    assert townships == {A1[:9]: Decimal("50.00"), B1[:9]: Decimal("0.00")}
    # the year before any share was held, nobody failed
    assert compute.compute(2015, [A1, B1], 5) == {A1: Decimal(100), B1: Decimal(100)}
