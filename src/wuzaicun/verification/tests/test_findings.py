"""A saved finding can be opened and corrected until its plan closes; the form labels every field; the plan
page pages its picks with a constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from lxml import html

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import NotFound
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village
from wuzaicun.verification.models import Finding, Sanction, SpotCheckPick
from wuzaicun.verification.services import (
    OutOfOrder,
    close_plan,
    correct_finding,
    draw_spot_check_plan,
    record_follow_up,
)

SANCTION = {"kind": "talk", "decision": "红组通〔2016〕12号", "task": "落实茶叶基地", "deadline": dt.date(2016, 9, 2)}


@pytest.fixture
def recorded(world, year_open, client_for):
    cover_village(world, VILLAGE)
    inspector = world.users["inspector_a"]
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000",
                                inspector_ids=[inspector.pk])
    pick = SpotCheckPick.objects_unscoped.filter(plan=plan).first()
    response = client_for("inspector_a").post(f"/verification/plans/{plan.pk}/picks/{pick.pk}/finding/", {
        "visited_on": "2016-08-02", "no_notice": "on", "result": "mostly", "notes": "走访记录不完整"})
    assert response.status_code == 302
    return plan, Finding.objects_unscoped.get(pick=pick)


def test_the_inspector_opens_a_saved_finding_and_corrects_it(world, recorded, client_for):
    plan, finding = recorded
    page = client_for("inspector_a").get(f"/verification/plans/{plan.pk}/").text
    assert "修改结果" in page and "走访记录不完整" in page  # the saved finding opens, pre-filled
    response = client_for("inspector_a").post(f"/verification/plans/{plan.pk}/findings/{finding.pk}/", {
        "visited_on": "2016-08-03", "result": "not_in_place", "notes": "产业未落地", "kind": "talk",
        "decision": "红组通〔2016〕12号", "task": "落实茶叶基地", "deadline": "2016-09-02"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.result, finding.visited_on, finding.checklist["no_notice"]) == ("not_in_place", dt.date(2016, 8, 3), False)
    assert Sanction.objects_unscoped.get(finding=finding).task == "落实茶叶基地"
    audit = AuditEntry.objects_unscoped.get(object_type="spot_check_finding", action="update")
    assert audit.changes["检查结果"] == ["基本到位", "不到位"]


def test_a_finding_cannot_leave_not_in_place_once_its_rectification_is_followed(world, recorded):
    _, finding = recorded
    inspector = world.users["inspector_a"]
    correct_finding(actor=inspector, finding_id=finding.pk, visited_on=dt.date(2016, 8, 2), checklist={},
                    result="not_in_place", notes="产业未落地", sanction=SANCTION)
    record_follow_up(actor=world.users["county_a"], sanction_id=Sanction.objects_unscoped.get().pk,
                     follow_up="已整改一半", completed_on=None)
    with pytest.raises(OutOfOrder, match="整改已在跟踪"):
        correct_finding(actor=inspector, finding_id=finding.pk, visited_on=dt.date(2016, 8, 2), checklist={},
                        result="in_place", notes="到位")
    assert Finding.objects_unscoped.get(pk=finding.pk).result == "not_in_place"


def test_nobody_else_corrects_and_nobody_corrects_after_the_close(world, recorded):
    plan, finding = recorded
    for user in ("leader_a", "county_b", "township_a"):
        with pytest.raises(NotFound):
            correct_finding(actor=world.users[user], finding_id=finding.pk, visited_on=dt.date(2016, 8, 2),
                            checklist={}, result="in_place", notes="x")
    close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    with pytest.raises(OutOfOrder, match="已结束"):
        correct_finding(actor=world.users["inspector_a"], finding_id=finding.pk, visited_on=dt.date(2016, 8, 2),
                        checklist={}, result="in_place", notes="到位")


def test_every_field_of_the_finding_form_has_a_visible_label(world, recorded, client_for):
    plan, _ = recorded
    tree = html.fromstring(client_for("inspector_a").get(f"/verification/plans/{plan.pk}/").content)
    forms = tree.xpath('//form[contains(@class, "finding-form")]')
    assert len(forms) == SpotCheckPick.objects_unscoped.filter(plan=plan).count()
    for form in forms:
        labelled = set(form.xpath(".//label/@for"))
        for field in form.xpath('.//input[not(@type="hidden")]|.//select|.//textarea'):
            assert field.get("id") in labelled, field.get("name")


def test_the_plan_page_pages_its_picks_with_a_constant_number_of_queries(
        world, year_open, client_for, django_assert_max_num_queries):
    for code in ("520302001001", "520302001002"):
        cover_village(world, code, helpers=3)
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000",
                                rate=Decimal("1"))
    client = client_for("county_a")
    with django_assert_max_num_queries(20):
        page = client.get(f"/verification/plans/{plan.pk}/?page_size=10")
    assert page.status_code == 200 and f"共 {plan.pick_count} 条" in page.text and plan.pick_count > 10
    assert "助村·红花岗区" in page.text and "helper:520302" not in page.text.split("picks-table")[1]
    filtered = client.get(f"/verification/plans/{plan.pk}/?stratum=helper:520302&page_size=100").text
    helpers = SpotCheckPick.objects_unscoped.filter(plan=plan, stratum="helper:520302").count()
    assert f"共 {helpers} 条" in filtered
