"""Synthetic talents and 项目书记: the seed's figures as quotas, a sound county, overdue pairs, no second helping."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from wuzaicun.cadres.models import ProjectSecretary, SecretaryProject, Talent, TalentVillage, TalentVisit
from wuzaicun.cadres.selectors.talents import overdue_pairs
from wuzaicun.cadres.synth.talents import _capped_share, county_quotas, generate
from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import new_context
from wuzaicun.regions.services import load_shipped_divisions
from wuzaicun.regions.synth import load_regions
from wuzaicun.registry.synth import load_people

COUNTY = "520302"


@pytest.mark.parametrize(("total", "pools", "expected"), [
    (10, {"a": 5, "b": 5}, {"a": 5, "b": 5}),
    (10, {"a": 2, "b": 50}, {"a": 0, "b": 10}),    # in proportion to the pools
    (10, {"a": 3, "b": 4}, {"a": 3, "b": 4}),      # not enough anywhere: everything, no more
    (0, {"a": 3}, {"a": 0}),
])
def test_a_capped_share_never_exceeds_a_pool(total, pools, expected) -> None:
    assert _capped_share(total, pools) == expected


@pytest.mark.django_db
def test_the_city_quotas_are_the_seeds_figures_and_province_ten_times() -> None:
    load_shipped_divisions(actor=None, prefix="5203")
    ctx = new_context(scale="city", seed=2016, year=2016)
    load_regions(ctx)
    quotas = county_quotas(ctx)
    assert {kind: sum(q.values()) for kind, q in quotas.items()} == {
        "talents": 5378, "secretaries": 1433, "led": 918, "driven": 1240}
    assert len(quotas["talents"]) == 14 and all(n > 0 for n in quotas["talents"].values())
    load_shipped_divisions(actor=None, prefix="52")
    province = new_context(scale="province", seed=2016, year=2016)
    load_regions(province)
    quotas = county_quotas(province)
    assert {kind: sum(q.values()) for kind, q in quotas.items()} == {
        "talents": 53780, "secretaries": 14330, "led": 9180, "driven": 12400}


@pytest.mark.django_db
def test_a_county_gets_talents_visits_and_secretaries_and_a_rerun_adds_nothing() -> None:
    call_command("synth", "--scale", "city", "--prefix", COUNTY, "--seed", "2016", "--year", "2016",
                 stderr=io.StringIO(), stdout=io.StringIO())
    ctx = new_context(scale="city", seed=2016, year=2016, prefix=COUNTY)
    load_regions(ctx)
    quotas = county_quotas(ctx)
    county = COUNTY.ljust(12, "0")
    talents = Talent.objects_unscoped.all()
    assert talents.count() == quotas["talents"][county] and {t.region_id for t in talents} == {county}
    assert not TalentVillage.objects_unscoped.exclude(village__code__startswith=COUNTY).exists()
    # every talent serves their own village first, and sometimes one or two more of the same township
    for talent in talents.select_related("person"):
        served = list(TalentVillage.objects_unscoped.filter(talent=talent).values_list("village_id", flat=True))
        assert talent.person.region_id in served and 1 <= len(served) <= 3
        assert {v[:9] for v in served} == {talent.person.region_id[:9]}
    visits = TalentVisit.objects_unscoped.all()
    assert visits.exists() and not visits.exclude(date__year=2016).exists()
    assert not visits.exclude(village_id__in=TalentVillage.objects_unscoped.filter(
        talent_id__in=visits.values("talent_id")).values("village_id")).exists()
    pairs = TalentVillage.objects_unscoped.count()
    overdue = overdue_pairs(OPERATOR, year=2016, on=dt.date(2016, 12, 31)).count()
    assert 0.1 * pairs < overdue < 0.45 * pairs  # a realistic share of pairs lapsed or never visited
    secretaries = ProjectSecretary.objects_unscoped.select_related("region")
    assert secretaries.count() == quotas["secretaries"][county]
    assert all(s.region.level in (4, 5) for s in secretaries)
    projects = SecretaryProject.objects_unscoped.select_related("secretary")
    assert projects.filter(role="lead").count() == quotas["led"][county]
    assert projects.filter(role="drive").count() == quotas["driven"][county]
    for p in projects:
        assert p.village_id.startswith(p.secretary.region_id[:9] if p.secretary.region.level == 4 else p.secretary.region_id)
        assert p.amount is not None and p.amount > 0
    before = {m: m.objects_unscoped.count() for m in (Talent, TalentVillage, TalentVisit, ProjectSecretary,
                                                      SecretaryProject)}
    again = new_context(scale="city", seed=2016, year=2016, prefix=COUNTY)
    load_regions(again)
    load_people(again)
    generate(again)
    assert {m: m.objects_unscoped.count() for m in before} == before
