"""The ledger's life: every transition has an allowed and a refused case; closed lines never change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, NotFound, OutOfOrder, PermissionDenied
from wuzaicun.responsibility.models import Evidence, LedgerLine, Reconciliation
from wuzaicun.responsibility.services import (
    add_line,
    close_line,
    decide_reopen,
    lock_line,
    record_visit,
    request_reopen,
    review_reconciliation,
    submit_reconciliation,
    update_line,
)
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village

JUNE = dt.date(YEAR, 6, 1)
NEXT_JANUARY = dt.date(YEAR + 1, 1, 15)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def line(world, year_open):
    made = cover_village(world, VILLAGE)
    return add_line(actor=world.users["township_a"], assignment_id=made["stationed"].pk,
                    commitment="发展茶叶产业", target_value=Decimal("50"), target_unit="亩")


def _locked(world, line):
    return lock_line(actor=world.users["township_a"], line_id=line.pk)


def test_a_draft_line_changes_and_a_locked_one_does_not(world, line):
    township = world.users["township_a"]
    changed = update_line(actor=township, line_id=line.pk, expected_version=1, commitment="发展茶叶产业",
                          target_value=Decimal("60"), target_unit="亩")
    assert changed.target_value == Decimal("60")
    _locked(world, line)
    with pytest.raises(OutOfOrder, match="重审"):
        update_line(actor=township, line_id=line.pk, expected_version=3, commitment="x", target_value=None,
                    target_unit="")
    assert LedgerLine.objects_unscoped.get(pk=line.pk).target_value == Decimal("60")


def test_locking_twice_or_out_of_scope_is_refused(world, line):
    _locked(world, line)
    with pytest.raises(OutOfOrder, match="已定账"):
        lock_line(actor=world.users["township_a"], line_id=line.pk)
    with pytest.raises(NotFound):
        lock_line(actor=world.users["county_b"], line_id=line.pk)


def test_reconciliation_needs_a_locked_line_and_a_started_quarter(world, line):
    reporter = world.users["reporter_a"]
    with pytest.raises(OutOfOrder, match="尚未定账"):
        submit_reconciliation(actor=reporter, line_id=line.pk, quarter=1, narrative="进展", today=JUNE)
    _locked(world, line)
    with pytest.raises(OutOfOrder, match="尚未开始"):
        submit_reconciliation(actor=reporter, line_id=line.pk, quarter=3, narrative="进展", today=JUNE)
    done = submit_reconciliation(actor=reporter, line_id=line.pk, quarter=2, narrative="已种植30亩",
                                 progress_value=Decimal("30"), files=[([PNG], "现场.png")], today=JUNE)
    assert done.state == "pending" and Evidence.objects_unscoped.filter(reconciliation=done).count() == 1
    with pytest.raises(OutOfOrder, match="只有被退回的材料可以重新提交"):
        submit_reconciliation(actor=reporter, line_id=line.pk, quarter=2, narrative="再交", today=JUNE)


def test_evidence_must_be_a_real_image_or_pdf(world, line):
    _locked(world, line)
    with pytest.raises(DomainError, match="扩展名与内容不符"):
        submit_reconciliation(actor=world.users["reporter_a"], line_id=line.pk, quarter=1, narrative="x",
                              files=[([b"MZ not an image"], "photo.png")], today=JUNE)
    with pytest.raises(DomainError, match="只接受"):
        submit_reconciliation(actor=world.users["reporter_a"], line_id=line.pk, quarter=1, narrative="x",
                              files=[([b"x"], "run.exe")], today=JUNE)
    assert not Reconciliation.objects_unscoped.exists()


def test_review_passes_needs_a_note_for_problems_and_a_returned_one_can_be_sent_again(world, line):
    _locked(world, line)
    reporter, township = world.users["reporter_a"], world.users["township_a"]
    entry = submit_reconciliation(actor=reporter, line_id=line.pk, quarter=1, narrative="进展", today=JUNE)
    with pytest.raises(OutOfOrder, match="必须填写意见"):
        review_reconciliation(actor=township, reconciliation_id=entry.pk, decision="returned", note="")
    with pytest.raises(PermissionDenied):
        review_reconciliation(actor=reporter, reconciliation_id=entry.pk, decision="approved")
    returned = review_reconciliation(actor=township, reconciliation_id=entry.pk, decision="returned",
                                     note="缺少现场照片")
    assert returned.state == "returned" and returned.review_note == "缺少现场照片"
    with pytest.raises(OutOfOrder, match="只有待审核"):
        review_reconciliation(actor=township, reconciliation_id=entry.pk, decision="approved")
    again = submit_reconciliation(actor=reporter, line_id=line.pk, quarter=1, narrative="补充照片",
                                  files=[([PNG], "补充.png")], today=JUNE)
    assert again.pk == entry.pk and again.state == "pending" and again.review_note == ""
    assert review_reconciliation(actor=township, reconciliation_id=entry.pk, decision="approved").state == "approved"


def test_closing_waits_for_next_year_and_an_unfulfilled_line_carries_over(world, line):
    township = world.users["township_a"]
    with pytest.raises(OutOfOrder, match="只有已定账"):
        close_line(actor=township, line_id=line.pk, fulfilled=True, today=NEXT_JANUARY)
    _locked(world, line)
    with pytest.raises(OutOfOrder, match="第一季度销账"):
        close_line(actor=township, line_id=line.pk, fulfilled=False, note="x", today=JUNE)
    with pytest.raises(DomainError, match="须写明原因"):
        close_line(actor=township, line_id=line.pk, fulfilled=False, today=NEXT_JANUARY)
    closed = close_line(actor=township, line_id=line.pk, fulfilled=False, note="只完成40亩", today=NEXT_JANUARY)
    assert closed.status == "unfulfilled" and closed.accountability
    carried = LedgerLine.objects_unscoped.get(carried_from=closed)
    assert carried.year == YEAR + 1 and carried.status == "draft" and carried.commitment == closed.commitment
    # each line keeps its entry's village (D50), the carried one too
    assert line.village_id == carried.village_id == line.assignment.village_id
    assert AuditEntry.objects_unscoped.filter(object_type="ledger_line", object_id=str(carried.pk)).exists()


def _approved_q4(world, line):
    entry = submit_reconciliation(actor=world.users["reporter_a"], line_id=line.pk, quarter=4, narrative="全部完成",
                                  today=NEXT_JANUARY)
    review_reconciliation(actor=world.users["township_a"], reconciliation_id=entry.pk, decision="approved")


def test_a_line_closes_as_fulfilled_only_after_an_approved_fourth_quarter(world, line):
    township = world.users["township_a"]
    _locked(world, line)
    with pytest.raises(OutOfOrder, match="第四季度对账审核通过后"):
        close_line(actor=township, line_id=line.pk, fulfilled=True, today=NEXT_JANUARY)
    submit_reconciliation(actor=world.users["reporter_a"], line_id=line.pk, quarter=4, narrative="完成",
                          today=NEXT_JANUARY)
    with pytest.raises(OutOfOrder, match="待审核的对账"):
        close_line(actor=township, line_id=line.pk, fulfilled=False, note="x", today=NEXT_JANUARY)


def test_closed_lines_never_change(world, line):
    township = world.users["township_a"]
    _locked(world, line)
    _approved_q4(world, line)
    close_line(actor=township, line_id=line.pk, fulfilled=True, today=NEXT_JANUARY)
    for attempt in (
        lambda: lock_line(actor=township, line_id=line.pk),
        lambda: close_line(actor=township, line_id=line.pk, fulfilled=True, today=NEXT_JANUARY),
        lambda: submit_reconciliation(actor=township, line_id=line.pk, quarter=4, narrative="x", today=NEXT_JANUARY),
        lambda: request_reopen(actor=township, line_id=line.pk, reason="想改"),
        lambda: update_line(actor=township, line_id=line.pk, expected_version=99, commitment="x",
                            target_value=None, target_unit=""),
    ):
        with pytest.raises(OutOfOrder, match="已销账"):
            attempt()
    assert LedgerLine.objects_unscoped.get(pk=line.pk).status == "fulfilled"


def test_reopen_needs_a_reason_and_approval_one_level_up(world, line):
    township, county = world.users["township_a"], world.users["county_a"]
    with pytest.raises(OutOfOrder, match="只有已定账"):
        request_reopen(actor=township, line_id=line.pk, reason="目标有误")
    _locked(world, line)
    with pytest.raises(DomainError, match="重审理由"):
        request_reopen(actor=township, line_id=line.pk, reason=" ")
    request = request_reopen(actor=township, line_id=line.pk, reason="目标面积有误")
    with pytest.raises(OutOfOrder, match="待审批"):
        request_reopen(actor=township, line_id=line.pk, reason="再申请")
    with pytest.raises(PermissionDenied, match="上一级"):
        decide_reopen(actor=township, request_id=request.pk, approve=True)
    pending = submit_reconciliation(actor=world.users["reporter_a"], line_id=line.pk, quarter=1, narrative="x",
                                    today=JUNE)
    decided = decide_reopen(actor=county, request_id=request.pk, approve=True)
    assert decided.decision == "approved"
    assert LedgerLine.objects_unscoped.get(pk=line.pk).status == "draft"
    with pytest.raises(OutOfOrder, match="已审批"):
        decide_reopen(actor=county, request_id=request.pk, approve=False)
    with pytest.raises(OutOfOrder, match="重审"):
        review_reconciliation(actor=township, reconciliation_id=pending.pk, decision="approved")
    assert AuditEntry.objects_unscoped.filter(object_type="reopen_request").count() == 2


def test_a_visit_must_be_to_a_household_the_helper_helps(world, year_open):
    made = cover_village(world, VILLAGE)
    helper = made["helper0"].person
    household = world.households[VILLAGE][0]
    other = world.households["520302001002"][0]
    reporter = world.users["reporter_a"]
    visit = record_visit(actor=reporter, person_id=helper.pk, household_id=household.pk,
                         visited_on=dt.date(YEAR, 4, 2), activity="宣传产业政策", files=[([PNG], "走访.png")])
    assert visit.evidence.count() == 1
    with pytest.raises(DomainError, match="没有帮扶该户"):
        record_visit(actor=world.users["township_a"], person_id=helper.pk, household_id=other.pk,
                     visited_on=dt.date(YEAR, 4, 2), activity="走访")
    with pytest.raises(NotFound):
        record_visit(actor=world.users["county_b"], person_id=helper.pk, household_id=household.pk,
                     visited_on=dt.date(YEAR, 4, 2), activity="走访")


def test_a_count_is_whole_and_shows_without_decimals(world, year_open, client_for):
    made = cover_village(world, VILLAGE)
    township = world.users["township_a"]
    with pytest.raises(DomainError, match="须为整数"):
        add_line(actor=township, assignment_id=made["stationed"].pk, commitment="帮扶脱贫",
                 target_value=Decimal("2.5"), target_unit="户")
    line = add_line(actor=township, assignment_id=made["stationed"].pk, commitment="帮扶脱贫",
                    target_value=Decimal("2"), target_unit="户")
    lock_line(actor=township, line_id=line.pk)
    with pytest.raises(DomainError, match="须为整数"):
        submit_reconciliation(actor=world.users["reporter_a"], line_id=line.pk, quarter=1, narrative="进展",
                              progress_value=Decimal("0.47"), today=JUNE)
    assert not Reconciliation.objects_unscoped.exists()
    board = client_for("township_a").get(f"/responsibility/ledger/village/{VILLAGE}/", {"year": YEAR}).text
    assert "2 户" in board and "2.00 户" not in board
    acres = add_line(actor=township, assignment_id=made["stationed"].pk, commitment="种茶",
                     target_value=Decimal("12.5"), target_unit="亩")  # land is not counted whole
    assert acres.target_value == Decimal("12.5")
