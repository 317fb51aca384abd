"""Drawing, secrecy of the picks from every role, closing, verifying (and failing on tampering)."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, NotFound, OutOfOrder, PermissionDenied
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village
from wuzaicun.verification.models import PopulationMember, SpotCheckPick, SpotCheckPlan
from wuzaicun.verification.selectors import get_plan_for_user, picks_for
from wuzaicun.verification.services import close_plan, draw_spot_check_plan, verify_plan


@pytest.fixture
def plan(world, year_open):
    cover_village(world, VILLAGE)
    cover_village(world, "520303100201")
    return draw_spot_check_plan(actor=world.users["city"], year=YEAR, quarter=3, region_code="520300000000")


def test_a_draw_freezes_the_population_and_picks_per_stratum(plan):
    assert plan.population_size == PopulationMember.objects_unscoped.filter(plan=plan).count() == 12
    # 2 counties × 4 kinds, each stratum small: one pick each
    assert plan.pick_count == SpotCheckPick.objects_unscoped.filter(plan=plan).count() == 8
    # each pick keeps its entry's village (D49), in both counties
    villages = set(SpotCheckPick.objects_unscoped.filter(plan=plan).values_list("village_id", "assignment__village_id"))
    assert {v for v, _ in villages} == {VILLAGE, "520303100201"} and all(v == e for v, e in villages)
    assert len(plan.seed_commitment) == 64 and plan.revealed_seed == ""
    entry = AuditEntry.objects_unscoped.get(object_type="spot_check_plan", action="create")
    assert str(plan.pick_count) not in entry.summary.split("总体")[0]


def test_a_rate_below_ten_per_cent_is_refused(world, year_open):
    with pytest.raises(DomainError, match="低于规定的 10%"):
        draw_spot_check_plan(actor=world.users["city"], year=YEAR, quarter=3, rate=Decimal("0.05"),
                             region_code="520300000000")
    assert not SpotCheckPlan.objects_unscoped.exists()


@pytest.mark.parametrize(("user", "sees"), [
    ("city", True),  # the owner
    ("sysadmin", True),
    ("county_a", False), ("county_b", False), ("township_a", False), ("reporter_a", False),
    ("inspector_a", False), ("leader_a", False),
])
def test_until_closed_only_the_owner_and_the_system_admin_see_the_picks(world, plan, user, sees):
    actor = world.users[user]
    try:
        visible = get_plan_for_user(actor, plan.pk)
    except NotFound:
        assert not sees
        return
    picks = picks_for(actor, visible)
    assert (picks is not None) is sees
    if sees:
        assert picks.count() == plan.pick_count
        assert AuditEntry.objects_unscoped.filter(action="view_sensitive", object_type="spot_check_plan",
                                                  actor=actor).exists()


def test_an_assigned_inspector_sees_the_picks(world, year_open):
    cover_village(world, VILLAGE)
    inspector = world.users["inspector_a"]
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000",
                                inspector_ids=[inspector.pk])
    assert picks_for(inspector, plan).count() == plan.pick_count
    assert picks_for(world.users["leader_a"], plan) is None


def test_after_closing_the_picks_are_public_within_scope_and_verify(world, plan):
    with pytest.raises((PermissionDenied, NotFound)):
        close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    closed = close_plan(actor=world.users["city"], plan_id=plan.pk)
    assert len(closed.revealed_seed) == 64
    county_a = picks_for(world.users["county_a"], get_plan_for_user(world.users["city"], plan.pk))
    assert county_a is not None and {p.assignment.village_id[:6] for p in county_a} == {"520302"}
    assert verify_plan(plan_id=plan.pk).ok
    with pytest.raises(OutOfOrder):
        close_plan(actor=world.users["city"], plan_id=plan.pk)


def test_verification_fails_loudly_on_a_changed_population_or_seed(world, plan):
    close_plan(actor=world.users["city"], plan_id=plan.pk)
    PopulationMember.objects_unscoped.filter(plan=plan).first().delete()
    result = verify_plan(plan_id=plan.pk)
    assert not result.ok and not result.checks["population_hash"]
    SpotCheckPlan.objects_unscoped.filter(pk=plan.pk).update(revealed_seed="00" * 32)
    result = verify_plan(plan_id=plan.pk)
    assert not result.checks["commitment"]


def test_verifying_an_open_plan_is_refused(world, plan):
    with pytest.raises(OutOfOrder, match="尚未结束"):
        verify_plan(plan_id=plan.pk)


def test_the_command_draws_closes_and_verifies(world, year_open):
    cover_village(world, VILLAGE)
    out, err = io.StringIO(), io.StringIO()
    call_command("spotcheck", "draw", "--quarter", "2016Q3", "--region", "520302", stdout=out, stderr=err)
    plan_id = int(out.getvalue().strip())
    assert "承诺值" in err.getvalue()
    call_command("spotcheck", "close", str(plan_id), stderr=io.StringIO())
    out = io.StringIO()
    call_command("spotcheck", "verify", str(plan_id), "--json", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["ok"] is True
    SpotCheckPick.objects_unscoped.filter(plan_id=plan_id).first().delete()
    with pytest.raises(SystemExit) as exited:
        call_command("spotcheck", "verify", str(plan_id), stdout=io.StringIO(), stderr=io.StringIO())
    assert exited.value.code == 1


def _pick_of(plan, kind):
    return SpotCheckPick.objects_unscoped.filter(plan=plan, stratum__startswith=kind + ":520302").first()


def test_an_inspector_records_a_finding_that_marks_the_ledger(world, year_open):
    import datetime as dt

    from wuzaicun.responsibility.models import LedgerLine
    from wuzaicun.responsibility.services import add_line
    from wuzaicun.verification.models import Finding, Sanction
    from wuzaicun.verification.services import record_finding

    made = cover_village(world, VILLAGE)
    line = add_line(actor=world.users["township_a"], assignment_id=made["stationed"].pk, commitment="发展茶叶产业")
    inspector = world.users["inspector_a"]
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000",
                                inspector_ids=[inspector.pk])
    pick = _pick_of(plan, "stationed")
    checklist = {"no_notice": True, "no_greeting": True, "straight_to_site": True}
    with pytest.raises(DomainError, match="不到位"):
        record_finding(actor=inspector, pick_id=pick.pk, visited_on=dt.date(2016, 8, 2), inspector_ids=[inspector.pk],
                       checklist=checklist, result="not_in_place", notes="产业未落地")
    with pytest.raises(NotFound):
        record_finding(actor=world.users["leader_a"], pick_id=pick.pk, visited_on=dt.date(2016, 8, 2),
                       inspector_ids=[], checklist=checklist, result="in_place", notes="x")
    finding = record_finding(
        actor=inspector, pick_id=pick.pk, visited_on=dt.date(2016, 8, 2), inspector_ids=[inspector.pk],
        checklist=checklist, result="not_in_place", notes="产业未落地，群众不知情",
        sanction={"kind": "talk", "decision": "红组通〔2016〕12号", "task": "一个月内落实茶叶基地",
                  "deadline": dt.date(2016, 9, 2)},
    )
    assert finding.checklist["no_briefing"] is False and finding.inspectors.count() == 1
    assert Sanction.objects_unscoped.get(finding=finding).get_kind_display() == "约谈"
    # While the plan is open the ledger shows nothing: a marked line would tell which entries were picked.
    assert LedgerLine.objects_unscoped.get(pk=line.pk).spot_check_result == ""
    with pytest.raises(OutOfOrder, match="已录入"):
        record_finding(actor=inspector, pick_id=pick.pk, visited_on=dt.date(2016, 8, 3), inspector_ids=[],
                       checklist={}, result="in_place", notes="再录")
    close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    assert LedgerLine.objects_unscoped.get(pk=line.pk).spot_check_result == "not_in_place"
    with pytest.raises(OutOfOrder, match="已结束"):
        record_finding(actor=inspector, pick_id=_pick_of(plan, "team").pk, visited_on=dt.date(2016, 8, 3),
                       inspector_ids=[], checklist={}, result="in_place", notes="结束后")
    assert Finding.objects_unscoped.count() == 1


def test_evidence_and_the_rectification_follow_up(world, year_open):
    import datetime as dt

    from wuzaicun.verification.models import FindingEvidence, Sanction
    from wuzaicun.verification.services import record_finding, record_follow_up

    cover_village(world, VILLAGE)
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000")
    pick = _pick_of(plan, "team")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    finding = record_finding(
        actor=world.users["county_a"], pick_id=pick.pk, visited_on=dt.date(2016, 8, 2), inspector_ids=[],
        checklist={}, result="not_in_place", notes="未落实",
        sanction={"kind": "recall", "decision": "召回决定", "task": "更换帮扶干部", "deadline": dt.date(2016, 9, 1)},
        files=[([png], "现场.png")])
    assert FindingEvidence.objects_unscoped.filter(finding=finding).count() == 1
    sanction = Sanction.objects_unscoped.get(finding=finding)
    with pytest.raises(NotFound):
        record_follow_up(actor=world.users["county_b"], sanction_id=sanction.pk, follow_up="x", completed_on=None)
    record_follow_up(actor=world.users["county_a"], sanction_id=sanction.pk, follow_up="已更换", completed_on=dt.date(2016, 8, 20))
    with pytest.raises(OutOfOrder, match="已完成"):
        record_follow_up(actor=world.users["county_a"], sanction_id=sanction.pk, follow_up="再次", completed_on=None)


def test_the_findings_export_holds_closed_plans_only(world, year_open, tmp_path):
    from openpyxl import load_workbook

    from wuzaicun.tabular.engine import export_to_xlsx
    from wuzaicun.tabular.registry import get_template
    from wuzaicun.tabular.spec import ExportContext

    cover_village(world, VILLAGE)
    owner = world.users["county_a"]
    plan = draw_spot_check_plan(actor=owner, year=YEAR, quarter=3, region_code="520302000000")
    target = tmp_path / "findings.xlsx"
    assert export_to_xlsx(get_template("spot_check_findings"), ExportContext(actor=owner, year=YEAR), target) == 0
    close_plan(actor=owner, plan_id=plan.pk)
    count = export_to_xlsx(get_template("spot_check_findings"), ExportContext(actor=owner, year=YEAR), target)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert count == plan.pick_count and rows[1][6] == "未检查"
