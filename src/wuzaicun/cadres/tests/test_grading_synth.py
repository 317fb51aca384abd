"""The synth step `cadre_grading`: entered scores for every assessed cadre, grades confirmed, the scale's outcomes
(here a small world with the counts scaled down), and a rerun that adds nothing."""

from __future__ import annotations

import pytest
from django.db.models import Count

from wuzaicun.cadres.models import CadreGrade, CadreOutcome, CadreScore
from wuzaicun.cadres.synth import grading as synth
from wuzaicun.core.synth import new_context, registered_steps

from . import test_grading_helpers as helpers
from .test_grading_helpers import A1, A2, B1, YEAR, cadre, village_secretary

stand_ins = helpers.stand_ins
pytestmark = pytest.mark.django_db


def test_the_step_runs_after_rectification():
    orders = {s.name: s.order for s in registered_steps()}
    assert orders["cadre_grading"] == 97 and orders["rectification"] < 97


def test_grades_scores_and_outcomes_for_the_scale(world, stand_ins, monkeypatch):
    monkeypatch.setitem(synth.OUTCOMES, "city", {"promotion": 2, "treatment": 1, "accountability": 1})
    monkeypatch.setattr(synth, "WEAK", 0.2)
    for i in range(21):  # 21 第一书记: 3 places for 优
        cadre(world, (A1, A2, B1)[i % 3], f"书记{i}")
    for village in (A1, A2, B1):
        village_secretary(world, village, f"{village}支书")
    ctx = new_context(scale="city", seed=2016, year=YEAR, prefix="5203")
    synth.generate_grading(ctx)
    assert CadreScore.objects_unscoped.count() == 2 * 24
    assert CadreGrade.objects_unscoped.count() == 24
    assert set(CadreGrade.objects_unscoped.exclude(grade="").values_list("status", flat=True)) == {"confirmed"}
    outcomes = dict(CadreOutcome.objects_unscoped.values_list("kind").annotate(n=Count("id")))
    assert outcomes == {"promotion": 2, "treatment": 1, "accountability": 1}
    assert set(CadreOutcome.objects_unscoped.filter(kind="accountability").values_list("grade__grade", flat=True)) == {"差"}
    assert set(CadreOutcome.objects_unscoped.filter(kind="treatment").values_list("grade__role", flat=True)) == {
        "village_secretary"}
    synth.generate_grading(ctx)
    assert CadreOutcome.objects_unscoped.count() == 4 and CadreScore.objects_unscoped.count() == 48


def test_a_county_run_grades_its_cadres_without_outcomes(world, stand_ins):
    cadre(world, A1, "甲")
    cadre(world, B1, "乙")
    synth.generate_grading(new_context(scale="city", seed=2016, year=YEAR, prefix="520302"))
    assert list(CadreGrade.objects_unscoped.values_list("person__name", flat=True)) == ["甲"]
    assert CadreOutcome.objects_unscoped.count() == 0
