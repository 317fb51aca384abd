"""六定一化考核 services: who is assessed, grading with constant queries, missing data, quotas, ties, confirm and lock,
entered scores, configuration by a city administrator, outcomes approved one level up; scope both ways."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuzaicun.accounts.models import User
from wuzaicun.audit.models import AuditEntry
from wuzaicun.cadres.models import CadreGrade, CadreIndicator, CadreOutcome, CadreScore, GradePolicy
from wuzaicun.cadres.rules.grading import Policy
from wuzaicun.cadres.selectors.grading import assessed
from wuzaicun.cadres.services.grading import (
    confirm_grades,
    decide_outcome,
    enter_score,
    grade_cadres,
    lock_grades,
    propose_outcome,
    set_policy,
    set_weights,
    unconfirm_grades,
)
from wuzaicun.core.errors import DomainError, NotFound, PermissionDenied
from wuzaicun.core.operator import OPERATOR
from wuzaicun.testing.world import World

from . import test_grading_helpers as helpers
from .test_grading_helpers import (
    A1,
    A2,
    B1,
    COUNTY_A,
    FS,
    RES,
    VS,
    YEAR,
    cadre,
    enter,
    entered_all,
    village_secretary,
)

stand_ins = helpers.stand_ins
pytestmark = pytest.mark.django_db


def _grades(**filters):
    return {g.person.name: g for g in CadreGrade.objects_unscoped.filter(year=YEAR, **filters).select_related("person")}


def test_who_is_assessed(world: World):
    fs = cadre(world, A1, "张书记")
    moved = cadre(world, A2, "李书记", start=dt.date(2014, 1, 1), end=dt.date(2016, 5, 1))
    cadre(world, A1, "李书记2", start=dt.date(2017, 1, 1))  # starts after the year
    from wuzaicun.cadres.models import Dispatch
    Dispatch.objects_unscoped.create(person=moved, kind=FS, unit=fs.dispatches.first().unit,
                                     village=world.region(A1), start=dt.date(2016, 5, 2))
    cadre(world, A1, "王干部", kind=RES)
    cadre(world, B1, "赵书记")
    secretary = village_secretary(world, A1, "周支书")
    county_a = world.users["county_a"]
    assert assessed(county_a, year=YEAR, role=FS, region=None) == {fs.pk: A1, moved.pk: A1}  # the latest dispatch wins
    assert set(assessed(county_a, year=YEAR, role=RES, region=None).values()) == {A1}
    assert assessed(county_a, year=YEAR, role=VS, region=None) == {secretary.pk: A1}
    assert set(assessed(world.users["county_b"], year=YEAR, role=FS, region=None).values()) == {B1}


def test_grading_composes_ranks_and_marks_missing_data(world, stand_ins):
    good, fair, gap = cadre(world, A1, "甲"), cadre(world, A2, "乙"), cadre(world, A1, "丙")
    entered_all({good: 95, fair: 70})
    enter(gap, FS, "democratic", 90)  # no 群众满意度: missing
    stand_ins.set("person_ledger_fulfilment", fair, 50)
    run = grade_cadres(actor=world.users["county_a"], year=YEAR, role=FS)
    rows = _grades()
    assert rows["甲"].total == Decimal("99.00") and rows["甲"].rank == 1
    # 乙: ledger 50 × 20 + 70 × 20 + 100 × 60 → (1000 + 1400 + 6000) / 100
    assert rows["乙"].total == Decimal("84.00") and rows["乙"].grade == "良"
    assert rows["丙"].total is None and rows["丙"].grade == "" and rows["丙"].missing == ["satisfaction"]
    assert rows["丙"].rank is None and run.missing == 1
    # 2 graded → 15 % gives no place for 优: 甲 drops to 良
    assert rows["甲"].grade == "良" and "超出优等次限额" in rows["甲"].basis["how"][-1]
    assert AuditEntry.objects_unscoped.filter(object_type="cadre_grades").count() == 1


def test_grading_asks_a_constant_number_of_queries(world, stand_ins):
    def queries(n: int) -> int:
        CadreGrade.objects_unscoped.all().delete()
        for i in range(n):
            entered_all({cadre(world, A1 if i % 2 else A2, f"干部{n}-{i}"): 80 + i % 10})
        with CaptureQueriesContext(connection) as ctx:
            grade_cadres(actor=world.users["county_a"], year=YEAR, role=FS)
        return len(ctx.captured_queries)

    assert queries(2) == queries(30)
    assert all(calls <= 2 for calls in stand_ins.calls.values())


def test_quotas_and_the_tie_rule_within_the_region(world, stand_ins):
    people = [cadre(world, A1, f"干部{i}") for i in range(20)]
    for i, person in enumerate(people):
        entered_all({person: 100 if i < 2 else (96 if i < 4 else 70)})
    grade_cadres(actor=world.users["county_a"], year=YEAR, role=FS)
    grades = [CadreGrade.objects_unscoped.get(person=p).grade for p in people]
    # 20 graded, 3 places: 100, 100 keep 优; the two at 99.2 tie across the boundary and both drop to 良
    assert grades[:4] == ["优", "优", "良", "良"] and set(grades[4:]) == {"良"}
    tied = CadreGrade.objects_unscoped.get(person=people[2])
    assert "同分者一并降等" in tied.basis["how"][-1]


def test_confirm_then_regrade_keeps_confirmed_rows_and_lock_stops_everything(world, stand_ins):
    a, b = cadre(world, A1, "甲"), cadre(world, A2, "乙")
    entered_all({a: 90, b: 60})
    county = world.users["county_a"]
    with pytest.raises(DomainError, match="没有待确认的等次"):
        confirm_grades(actor=county, year=YEAR, role=FS)
    with pytest.raises(DomainError, match="没有已确认的等次"):
        lock_grades(actor=county, year=YEAR, role=FS)
    grade_cadres(actor=county, year=YEAR, role=FS)
    assert confirm_grades(actor=county, year=YEAR, role=FS) == 2
    before = {g.pk: (g.total, g.grade, g.computed_at) for g in CadreGrade.objects_unscoped.all()}
    enter(a, FS, "democratic", 10)
    run = grade_cadres(actor=county, year=YEAR, role=FS)
    assert run.kept == 2 and run.graded == 0
    assert {g.pk: (g.total, g.grade, g.computed_at) for g in CadreGrade.objects_unscoped.all()} == before
    assert unconfirm_grades(actor=county, year=YEAR, role=FS) == 2
    confirm_grades(actor=county, year=YEAR, role=FS)
    with pytest.raises(PermissionDenied):
        lock_grades(actor=world.users["township_a"], year=YEAR, role=FS)
    assert lock_grades(actor=county, year=YEAR, role=FS) == 2
    for step in (grade_cadres, confirm_grades, unconfirm_grades):
        with pytest.raises(DomainError, match="已锁定") as caught:
            step(actor=county, year=YEAR, role=FS)
        assert caught.value.status == 409
    with pytest.raises(DomainError, match="已锁定"):
        enter_score(actor=county, year=YEAR, role=FS, person_id=a.pk, code="democratic", score=Decimal(50))
    kinds = list(AuditEntry.objects_unscoped.filter(object_type="cadre_grades").values_list("summary", flat=True))
    assert any("确认" in k for k in kinds) and any("锁定" in k for k in kinds)


def test_locking_needs_every_graded_draft_confirmed(world, stand_ins):
    a = cadre(world, A1, "甲")
    entered_all({a: 90})
    county = world.users["county_a"]
    grade_cadres(actor=county, year=YEAR, role=FS)
    with pytest.raises(DomainError, match="未确认"):
        lock_grades(actor=county, year=YEAR, role=FS)


def test_grading_stays_in_scope_both_ways(world, stand_ins):
    a, b = cadre(world, A1, "甲"), cadre(world, B1, "乙")
    entered_all({a: 90, b: 90})
    grade_cadres(actor=world.users["county_a"], year=YEAR, role=FS)
    assert set(_grades()) == {"甲"}
    grade_cadres(actor=world.users["county_b"], year=YEAR, role=FS)
    assert set(_grades()) == {"甲", "乙"}
    with pytest.raises(NotFound):
        grade_cadres(actor=world.users["county_a"], year=YEAR, role=FS, region=B1[:6] + "000000")
    confirm_grades(actor=world.users["county_b"], year=YEAR, role=FS)
    assert _grades()["甲"].status == "draft" and _grades()["乙"].status == "confirmed"


def test_entered_scores_only_for_entered_indicators_and_assessed_cadres(world):
    a = cadre(world, A1, "甲")
    other = cadre(world, B1, "乙")
    stranger = village_secretary(world, A2, "丙")
    county = world.users["county_a"]
    saved = enter_score(actor=county, year=YEAR, role=FS, person_id=a.pk, code="democratic", score=Decimal("88.5"))
    assert saved.score == Decimal("88.5") and AuditEntry.objects_unscoped.filter(object_type="cadre_score").count() == 1
    enter_score(actor=county, year=YEAR, role=FS, person_id=a.pk, code="democratic", score=Decimal(90))
    assert CadreScore.objects_unscoped.get().score == 90
    with pytest.raises(DomainError, match="由系统根据数据计算"):
        enter_score(actor=county, year=YEAR, role=FS, person_id=a.pk, code="ledger", score=Decimal(90))
    with pytest.raises(NotFound, match="不是您管辖范围内2016年度考核的第一书记"):
        enter_score(actor=county, year=YEAR, role=FS, person_id=stranger.pk, code="democratic", score=Decimal(90))
    with pytest.raises(NotFound, match="不是您管辖范围内"):
        enter_score(actor=county, year=YEAR, role=FS, person_id=other.pk, code="democratic", score=Decimal(90))
    with pytest.raises(DomainError, match="0–100"):
        enter_score(actor=county, year=YEAR, role=FS, person_id=a.pk, code="democratic", score=Decimal(101))
    with pytest.raises(PermissionDenied):
        enter_score(actor=world.users["inspector_a"], year=YEAR, role=FS, person_id=a.pk, code="democratic",
                    score=Decimal(90))


def test_weights_and_policy_are_set_by_a_city_administrator_and_audited(world):
    city, county = world.users["city"], world.users["county_a"]
    from wuzaicun.cadres.services.grading import ensure_indicator_set
    weights = {r.code: r.weight for r in ensure_indicator_set(year=YEAR, role=FS)}
    with pytest.raises(PermissionDenied):
        set_weights(actor=county, year=YEAR, role=FS, weights=weights)
    weights["ledger"] = Decimal(25)
    with pytest.raises(DomainError, match="各项权重之和须为 100，当前为 105"):
        set_weights(actor=city, year=YEAR, role=FS, weights=weights)
    weights["visits"] = Decimal(10)
    set_weights(actor=city, year=YEAR, role=FS, weights=weights)
    assert CadreIndicator.objects_unscoped.get(year=YEAR, role=FS, code="ledger").weight == 25
    entry = AuditEntry.objects_unscoped.get(object_type="cadre_indicators")
    assert entry.changes["责任台账兑现率"] == ["20.00", "25"]
    with pytest.raises(DomainError, match="优秀线 > 良好线 > 合格线"):
        set_policy(actor=city, year=YEAR, role=FS, policy=Policy(excellent=Decimal(70)))
    set_policy(actor=city, year=YEAR, role=FS, policy=Policy(excellent_quota=Decimal(20), good_quota=Decimal(40)))
    assert GradePolicy.objects_unscoped.get(year=YEAR, role=FS).good_quota == 40
    assert AuditEntry.objects_unscoped.get(object_type="grade_policy").changes["良好比例上限（%）"] == [None, "40.00"]


def _confirmed(world, grade_total=95, democratic=95):
    person = cadre(world, A1, "甲")
    entered_all({person: democratic})
    grade_cadres(actor=OPERATOR, year=YEAR, role=FS, region=COUNTY_A)
    CadreGrade.objects_unscoped.filter(person=person).update(grade="优")
    confirm_grades(actor=world.users["county_a"], year=YEAR, role=FS)
    return CadreGrade.objects_unscoped.get(person=person)


def test_outcomes_need_a_confirmed_grade_that_fits_and_approval_one_level_up(world, stand_ins):
    township, county, city = world.users["township_a"], world.users["county_a"], world.users["city"]
    person = cadre(world, A1, "甲")
    entered_all({person: 95})
    grade_cadres(actor=township, year=YEAR, role=FS)
    grade = CadreGrade.objects_unscoped.get(person=person)
    with pytest.raises(DomainError, match="尚未确认"):
        propose_outcome(actor=township, grade_id=grade.pk, kind="promotion", reason="表现突出")
    confirm_grades(actor=township, year=YEAR, role=FS)
    grade.refresh_from_db()
    assert grade.grade == "良"  # one graded: no place for 优
    with pytest.raises(DomainError, match="限考核等次为差"):
        propose_outcome(actor=township, grade_id=grade.pk, kind="accountability", reason="不作为")
    with pytest.raises(DomainError, match="须填写理由"):
        propose_outcome(actor=township, grade_id=grade.pk, kind="promotion", reason=" ")
    outcome = propose_outcome(actor=township, grade_id=grade.pk, kind="promotion", reason="带领群众发展产业成效突出")
    with pytest.raises(DomainError, match="已提出"):
        propose_outcome(actor=township, grade_id=grade.pk, kind="promotion", reason="再次")
    with pytest.raises(PermissionDenied):  # a township admin has no APPROVE_OUTCOMES
        decide_outcome(actor=township, outcome_id=outcome.pk, decision="approved")
    with pytest.raises(NotFound):
        decide_outcome(actor=world.users["county_b"], outcome_id=outcome.pk, decision="approved")
    with pytest.raises(DomainError, match="必须填写意见"):
        decide_outcome(actor=county, outcome_id=outcome.pk, decision="returned")
    decide_outcome(actor=county, outcome_id=outcome.pk, decision="returned", note="请补充事迹材料")
    outcome = propose_outcome(actor=township, grade_id=grade.pk, kind="promotion", reason="补充了事迹材料")
    assert outcome.state == "pending"
    done = decide_outcome(actor=city, outcome_id=outcome.pk, decision="approved")
    assert done.state == "approved" and done.decided_by == city
    with pytest.raises(DomainError) as caught:
        decide_outcome(actor=city, outcome_id=outcome.pk, decision="approved")
    assert caught.value.status == 409
    assert AuditEntry.objects_unscoped.filter(object_type="cadre_outcome").count() == 4


def test_a_county_proposal_is_not_approved_by_another_county_admin(world, stand_ins):
    county = world.users["county_a"]
    person = cadre(world, A1, "甲")
    entered_all({person: 95})
    grade_cadres(actor=county, year=YEAR, role=FS)
    confirm_grades(actor=county, year=YEAR, role=FS)
    grade = CadreGrade.objects_unscoped.get(person=person)
    outcome = propose_outcome(actor=county, grade_id=grade.pk, kind="treatment", reason="成效突出")
    peer = User.objects.create(username="county_a2", role="county_admin", scope=world.region(COUNTY_A))
    with pytest.raises(PermissionDenied, match="上一级"):
        decide_outcome(actor=peer, outcome_id=outcome.pk, decision="approved")
    assert CadreOutcome.objects_unscoped.get().state == "pending"
