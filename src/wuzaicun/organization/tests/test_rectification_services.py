"""倒排整顿 writes: ranking, propose / adjust / confirm, a case from 整顿中 to 已转化, scope both ways, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, NotFound, PermissionDenied
from wuzaicun.core.indicators import indicator
from wuzaicun.organization.models.orgs import OrgCategory, OrgType, PartyOrganisation
from wuzaicun.organization.models.rectification import (
    CaseStatus,
    RankingPick,
    RankingRound,
    RankingWeight,
    RectificationCase,
    RoundStatus,
)
from wuzaicun.organization.rules.rectification import Weight, default_weights
from wuzaicun.organization.selectors.rectification import cases_for, compute_ranking, get_case_for_user
from wuzaicun.organization.services.rectification import (
    OutOfOrder,
    add_progress,
    adjust_pick,
    carry_over_open_cases,
    confirm_round,
    propose_round,
    review_case,
    set_democratic_score,
    set_weights,
    submit_case,
    update_case,
)
from wuzaicun.regions.models import Region, VillageYear

from .test_rectification_helpers import (
    A1,
    A2,
    B1,
    B2,
    CITY,
    COUNTY_A,
    COUNTY_B,
    PNG,
    YEAR,
    complete_case,
    confirmed_case,
    county_leader,
    scores,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _audits(object_type: str) -> list[AuditEntry]:
    return list(AuditEntry.objects_unscoped.filter(object_type=object_type).order_by("pk"))


def test_the_ranking_puts_the_lowest_composite_first_with_every_indicator_value(world):
    scores(world, {A1: "90", A2: "40", B1: "60", B2: "95"})
    ranking = compute_ranking(world.users["city"], year=YEAR, region=None, count=2)
    assert [r.code for r in ranking.rows] == [A2, B1, A1, B2]
    assert "democratic_score" in ranking.used and "previous_assessment" in ranking.used
    assert set(ranking.skipped) == {c for c in ("collective_income", "guarantees_met") if indicator(c) is None}
    assert ranking.rows[0].values["democratic_score"] == Decimal("40.00")
    assert ranking.rows[0].values["previous_assessment"] is None  # no 2015 assessment: left out
    assert ranking.as_json()["rows"][0]["proposed"] is True and ranking.as_json()["rows"][2]["proposed"] is False


def test_a_county_user_ranks_its_own_villages_only_and_the_other_county_is_out_of_reach(world):
    scores(world, {A1: "90", A2: "40", B1: "10", B2: "95"})
    ranking = compute_ranking(world.users["county_a"], year=YEAR, region=None, count=1)
    assert [r.code for r in ranking.rows] == [A2, A1]
    with pytest.raises(NotFound):
        propose_round(actor=world.users["county_a"], year=YEAR, region_code=COUNTY_B, count=1)
    b_ranking = compute_ranking(world.users["county_b"], year=YEAR, region=None, count=1)
    assert [r.code for r in b_ranking.rows] == [B1, B2]


def test_the_ranking_asks_the_same_number_of_queries_whatever_the_number_of_villages(world):
    scores(world, {A1: "90", A2: "40"})
    with CaptureQueriesContext(connection) as few:
        compute_ranking(world.users["city"], year=YEAR, region=None, count=1)
    township = world.region("520302001000")
    for n in range(3, 40):
        village = Region.objects_unscoped.create(code=f"520302001{n:03d}", name=f"新村{n}", level=5, parent=township)
        set_democratic_score(actor=world.users["sysadmin"], year=YEAR, village_code=village.code, score=Decimal(n))
    with CaptureQueriesContext(connection) as many:
        ranking = compute_ranking(world.users["city"], year=YEAR, region=None, count=1)
    assert len(ranking.rows) == 41
    assert len(many.captured_queries) == len(few.captured_queries)


def test_weights_change_the_ranking_and_are_audited(world):
    scores(world, {A1: "40", A2: "90"})
    set_weights(actor=world.users["city"], year=YEAR, weights=[
        Weight(w.code, w.weight, w.code != "democratic_score") for w in default_weights()])
    assert RankingWeight.objects_unscoped.filter(year=YEAR, code="democratic_score", enabled=False).exists()
    ranking = compute_ranking(world.users["city"], year=YEAR, region=COUNTY_A, count=1)
    assert "democratic_score" not in ranking.used
    assert [r.code for r in ranking.rows] == [A1, A2]  # equal scores: the tie-break still reads 民主评议
    assert _audits("ranking_weights")[-1].changes["democratic_score"] == [None, ["20", False]]
    with pytest.raises(DomainError, match="至少要启用"):
        set_weights(actor=world.users["city"], year=YEAR, weights=[Weight(w.code, w.weight, False)
                                                                    for w in default_weights()])
    with pytest.raises(PermissionDenied):
        set_weights(actor=world.users["township_a"], year=YEAR, weights=default_weights())


def test_democratic_scores_are_checked_and_scoped(world):
    with pytest.raises(DomainError, match="0–100"):
        set_democratic_score(actor=world.users["city"], year=YEAR, village_code=A1, score=Decimal("100.5"))
    with pytest.raises(NotFound):
        set_democratic_score(actor=world.users["county_a"], year=YEAR, village_code=B1, score=Decimal(50))
    with pytest.raises(DomainError, match="不是村级"):
        set_democratic_score(actor=world.users["county_a"], year=YEAR, village_code=COUNTY_A, score=Decimal(50))
    set_democratic_score(actor=world.users["county_a"], year=YEAR, village_code=A1, score=Decimal(50))
    set_democratic_score(actor=world.users["county_a"], year=YEAR, village_code=A1, score=Decimal(55))
    assert [a.changes["score"] for a in _audits("democratic_score")] == [[None, "50"], ["50.00", "55"]]


def test_propose_adjust_confirm_makes_one_case_per_selected_village(world):
    PartyOrganisation.objects_unscoped.create(name="甲村党支部", org_type=OrgType.values[0],
                                              category=OrgCategory.VILLAGE, region=world.region(A1))
    scores(world, {A1: "40", A2: "90", B1: "50", B2: "95"})
    round_ = propose_round(actor=world.users["city"], year=YEAR, region_code=CITY, count=2)
    picks = {p.village_id: p for p in RankingPick.objects_unscoped.filter(round=round_)}
    assert [picks[c].rank for c in (A1, B1, A2, B2)] == [1, 2, 3, 4]
    assert picks[A1].selected and picks[B1].selected and not picks[A2].selected
    assert picks[A1].values["democratic_score"] == "40.00"
    with pytest.raises(DomainError, match="理由"):
        adjust_pick(actor=world.users["city"], round_id=round_.pk, village_code=B1, selected=False, reason=" ")
    adjust_pick(actor=world.users["city"], round_id=round_.pk, village_code=B1, selected=False, reason="已整改到位")
    adjust_pick(actor=world.users["city"], round_id=round_.pk, village_code=A2, selected=True, reason="群众反映强烈")
    with pytest.raises(DomainError, match="已在整顿名单"):
        adjust_pick(actor=world.users["city"], round_id=round_.pk, village_code=A2, selected=True, reason="再次")
    assert [a.changes["reason"][1] for a in _audits("ranking_pick")] == ["已整改到位", "群众反映强烈"]
    assert confirm_round(actor=world.users["city"], round_id=round_.pk) == 2
    cases = {c.village_id: c for c in RectificationCase.objects_unscoped.filter(year=YEAR)}
    assert set(cases) == {A1, A2}
    assert cases[A1].organisation is not None and cases[A1].organisation.name == "甲村党支部"
    assert cases[A2].organisation is None and cases[A1].status == CaseStatus.IN_PROGRESS
    assert RankingRound.objects_unscoped.get(pk=round_.pk).status == RoundStatus.CONFIRMED
    with pytest.raises(OutOfOrder):
        adjust_pick(actor=world.users["city"], round_id=round_.pk, village_code=B2, selected=True, reason="晚了")
    with pytest.raises(OutOfOrder):
        propose_round(actor=world.users["city"], year=YEAR, region_code=CITY, count=2)
    with pytest.raises(OutOfOrder, match="覆盖"):  # a county round inside the confirmed city round
        propose_round(actor=world.users["county_a"], year=YEAR, region_code=COUNTY_A, count=1)


def test_proposing_is_for_ranking_administrators_of_a_county_or_wider(world):
    with pytest.raises(PermissionDenied):
        propose_round(actor=world.users["township_a"], year=YEAR, region_code=COUNTY_A, count=1)
    with pytest.raises(DomainError, match="县级或以上"):
        propose_round(actor=world.users["county_a"], year=YEAR, region_code="520302001000", count=1)
    with pytest.raises(DomainError, match="超过"):
        propose_round(actor=world.users["county_a"], year=YEAR, region_code=COUNTY_A, count=3)


def test_a_complete_case_goes_from_in_progress_to_transformed_with_both_sign_offs(world):
    case = complete_case(world, confirmed_case(world))
    submit_case(actor=world.users["reporter_a"], case_id=case.pk)
    with pytest.raises(OutOfOrder, match="乡镇验收通过"):
        review_case(actor=world.users["county_a"], case_id=case.pk, level="county", decision="approved")
    review_case(actor=world.users["township_a"], case_id=case.pk, level="township", decision="approved")
    with pytest.raises(OutOfOrder, match="只有待审核"):
        review_case(actor=world.users["township_a"], case_id=case.pk, level="township", decision="approved")
    with pytest.raises(PermissionDenied, match="县级或以上"):
        review_case(actor=world.users["township_a"], case_id=case.pk, level="county", decision="approved")
    review_case(actor=world.users["county_a"], case_id=case.pk, level="county", decision="approved",
                on=dt.date(YEAR, 11, 30))
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFORMED and case.transformed_on == dt.date(YEAR, 11, 30)
    assert case.township_by == world.users["township_a"] and case.county_by == world.users["county_a"]
    next_year = VillageYear.objects_unscoped.get(village_id=A1, year=YEAR + 1)
    assert next_year.is_weak_organisation is False and next_year.is_poor is True  # copied from 2016
    summaries = [a.summary for a in _audits("rectification_case")]
    assert any("乡镇验收" in s and "通过" in s for s in summaries) and any("县级验收" in s for s in summaries)
    assert AuditEntry.objects_unscoped.filter(object_type="village_year", region_code=A1).exists()
    with pytest.raises(OutOfOrder):
        add_progress(actor=world.users["reporter_a"], case_id=case.pk, reported_on=dt.date(YEAR, 12, 1), narrative="x")


def test_an_existing_next_year_row_keeps_its_facts_and_only_loses_the_flag(world):
    VillageYear.objects_unscoped.create(village=world.region(A1), year=YEAR + 1, is_poor=False, is_weak_organisation=True)
    case = complete_case(world, confirmed_case(world))
    submit_case(actor=world.users["reporter_a"], case_id=case.pk)
    review_case(actor=world.users["township_a"], case_id=case.pk, level="township", decision="approved")
    review_case(actor=world.users["county_a"], case_id=case.pk, level="county", decision="approved")
    row = VillageYear.objects_unscoped.get(village_id=A1, year=YEAR + 1)
    assert (row.is_weak_organisation, row.is_poor, row.version) == (False, False, 2)


def test_a_case_without_evidence_or_plan_cannot_be_submitted(world):
    case = confirmed_case(world)
    with pytest.raises(DomainError, match=r"整顿方案.*佐证材料"):
        submit_case(actor=world.users["reporter_a"], case_id=case.pk)
    update_case(actor=world.users["county_a"], case_id=case.pk, problems="p", plan="p", measures="m",
                leader_id=county_leader(world).pk, deadline=dt.date(YEAR, 12, 31))
    add_progress(actor=world.users["reporter_a"], case_id=case.pk, reported_on=dt.date(YEAR, 5, 1), narrative="无材料")
    with pytest.raises(DomainError, match="佐证材料"):
        submit_case(actor=world.users["reporter_a"], case_id=case.pk)
    with pytest.raises(DomainError, match="不是有效的图片"):
        add_progress(actor=world.users["reporter_a"], case_id=case.pk, reported_on=dt.date(YEAR, 5, 2),
                     narrative="假图片", files=[([b"MZ"], "a.png")])
    assert RectificationCase.objects_unscoped.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_the_leader_must_be_a_county_level_cadre_in_scope(world):
    case = confirmed_case(world)
    clerk = world.people[A1][0]
    with pytest.raises(DomainError, match="县处级"):
        update_case(actor=world.users["county_a"], case_id=case.pk, problems="", plan="", measures="",
                    leader_id=clerk.pk, deadline=None)
    other = county_leader(world, COUNTY_B)
    with pytest.raises(NotFound):
        update_case(actor=world.users["county_a"], case_id=case.pk, problems="", plan="", measures="",
                    leader_id=other.pk, deadline=None)
    with pytest.raises(DomainError, match="不能早于"):
        update_case(actor=world.users["county_a"], case_id=case.pk, problems="", plan="", measures="",
                    leader_id=None, deadline=dt.date(YEAR - 1, 12, 31))


def test_returned_cases_are_resubmitted_and_problem_needs_a_note(world):
    case = complete_case(world, confirmed_case(world))
    submit_case(actor=world.users["reporter_a"], case_id=case.pk)
    with pytest.raises(OutOfOrder, match="必须填写意见"):
        review_case(actor=world.users["township_a"], case_id=case.pk, level="township", decision="returned")
    review_case(actor=world.users["township_a"], case_id=case.pk, level="township", decision="returned",
                note="佐证材料不足")
    assert RectificationCase.objects_unscoped.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
    add_progress(actor=world.users["reporter_a"], case_id=case.pk, reported_on=dt.date(YEAR, 7, 1),
                 narrative="补充材料", files=[([PNG], "补充.png")])
    submit_case(actor=world.users["reporter_a"], case_id=case.pk)
    review_case(actor=world.users["township_a"], case_id=case.pk, level="township", decision="approved")
    review_case(actor=world.users["county_a"], case_id=case.pk, level="county", decision="returned", note="再完善")
    submit_case(actor=world.users["reporter_a"], case_id=case.pk)
    case.refresh_from_db()
    assert (case.status, case.township_state, case.county_state) == (CaseStatus.SUBMITTED, "pending", "")
    review_case(actor=world.users["township_a"], case_id=case.pk, level="township", decision="problem", note="未转化")
    with pytest.raises(OutOfOrder, match="只有被退回的材料可以重新提交"):
        submit_case(actor=world.users["reporter_a"], case_id=case.pk)


def test_the_same_person_cannot_sign_both_levels(world):
    case = complete_case(world, confirmed_case(world))
    submit_case(actor=world.users["reporter_a"], case_id=case.pk)
    review_case(actor=world.users["county_a"], case_id=case.pk, level="township", decision="approved")
    with pytest.raises(PermissionDenied, match="同一人"):
        review_case(actor=world.users["county_a"], case_id=case.pk, level="county", decision="approved")
    review_case(actor=world.users["city"], case_id=case.pk, level="county", decision="approved")


def test_cases_are_out_of_reach_across_the_county_boundary_both_ways(world):
    a_case = confirmed_case(world)
    b_case = confirmed_case(world, region=COUNTY_B, village=B1)
    assert list(cases_for(world.users["county_a"], year=YEAR)) == [a_case]
    assert list(cases_for(world.users["county_b"], year=YEAR)) == [b_case]
    with pytest.raises(NotFound):
        get_case_for_user(world.users["county_b"], a_case.pk)
    with pytest.raises(NotFound):
        get_case_for_user(world.users["county_a"], b_case.pk)
    with pytest.raises(NotFound):
        update_case(actor=world.users["county_b"], case_id=a_case.pk, problems="x", plan="", measures="",
                    leader_id=None, deadline=None)
    with pytest.raises(NotFound):
        review_case(actor=world.users["township_a"], case_id=b_case.pk, level="township", decision="approved")
    with pytest.raises(NotFound):
        submit_case(actor=world.users["reporter_a"], case_id=b_case.pk)


def test_carry_over_keeps_open_cases_weak_next_year(world):
    confirmed_case(world)
    assert carry_over_open_cases(actor=world.users["city"], year=YEAR) == 1
    assert VillageYear.objects_unscoped.get(village_id=A1, year=YEAR + 1).is_weak_organisation is True
