"""Writes of 三变: contributions (what each kind must state, the entity's own village, scope) and the dividend
split saved set-based, once a year, audited, cancelled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.organization.services.economy import create_entity
from wuzaicun.resources.models import Contribution, Dividend, DividendPart
from wuzaicun.resources.services.shares import (
    add_contribution,
    cancel_dividend,
    delete_contribution,
    split_dividend,
)

A1, A2, B1 = "520302001001", "520302001002", "520303100201"
D = Decimal
DAY = dt.date(2016, 4, 1)


def sanbian(world: Any, county: str = "a") -> dict[str, Any]:
    """An entity in county A's (or B's) first village with the collective and three households holding shares."""
    actor, village = world.users[f"county_{county}"], A1 if county == "a" else B1
    entity = create_entity(actor=actor, village_code=village, name=f"{world.regions[village].name}股份合作公司",
                           kind="joint_stock")
    households = world.households[village]
    add_contribution(actor=actor, entity_id=entity.pk, household_id=None, kind="property",
                     property_name="村集体烤烟房", amount=D(120000), shares=D(40), contributed_on=DAY)
    add_contribution(actor=actor, entity_id=entity.pk, household_id=households[0].pk, kind="land",
                     land_mu=D("3.5"), shares=D(35), contributed_on=DAY)
    add_contribution(actor=actor, entity_id=entity.pk, household_id=households[1].pk, kind="money",
                     amount=D(5000), shares=D(15), contributed_on=DAY)
    add_contribution(actor=actor, entity_id=entity.pk, household_id=households[2].pk, kind="land",
                     land_mu=D("1.0"), shares=D(10), contributed_on=dt.date(2017, 1, 5))
    return {"entity": entity, "households": households, "actor": actor}


def test_a_dividend_is_split_by_the_year_end_shares_to_the_fen_and_audited(world):
    s = sanbian(world)
    plan = split_dividend(actor=s["actor"], entity_id=s["entity"].pk, year=2016, total=D("10000.01"))
    assert plan.dividend is not None and plan.holders == 3  # the 2017 contribution does not count in 2016
    parts = {p.household_id: p.amount for p in DividendPart.objects_unscoped.filter(dividend=plan.dividend)}
    # exact: 4444.4489, 3888.8928, 1666.6683 → floors 4444.44, 3888.88, 1666.66 (9999.98); the two fen left go to
    # the largest remainders (0.89 of a fen, then 0.83), not to the largest holding
    assert parts == {None: D("4444.45"), s["households"][0].pk: D("3888.89"), s["households"][1].pk: D("1666.67")}
    assert sum(parts.values()) == D("10000.01")
    entry = AuditEntry.objects_unscoped.get(object_type="dividend")
    assert "10000.01元" in entry.summary and "3个股东" in entry.summary and entry.region_code == A1


def test_a_dry_run_saves_nothing_and_a_year_is_split_once(world):
    s = sanbian(world)
    preview = split_dividend(actor=s["actor"], entity_id=s["entity"].pk, year=2017, total=D(100), dry_run=True)
    assert preview.dividend is None and preview.holders == 4 and not Dividend.objects_unscoped.exists()
    split_dividend(actor=s["actor"], entity_id=s["entity"].pk, year=2017, total=D(100))
    with pytest.raises(DomainError, match="2017年度已分红"):
        split_dividend(actor=s["actor"], entity_id=s["entity"].pk, year=2017, total=D(100))


def test_a_cancelled_dividend_can_be_split_again(world):
    s = sanbian(world)
    plan = split_dividend(actor=s["actor"], entity_id=s["entity"].pk, year=2016, total=D(100))
    assert plan.dividend is not None
    cancel_dividend(actor=s["actor"], dividend_id=plan.dividend.pk)
    assert not DividendPart.objects_unscoped.exists()
    again = split_dividend(actor=s["actor"], entity_id=s["entity"].pk, year=2016, total=D(200))
    assert again.dividend is not None and again.dividend.total == D(200)
    assert AuditEntry.objects_unscoped.filter(object_type="dividend", action="delete").count() == 1


def test_no_shares_at_the_year_end_no_dividend(world):
    s = sanbian(world)
    with pytest.raises(DomainError, match="截至2015年底没有入股记录"):
        split_dividend(actor=s["actor"], entity_id=s["entity"].pk, year=2015, total=D(100))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"kind": "land", "shares": D(1)}, "土地面积"),
    ({"kind": "property", "shares": D(1)}, "资产名称"),
    ({"kind": "money", "shares": D(1), "amount": D(0)}, "大于0的金额"),
    ({"kind": "land", "land_mu": D(1), "shares": D(0)}, "股份应大于0"),
    ({"kind": "land", "land_mu": D(1), "shares": D(1), "contributed_on": dt.date(2099, 1, 1)}, "不能晚于今天"),
    ({"kind": "land", "land_mu": D("-1"), "shares": D(1)}, "土地面积"),
])
def test_a_contribution_missing_what_its_kind_needs_is_refused_and_nothing_is_saved(world, kwargs, message):
    s = sanbian(world)
    before = Contribution.objects_unscoped.count()
    with pytest.raises(DomainError, match=message):
        add_contribution(actor=s["actor"], entity_id=s["entity"].pk, household_id=None,
                         **{"contributed_on": DAY, **kwargs})
    assert Contribution.objects_unscoped.count() == before


def test_a_household_of_another_village_cannot_hold_shares(world):
    s = sanbian(world)
    other = world.households[A2][0]
    with pytest.raises(DomainError, match=f"{other.head_name}户不是甲村的农户"):
        add_contribution(actor=s["actor"], entity_id=s["entity"].pk, household_id=other.pk, kind="land",
                         land_mu=D(1), shares=D(1), contributed_on=DAY)


def test_scope_both_ways(world):
    a, b = sanbian(world, "a"), sanbian(world, "b")
    with pytest.raises(NotFound):
        split_dividend(actor=world.users["county_a"], entity_id=b["entity"].pk, year=2016, total=D(1))
    with pytest.raises(NotFound):
        add_contribution(actor=world.users["county_b"], entity_id=a["entity"].pk, household_id=None, kind="land",
                         land_mu=D(1), shares=D(1), contributed_on=DAY)
    theirs = Contribution.objects_unscoped.filter(entity=b["entity"]).first()
    assert theirs is not None
    with pytest.raises(NotFound):
        delete_contribution(actor=world.users["county_a"], contribution_id=theirs.pk)
    delete_contribution(actor=world.users["county_b"], contribution_id=theirs.pk)
    assert not Contribution.objects_unscoped.filter(pk=theirs.pk).exists()


def test_read_only_roles_cannot_write(world):
    s = sanbian(world)
    with pytest.raises(DomainError):
        split_dividend(actor=world.users["leader_a"], entity_id=s["entity"].pk, year=2016, total=D(1))
    assert not Dividend.objects_unscoped.exists()


def test_the_overview_totals_give_the_same_figures_without_reading_a_household(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.resources.selectors.shares import totals

    sanbian(world)
    actor = world.users["county_a"]
    full = totals(actor, year=2016)
    assert full["holders"] == 2 and full["land"] == D("3.5") and full["money"] == D(5000) and full["properties"] == 1
    assert full["poor_holders"] == sum(1 for h in world.households[A1][:2] if h.status == "未脱贫")
    with CaptureQueriesContext(connection) as captured:
        lean = totals(actor, year=2016, poor=False)
    assert lean == {k: v for k, v in full.items() if k != "poor_holders"}
    assert len(captured.captured_queries) == 1 and "registry_household" not in captured.captured_queries[0]["sql"]
