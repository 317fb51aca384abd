"""Synthetic 干部培训 at city scale: the seed's 10 city sessions with 1,200 person-times and 95 county sessions with
11,000, attendees from the sessions' target groups, city sessions held by the city and county ones by counties;
a rerun adds nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count
from django.db.models.functions import Substr

from wuzaicun.cadres.models import Attendance, TrainingSession
from wuzaicun.cadres.synth.training import fill, generate_training, share
from wuzaicun.core.synth import new_context
from wuzaicun.regions.services import load_shipped_divisions
from wuzaicun.regions.synth import generate_village_years, load_regions
from wuzaicun.registry.synth import generate_people, generate_units


def test_share_and_fill_are_exact() -> None:
    assert share(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert fill(10, {"a": 1, "b": 1}, {"a": 2, "b": 100}) == {"a": 2, "b": 8}
    assert sum(fill(11000, {str(i): i % 7 + 8 for i in range(95)}, {str(i): 200 for i in range(95)}).values()) == 11000


@pytest.mark.django_db
def test_city_synth_has_the_seeds_figures() -> None:
    load_shipped_divisions(actor=None, prefix="5203")
    ctx = new_context(scale="city", seed=2016, year=2016)
    for step in (load_regions, generate_village_years, generate_units, generate_people, generate_training):
        step(ctx)
    levels = dict(TrainingSession.objects_unscoped.values("level").annotate(n=Count("*")).values_list("level", "n"))
    assert levels == {"city": 10, "county": 95}
    times = dict(Attendance.objects_unscoped.values("session__level").annotate(n=Count("*"))
                 .values_list("session__level", "n"))
    assert times == {"city": 1200, "county": 11000}
    assert set(TrainingSession.objects_unscoped.filter(level="city").values_list("region_id", flat=True)) == {
        "520300000000"}
    counties = Counter(TrainingSession.objects_unscoped.filter(level="county").values_list("region_id", flat=True))
    assert len(counties) == 14 and all(code.endswith("000000") for code in counties)
    # a county session's attendees live in that county
    assert not Attendance.objects_unscoped.filter(session__level="county").exclude(
        person__region__code__startswith=Substr("session__region_id", 1, 6)).exists()

    again = new_context(scale="city", seed=2016, year=2016)
    load_regions(again)
    generate_training(again)  # a rerun adds nothing
    assert TrainingSession.objects_unscoped.count() == 105 and Attendance.objects_unscoped.count() == 12200

