"""Synthetic organisations: the seed's numbers exactly at city scale, a sound tree for one county, no
second helping on a rerun."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from wuzaicun.core.synth import new_context
from wuzaicun.organization.models.orgs import (
    CommitteeDuty,
    CommitteeMember,
    EcommerceStation,
    Membership,
    PartyOrganisation,
    ServiceRecord,
    SocialOrganisation,
    SupervisoryCommittee,
)
from wuzaicun.organization.rules.orgs import COMMITTEE_DUTIES
from wuzaicun.organization.synth.orgs import _Plan, generate_organisations
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.services import load_shipped_divisions
from wuzaicun.regions.synth import load_regions
from wuzaicun.registry.models import PARTY_STATUSES, Household

COUNTY = "520302"


@pytest.mark.django_db
def test_the_city_plan_has_the_seeds_numbers_exactly():
    load_shipped_divisions(actor=None, prefix="5203")
    ctx = new_context(scale="city", seed=2016, year=2016)
    load_regions(ctx)
    plan = _Plan(ctx)
    villages = Region.objects_unscoped.filter(code__startswith="5203", level=Level.VILLAGE).count()
    assert villages == 2093
    assert len(plan.committee_villages) == 1680  # the other 413 are listed as without one
    assert {kind: len(items) for kind, items in plan.items.items()} == {
        "new_orgs": 168, "ecommerce": 27, "social": 3200, "stations": 226}
    # each county's run draws the same as the city's: the plan does not depend on the prefix
    county_ctx = new_context(scale="city", seed=2016, year=2016, prefix=COUNTY)
    load_regions(county_ctx)
    assert _Plan(county_ctx).committee_villages == plan.committee_villages


@pytest.mark.django_db
def test_a_county_gets_its_share_as_a_sound_tree_and_a_rerun_adds_nothing():
    call_command("synth", "--scale", "city", "--prefix", COUNTY, "--seed", "2016", "--year", "2016",
                 stderr=io.StringIO(), stdout=io.StringIO())
    ctx = new_context(scale="city", seed=2016, year=2016, prefix=COUNTY)
    load_regions(ctx)
    plan = _Plan(ctx)
    villages = set(ctx.villages_by_county[COUNTY.ljust(12, "0")])
    orgs = PartyOrganisation.objects_unscoped.all()
    # a 村党组织 for every village, under its township's 党委, under the county's
    village_orgs = orgs.filter(category="village").select_related("parent__parent")
    assert Counter(o.region_id for o in village_orgs) == Counter(villages)
    for org in village_orgs:
        assert org.org_type in ("branch", "general_branch")
        assert org.parent.region_id == org.region_id[:9] + "000" and org.parent.org_type == "committee"
        assert org.parent.parent.region_id == COUNTY.ljust(12, "0")
    assert orgs.filter(parent__isnull=True).count() == 1
    new = Counter(orgs.filter(category__in=["industrial_park", "migrant_workers"]).values_list("category", flat=True))
    assert sum(new.values()) == sum(v.startswith(COUNTY) for v in plan.items["new_orgs"]) > 0
    ecommerce = orgs.filter(category="ecommerce")
    assert ecommerce.count() == sum(v.startswith(COUNTY) for v in plan.items["ecommerce"])
    assert all(o.product and o.org_type == "branch" for o in ecommerce)
    # secretaries and members are registered party members of the village
    assert not orgs.exclude(secretary__isnull=True).exclude(secretary__political_status__in=PARTY_STATUSES).exists()
    assert not Membership.objects_unscoped.exclude(person__political_status__in=PARTY_STATUSES).exists()
    assert village_orgs.filter(secretary__isnull=False).count() == len(villages)
    # committees exactly where the plan put them, with members and a year of duties
    committees = set(SupervisoryCommittee.objects_unscoped.values_list("village_id", flat=True))
    assert committees == {v for v in plan.committee_villages if v.startswith(COUNTY)}
    assert CommitteeDuty.objects_unscoped.count() == len(committees) * len(COMMITTEE_DUTIES)
    assert CommitteeMember.objects_unscoped.filter(post="chair").count() == len(committees)
    assert SocialOrganisation.objects_unscoped.count() == sum(v.startswith(COUNTY) for v in plan.items["social"])
    assert EcommerceStation.objects_unscoped.count() == sum(v.startswith(COUNTY) for v in plan.items["stations"])
    # services go to poor households of the provider's own village, in the year
    services = ServiceRecord.objects_unscoped.select_related("household", "station", "social_org")
    assert services.exists()
    for s in services:
        provider = s.station or s.social_org
        assert s.household.status == "未脱贫" and s.household.region_id == provider.region_id
        assert s.served_on.year == 2016
    before = {m: m.objects_unscoped.count() for m in (PartyOrganisation, Membership, SupervisoryCommittee,
                                                      SocialOrganisation, EcommerceStation, ServiceRecord)}
    generate_organisations(ctx)
    assert {m: m.objects_unscoped.count() for m in before} == before
    assert Household.objects_unscoped.exists()
