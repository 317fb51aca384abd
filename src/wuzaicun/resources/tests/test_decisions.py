"""资金使用决策: a decision from 村党组织提议 to 实施结果公开 in order, 乡镇党委把关 by the township, quorums refused
and votes that end it 未通过, publicity and payments, audit and version; pages, notices and API in scope both ways."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from wuzaicun.resources.models import DecisionMinutes, DecisionPayment, DecisionStep, FundDecision
from wuzaicun.resources.services.decisions import (
    StepInput,
    add_payment,
    create_decision,
    delete_decision,
    record_step,
)
from wuzaicun.testing.api import api_client

A1, B1 = "520302001001", "520303100201"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
D = dt.date


def propose(world: Any, village: str = A1, user: str = "reporter_a", flow: str = "four_two",
            title: str = "修建通组路") -> FundDecision:
    return create_decision(actor=world.users[user], village_code=village, year=2016, title=title,
                           fund_kind="leftover", amount=Decimal("50000"), flow=flow, proposed_on=D(2016, 4, 1),
                           note="使用帮扶结余资金修建通组路", files=[([PNG], "提议记录.png")])


MEETINGS = {
    "consult": StepInput(D(2016, 4, 10), "村两委会议", 7, 6, 6),
    "party": StepInput(D(2016, 4, 15), "党员大会", 40, 30, 25, 3, 2),
    "resolve": StepInput(D(2016, 4, 20), "村民代表会议", 30, 25, 20, 3, 2),
    "direct": StepInput(D(2016, 4, 20), "党群议事会", 15, 12, 10, 1, 1),
}


def run_to(world: Any, decision: FundDecision, last: str, township: str = "township_a",
           user: str = "reporter_a") -> FundDecision:
    """Record every step of the flow up to `last`."""
    from wuzaicun.resources.rules.decisions import flow_steps

    for spec in flow_steps(decision.flow)[1:]:
        data = {"township": StepInput(D(2016, 4, 5), "同意"),
                "publish": StepInput(D(2016, 5, 3), publicity_days=7),
                "implement": StepInput(D(2016, 5, 12), note="开工"),
                "result": StepInput(D(2016, 8, 1), publicity_days=7)}.get(spec.code) or MEETINGS[spec.code]
        decision = record_step(actor=world.users[township if spec.code == "township" else user],
                               decision_id=decision.pk, step=spec.code, data=data)
        if spec.code == last:
            break
    return decision


def test_a_decision_runs_every_step_in_order_and_is_audited(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = propose(world)
    assert decision.step == "propose" and DecisionMinutes.objects_unscoped.count() == 1
    done = run_to(world, decision, "result")
    assert done.status == "done" and done.step == "result" and done.version == 8
    assert DecisionStep.objects_unscoped.filter(decision=decision).count() == 8
    summaries = list(AuditEntry.objects_unscoped.filter(object_type="fund_decision").order_by("id")
                     .values_list("summary", flat=True))
    assert len(summaries) == 8 and "村党组织提议“修建通组路”" in summaries[0]
    assert any("记录党员大会审议" in s for s in summaries)


def test_the_direct_variant_has_its_own_steps(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = run_to(world, propose(world, flow="direct"), "result")
    assert decision.status == "done"
    assert list(DecisionStep.objects_unscoped.filter(decision=decision).values_list("step", flat=True)) == [
        "propose", "township", "direct", "publish", "implement", "result"]


def test_the_township_records_its_check_not_the_village(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = propose(world)
    with pytest.raises(PermissionDenied, match="乡镇党委把关”须由乡镇"):
        record_step(actor=world.users["reporter_a"], decision_id=decision.pk, step="township",
                    data=StepInput(D(2016, 4, 5)))
    refused = record_step(actor=world.users["township_a"], decision_id=decision.pk, step="township",
                          data=StepInput(D(2016, 4, 5), "不同意", note="资金用途不符合规定"))
    assert refused.status == "rejected"


def test_out_of_order_early_dates_and_stale_versions_are_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = propose(world)
    with pytest.raises(DomainError, match="下一环节是“乡镇党委把关”"):
        record_step(actor=world.users["township_a"], decision_id=decision.pk, step="party", data=MEETINGS["party"])
    with pytest.raises(DomainError, match="不能早于上一环节“村党组织提议”的日期（2016-04-01）"):
        record_step(actor=world.users["township_a"], decision_id=decision.pk, step="township",
                    data=StepInput(D(2016, 3, 1)))
    with pytest.raises(Conflict):
        record_step(actor=world.users["township_a"], decision_id=decision.pk, step="township",
                    data=StepInput(D(2016, 4, 5)), version=99)
    assert FundDecision.objects_unscoped.get(pk=decision.pk).step == "propose"


def test_a_meeting_without_its_quorum_is_refused_and_a_failed_vote_ends_the_decision(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = run_to(world, propose(world), "consult")
    with pytest.raises(DomainError, match="党员大会须有半数以上党员到会：应到52人，实到26人") as refused:
        record_step(actor=world.users["reporter_a"], decision_id=decision.pk, step="party",
                    data=StepInput(D(2016, 4, 15), "党员大会", 52, 26, 20))
    assert refused.value.field == "实到人数"
    assert not DecisionStep.objects_unscoped.filter(decision=decision, step="party").exists()
    ended = record_step(actor=world.users["reporter_a"], decision_id=decision.pk, step="party",
                        data=StepInput(D(2016, 4, 15), "党员大会", 52, 30, 15, 10, 5))
    assert ended.status == "rejected"
    with pytest.raises(DomainError, match="该决策未通过"):
        record_step(actor=world.users["reporter_a"], decision_id=decision.pk, step="resolve", data=MEETINGS["resolve"])


def test_publicity_runs_its_configured_days_before_any_payment(world, settings, tmp_path):
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.responsibility.services import update_rule
    from wuzaicun.testing.lists import open_test_year

    settings.MEDIA_ROOT = tmp_path
    year = open_test_year()
    update_rule(actor=OPERATOR, year=year, code="decision_paid_early", enabled=True, threshold=10)
    decision = run_to(world, propose(world), "resolve")
    with pytest.raises(DomainError, match="公示时间不少于10天，填写的是7天"):
        record_step(actor=world.users["reporter_a"], decision_id=decision.pk, step="publish",
                    data=StepInput(D(2016, 5, 3), publicity_days=7))
    with pytest.raises(DomainError, match="决议尚未公开"):
        add_payment(actor=world.users["reporter_a"], decision_id=decision.pk, paid_on=D(2016, 5, 20),
                    amount=Decimal(100), payee="遵义某建筑公司")
    record_step(actor=world.users["reporter_a"], decision_id=decision.pk, step="publish",
                data=StepInput(D(2016, 5, 3), publicity_days=10))
    with pytest.raises(DomainError, match="决议公开自2016-05-03起须满10天，2016-05-13前不能支付"):
        add_payment(actor=world.users["reporter_a"], decision_id=decision.pk, paid_on=D(2016, 5, 12),
                    amount=Decimal(100), payee="遵义某建筑公司")
    add_payment(actor=world.users["reporter_a"], decision_id=decision.pk, paid_on=D(2016, 5, 13),
                amount=Decimal("49999.99"), payee="遵义某建筑公司")
    with pytest.raises(DomainError, match=r"尚可支付0\.01元"):
        add_payment(actor=world.users["reporter_a"], decision_id=decision.pk, paid_on=D(2016, 5, 14),
                    amount=Decimal("0.02"), payee="遵义某建筑公司")
    assert DecisionPayment.objects_unscoped.count() == 1


def test_only_a_proposal_may_be_withdrawn(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, second = propose(world), propose(world, title="村级活动场所维修")
    run_to(world, second, "township")
    with pytest.raises(DomainError, match="只有提议阶段的决策可以撤销"):
        delete_decision(actor=world.users["reporter_a"], decision_id=second.pk)
    delete_decision(actor=world.users["reporter_a"], decision_id=first.pk)
    assert not FundDecision.objects_unscoped.filter(pk=first.pk).exists()


def test_scope_both_ways(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mine, theirs = propose(world, A1, "county_a"), propose(world, B1, "county_b")
    with pytest.raises(NotFound):
        record_step(actor=world.users["county_a"], decision_id=theirs.pk, step="township",
                    data=StepInput(D(2016, 4, 5)))
    with pytest.raises(NotFound):
        record_step(actor=world.users["county_b"], decision_id=mine.pk, step="township",
                    data=StepInput(D(2016, 4, 5)))
    with pytest.raises(NotFound):
        create_decision(actor=world.users["county_a"], village_code=B1, year=2016, title="x", fund_kind="donation",
                        amount=Decimal(1), proposed_on=D(2016, 4, 1))


def test_pages_in_scope_with_constant_queries(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mine, theirs = propose(world, A1, "county_a"), propose(world, B1, "county_b", title="丙村饮水工程")
    client = client_for("county_a")
    page = client.get("/resources/decisions/?year=2016")
    assert page.status_code == 200 and "共 1 条" in page.text and mine.title in page.text
    assert theirs.title not in page.text
    assert client.get(f"/resources/decisions/{theirs.pk}/").status_code == 404
    assert client_for("county_b").get(f"/resources/decisions/{mine.pk}/").status_code == 404
    with CaptureQueriesContext(connection) as one:
        client.get("/resources/decisions/?year=2016")
    for i in range(5):
        run_to(world, propose(world, A1, "county_a", title=f"事项{i}"), "publish")
    with CaptureQueriesContext(connection) as six:
        listed = client.get("/resources/decisions/?year=2016")
    assert "共 6 条" in listed.text and len(six) == len(one)
    published = client.get("/resources/decisions/?year=2016&step=publish")
    assert "共 5 条" in published.text and mine.title not in published.text
    detail = client.get(f"/resources/decisions/{mine.pk}/")
    assert "乡镇党委把关" in detail.text and "提议记录.png" in detail.text and 'id="step-form"' in detail.text


def test_the_step_form_names_the_field_and_the_rule(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = run_to(world, propose(world), "consult")
    posted = client_for("reporter_a").post(f"/resources/decisions/{decision.pk}/steps/", {
        "step": "party", "version": decision.version, "held_on": "2016-04-15", "meeting_kind": "党员大会",
        "eligible": 52, "present": 24, "votes_for": 20, "votes_against": 0, "votes_abstain": 0})
    assert posted.status_code == 400
    assert "党员大会须有半数以上党员到会：应到52人，实到24人" in posted.text
    township = client_for("reporter_a").get(f"/resources/decisions/{propose(world).pk}/")
    assert 'id="step-form"' not in township.text and "须由乡镇（或以上）的用户记录" in township.text


def test_the_notices_print_without_resident_ids(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = run_to(world, propose(world), "result")
    with pytest.raises(DomainError, match="收款方中不要填写身份证号"):
        add_payment(actor=world.users["reporter_a"], decision_id=decision.pk, paid_on=D(2016, 5, 12),
                    amount=Decimal(100), payee="张三（520302198001011234）")
    add_payment(actor=world.users["reporter_a"], decision_id=decision.pk, paid_on=D(2016, 5, 12),
                amount=Decimal(100), payee="张三")
    # imported data may carry one: the notice masks it with the public profile
    DecisionStep.objects_unscoped.filter(decision=decision, step="implement").update(note="张三520302198001011234")
    client = client_for("county_a")
    resolution = client.get(f"/resources/decisions/{decision.pk}/notice/resolution/")
    assert resolution.status_code == 200 and "公　示" in resolution.text and "2016年5月3日至2016年5月9日" in resolution.text
    assert "应到30人，实到25人，赞成20票" in resolution.text and "decision-notice.css" in resolution.text
    result = client.get(f"/resources/decisions/{decision.pk}/notice/result/")
    assert "520302198001011234" not in result.text and "52*************234" in result.text
    early = propose(world, title="未公开事项")
    assert client.get(f"/resources/decisions/{early.pk}/notice/resolution/").status_code == 404
    with pytest.raises(DomainError, match="事项中不要填写身份证号"):
        propose(world, title="为张三（520302198001011234）修缮住房")
    FundDecision.objects_unscoped.filter(pk=decision.pk).update(title="为张三520302198001011234修缮住房")  # imported
    printed = client.get(f"/resources/decisions/{decision.pk}/notice/resolution/").text
    assert "520302198001011234" not in printed and "为张三52*************234修缮住房" in printed


def test_the_api_in_scope_both_ways(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    theirs = propose(world, B1, "county_b")
    client = api_client("county_a")
    made = client.post("/api/resources/decisions", json.dumps({
        "village_code": A1, "title": "捐赠资金购买图书", "fund_kind": "donation", "amount": "10000.01",
        "proposed_on": "2016-04-01"}), content_type="application/json")
    assert made.status_code == 201 and made.json()["step_label"] == "村党组织提议"
    pk = made.json()["id"]
    listed = client.get("/api/resources/decisions?year=2016").json()
    assert [d["title"] for d in listed["results"]] == ["捐赠资金购买图书"]
    assert client.get(f"/api/resources/decisions/{theirs.pk}").status_code == 404
    step = client.post(f"/api/resources/decisions/{pk}/steps", json.dumps({
        "step": "township", "held_on": "2016-04-05", "meeting_kind": "同意"}), content_type="application/json")
    assert step.status_code == 201 and step.json()["step"] == "township" and step.json()["version"] == 2
    refused = client.post(f"/api/resources/decisions/{pk}/steps", json.dumps({
        "step": "party", "held_on": "2016-04-15"}), content_type="application/json")
    assert refused.status_code == 409 and "下一环节是“村两委会议商议”" in refused.json()["message"]
    uploaded = client.post(f"/api/resources/decisions/{pk}/steps/township/minutes",
                           {"files": [_upload("把关意见.png")]})
    assert uploaded.status_code == 201 and uploaded.json()["steps"][1]["minutes"][0]["original_name"] == "把关意见.png"
    paid = client.post(f"/api/resources/decisions/{pk}/payments", json.dumps({
        "paid_on": "2016-05-01", "amount": "1", "payee": "新华书店"}), content_type="application/json")
    assert paid.status_code == 400 and "决议尚未公开" in paid.json()["message"]
    assert client.post(f"/api/resources/decisions/{theirs.pk}/payments", json.dumps({
        "paid_on": "2016-05-01", "amount": "1", "payee": "x"}), content_type="application/json").status_code == 404


def _upload(name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")
