"""Synthetic 选派: the city plan gives the seed's 4,606 dispatched and a group in each of the 902 poor, weak and
minority villages; a county run gets its share, covers its villages, never breaks 不脱钩; a rerun adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from wuzaicun.cadres.models import Dispatch, Placement, WorkingGroup
from wuzaicun.cadres.rules.dispatch import Candidate, handover_problem, successor_for
from wuzaicun.cadres.synth.dispatch import generate_dispatches, plan_for
from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import new_context, registered_steps
from wuzaicun.regions.models import VillageYear
from wuzaicun.regions.services import load_shipped_divisions
from wuzaicun.regions.synth import _cities, _poor_targets, allocate_city, load_regions
from wuzaicun.registry.models import Person
from wuzaicun.responsibility.coverage import coverage_report

COUNTY = "520302"
CODES = ("village_group_poor", "village_group_weak", "village_group_ethnic", "village_first_secretary")


def test_the_step_runs_after_people_and_organisations_and_before_the_lists() -> None:
    orders = {s.name: s.order for s in registered_steps()}
    assert orders["people"] < orders["organisations"] < orders["dispatches"] == 67 < orders["responsibility_lists"]


@pytest.mark.django_db
def test_the_city_plan_has_the_seeds_numbers() -> None:
    load_shipped_divisions(actor=None, prefix="5203")
    ctx = new_context(scale="city", seed=2016, year=2016)
    load_regions(ctx)
    plan = plan_for(ctx)
    [city] = _cities(ctx)
    facts = allocate_city(ctx, city, _poor_targets(ctx, [city])[city.code])
    assert (len(facts.poor), len(facts.weak), len(facts.minority)) == (871, 138, 231)
    assert plan.union == facts.poor | facts.weak | facts.minority and len(plan.union) == 902  # the seed's groups
    stationed = sum(1 + (3 if v in facts.poor else 1) for v in city.rural)  # as the people step stations them
    assert plan.quota == {city.code: 4606} and stationed - len(plan.dropped) == 4606
    not_rural = plan.union - set(city.rural)
    assert set(plan.borrowed.values()) == not_rural  # every weak 社区 gets a 第一书记 from its county
    assert not (set(plan.borrowed) | plan.dropped) & plan.union
    county_ctx = new_context(scale="city", seed=2016, year=2016, prefix=COUNTY)
    load_regions(county_ctx)
    county_plan = plan_for(county_ctx)
    assert (county_plan.dropped, county_plan.borrowed) == (plan.dropped, plan.borrowed)


@pytest.mark.django_db
def test_a_county_gets_its_share_covered_and_a_rerun_adds_nothing() -> None:
    call_command("synth", "--scale", "city", "--prefix", COUNTY, "--seed", "2016", "--year", "2016",
                 stderr=io.StringIO(), stdout=io.StringIO())
    ctx = new_context(scale="city", seed=2016, year=2016, prefix=COUNTY)
    load_regions(ctx)
    plan = plan_for(ctx)
    stationed = Person.objects_unscoped.filter(post__in=("第一书记", "驻村干部"), region__level=5).count()
    dropped = sum(v.startswith(COUNTY) for v in plan.dropped)
    assert Dispatch.objects_unscoped.count() == stationed - dropped > 0
    union = {v for v in plan.union if v.startswith(COUNTY)}
    assert set(WorkingGroup.objects_unscoped.values_list("village_id", flat=True)) == union
    assert not Dispatch.objects_unscoped.exclude(village__code__startswith=COUNTY).exists()
    grouped = Dispatch.objects_unscoped.filter(group__isnull=False)
    assert set(grouped.values_list("village_id", flat=True)) == union
    assert all(g.leader_id for g in WorkingGroup.objects_unscoped.all())
    report = coverage_report(OPERATOR, year=2016)
    assert {code: report.summary[code]["gaps"] for code in CODES} == dict.fromkeys(CODES, 0)
    # some 驻村干部 handed over during the year, each to a successor in post by the end date
    ended = list(Dispatch.objects_unscoped.filter(end__isnull=False).select_related("village"))
    assert ended and all(d.successor_id for d in ended)
    facts = dict(VillageYear.objects_unscoped.values_list("village_id", "exit_year"))
    for d in ended:
        others = [Candidate(o.pk, o.start, o.end) for o in Dispatch.objects_unscoped.filter(
            village=d.village, kind=d.kind).exclude(pk=d.pk)]
        successor = successor_for(start=d.start, end=d.end, candidates=others)
        assert successor is not None and successor.key == d.successor_id
        assert handover_problem(village_name=d.village.name, kind=d.kind, end=d.end, poor=True,
                                exit_year=facts.get(d.village_id), successor=successor) is None
    assert Placement.objects_unscoped.exists()
    before = (Dispatch.objects_unscoped.count(), WorkingGroup.objects_unscoped.count(),
              Placement.objects_unscoped.count())
    ctx.stationed.clear()
    generate_dispatches(ctx)
    assert (Dispatch.objects_unscoped.count(), WorkingGroup.objects_unscoped.count(),
            Placement.objects_unscoped.count()) == before
