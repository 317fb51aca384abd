"""The person indicator `training_attendance`: 100 or 0 for every person asked (never missing), one query,
sessions of any region count, and the sources name the sessions attended with a link."""

from __future__ import annotations

from decimal import Decimal

from wuzaicun.core.indicators import person_indicator

from .test_training_helpers import build_training


def test_the_indicator_scores_attendance_in_the_year(world, django_assert_num_queries) -> None:
    t = build_training(world)
    provider = person_indicator("training_attendance")
    assert provider is not None and provider.owner == "cadres"
    ids = [p.pk for p in t.people.values()]
    with django_assert_num_queries(1):
        scores = provider.compute(2016, ids)
    assert set(scores) == set(ids) and None not in scores.values()
    assert scores[t.people["leader_a"].pk] == Decimal(100) and scores[t.people["cadre_b"].pk] == Decimal(100)
    assert scores[t.people["cadre_a"].pk] == Decimal(0)
    assert set(provider.compute(2017, ids).values()) == {Decimal(0)}


def test_the_sources_are_the_sessions_attended(world) -> None:
    t = build_training(world)
    provider = person_indicator("training_attendance")
    assert provider is not None
    [source] = provider.sources(world.users["city"], 2016, t.people["leader_a"].pk)
    assert source.label == "培训班"
    assert source.text == "遵义市2016年脱贫攻坚专题培训班（2016-03-01 至 2016-03-03，市级）"
    assert source.url == f"/cadres/trainings/{t.sessions['city'].pk}/"
    assert provider.sources(world.users["city"], 2016, t.people["cadre_a"].pk) == []
    # a county administrator does not see the city's session behind the score (the score still counts it)
    assert provider.sources(world.users["county_a"], 2016, t.people["leader_a"].pk) == []
