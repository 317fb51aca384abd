"""The person indicators the grading asks, on real records: the ledger, on-time 对账, visit coverage (responsibility),
spot-check findings (verification), the village's rectification (cadres over organization); None = no data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wuzaicun.core.indicators import person_indicator
from wuzaicun.organization.models.rectification import RectificationCase
from wuzaicun.responsibility.models import Assignment, AssignmentHousehold, LedgerLine, Reconciliation, Visit
from wuzaicun.verification.models import Finding, SpotCheckPick, SpotCheckPlan

from .test_grading_helpers import A1, A2, YEAR, cadre, village_secretary

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _compute(code: str, ids: list[int]) -> dict[int, Decimal | None]:
    provider = person_indicator(code)
    assert provider is not None
    return provider.compute(YEAR, ids)


def test_ledger_reconcile_and_visits(world):
    person = cadre(world, A1, "张书记")
    nobody = cadre(world, A2, "未列入", listed=False)
    entry = Assignment.objects_unscoped.get(person=person)
    fulfilled = LedgerLine.objects_unscoped.create(assignment=entry, year=YEAR, commitment="发展茶叶", status="fulfilled")
    behind = LedgerLine.objects_unscoped.create(assignment=entry, year=YEAR, commitment="修路", status="locked")
    LedgerLine.objects_unscoped.create(assignment=entry, year=YEAR, commitment="建站", status="locked")
    for line, quarter, day, on_track in ((behind, 1, dt.date(2016, 4, 10), True), (behind, 2, dt.date(2016, 7, 20), False),
                                         (fulfilled, 1, dt.date(2016, 4, 15), True)):
        Reconciliation.objects_unscoped.create(line=line, quarter=quarter, on_track=on_track, narrative="进展",
                                               submitted_at=_at(day))
    helped = world.households[A1][:2]
    helper = Assignment.objects_unscoped.create(year=YEAR, kind="helper", person=person, village=world.region(A1))
    for household in helped:
        AssignmentHousehold.objects_unscoped.create(assignment=helper, household=household)
    Visit.objects_unscoped.create(person=person, household=helped[0], visited_on=dt.date(2016, 5, 1), activity="走访")
    Visit.objects_unscoped.create(person=person, household=helped[1], visited_on=dt.date(2015, 5, 1), activity="去年")
    ids = [person.pk, nobody.pk]
    assert _compute("person_ledger_fulfilment", ids) == {person.pk: Decimal("66.67"), nobody.pk: None}
    assert _compute("person_reconcile_on_time", ids) == {person.pk: Decimal("66.67"), nobody.pk: None}
    assert _compute("person_visit_coverage", ids) == {person.pk: Decimal("50.00"), nobody.pk: None}
    sources = person_indicator("person_reconcile_on_time").sources(world.users["county_a"], YEAR, person.pk)
    assert [s.outcome for s in sources] == ["按时", "按时", "逾期"] and "截止2016-07-15" in sources[2].text
    visits = person_indicator("person_visit_coverage").sources(world.users["county_a"], YEAR, person.pk)
    assert sorted(s.outcome for s in visits) == ["2016-05-01已走访", "本年未走访"]
    ledger = person_indicator("person_ledger_fulfilment").sources(world.users["county_a"], YEAR, person.pk)
    assert len(ledger) == 3 and ledger[0].url.startswith("/responsibility/ledger/person/")
    # the score counts everything; the sources show only what the viewer may see
    for code in ("person_ledger_fulfilment", "person_reconcile_on_time", "person_visit_coverage"):
        assert person_indicator(code).sources(world.users["county_b"], YEAR, person.pk) == [], code


def test_spot_checks_count_only_closed_plans_and_unpicked_people_score_100(world):
    person, other = cadre(world, A1, "张书记"), cadre(world, A2, "李书记")
    plan = SpotCheckPlan.objects_unscoped.create(
        year=YEAR, quarter=2, region=world.region("520302000000"), rate=Decimal("0.1"), status="closed",
        seed_sealed=b"x", seed_commitment="0" * 64, population_hash="0" * 64, population_size=2, pick_count=1)
    entry = Assignment.objects_unscoped.get(person=person)
    pick = SpotCheckPick.objects_unscoped.create(plan=plan, assignment=entry, village_id=entry.village_id, stratum="驻村")
    Finding.objects_unscoped.create(pick=pick, visited_on=dt.date(2016, 6, 1), result="not_in_place", notes="未到位")
    assert _compute("person_spot_checks", [person.pk, other.pk]) == {person.pk: Decimal("0.00"),
                                                                     other.pk: Decimal(100)}
    source = person_indicator("person_spot_checks").sources(world.users["county_a"], YEAR, person.pk)[0]
    assert source.outcome == "不到位" and source.url == f"/verification/plans/{plan.pk}/"


def test_village_rectification_reads_the_village_of_the_latest_dispatch(world):
    person = cadre(world, A1, "张书记")
    secretary = village_secretary(world, A2, "周支书")
    RectificationCase.objects_unscoped.create(village=world.region(A1), year=YEAR, status="in_progress",
                                              deadline=dt.date(2099, 12, 31))
    values = _compute("village_rectification", [person.pk, secretary.pk])
    assert values == {person.pk: Decimal("50.00"), secretary.pk: Decimal(100)}
    assert person_indicator("village_rectification").sources(world.users["county_a"], YEAR, person.pk)[0].label == "整顿案例"
    assert person_indicator("village_rectification").sources(world.users["county_b"], YEAR, person.pk) == []


@pytest.mark.parametrize("code", ["person_ledger_fulfilment", "person_reconcile_on_time", "person_visit_coverage",
                                  "person_spot_checks", "village_rectification"])
def test_each_indicator_asks_the_same_queries_for_2_or_40_people(world, code):
    people = [cadre(world, A1 if i % 2 else A2, f"干部{i}") for i in range(40)]

    def queries(ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            _compute(code, ids)
        return len(ctx.captured_queries)

    assert queries([p.pk for p in people[:2]]) == queries([p.pk for p in people])
