"""登录日志 and 操作日志: separate, filtered, scoped both ways, exported (and the export audited); the reveals of
full IDs, with their reasons, are visible there. Break-glass: a reason, and a daily limit per user."""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from wuzaicun.audit.models import AuditEntry
from wuzaicun.audit.services import record
from wuzaicun.core.errors import DomainError
from wuzaicun.registry.services import reveal_household_id
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.spec import ExportContext
from wuzaicun.testing.factories import next_resident_id


def _household(world, region="520302001001"):
    from wuzaicun.registry.services import save_household

    return save_household(actor=world.users["county_a"], region_code=region, head_name="李四",
                          resident_id=next_resident_id(region[:6]), members=3, status="未脱贫", identified_year=2015,
                          exit_year=None, cause="因病", income_per_head=None)


def _table(page):
    return page.split('id="audit-table"')[1]


def test_the_login_log_and_the_operation_log_are_separate(world, client_for):
    Client().post("/accounts/login/", {"username": "county_a", "password": "wrong-password"})
    record(actor=world.users["county_a"], action="update", region_code="520302001001", summary="甲村的修改")
    client = client_for("auditor_a")
    logins = client.get("/audit/logins/").text
    operations = client.get("/audit/operations/").text
    assert "登录失败" in _table(logins) and "甲村的修改" not in _table(logins)
    assert "甲村的修改" in _table(operations) and "登录失败（" not in _table(operations)
    assert "<title>登录日志" in logins or "登录日志" in logins.split("<h1")[1][:40]
    # the first page keeps working: the whole trail
    whole = client.get("/audit/?action=login_failed").text
    assert "登录失败" in _table(whole)
    # a login action asked of the operation log is ignored, not an error
    assert client.get("/audit/operations/?action=login").status_code == 200


def test_the_log_views_are_scoped_both_ways_and_closed_to_other_roles(world, client_for):
    record(actor=world.users["county_a"], action="update", region_code="520302001001", summary="甲村的修改")
    record(actor=world.users["county_b"], action="update", region_code="520303100201", summary="丙村的修改")
    page_a = _table(client_for("auditor_a").get("/audit/operations/").text)
    page_b = _table(client_for("auditor_b").get("/audit/operations/").text)
    assert "甲村的修改" in page_a and "丙村的修改" not in page_a
    assert "丙村的修改" in page_b and "甲村的修改" not in page_b
    for url in ("/audit/logins/", "/audit/operations/"):
        assert client_for("township_a").get(url).status_code == 403


def test_reveals_are_listed_with_who_whose_and_why(world, client_for):
    household = _household(world)
    reveal_household_id(actor=world.users["county_a"], household_id=household.pk, reason="核对户籍信息")
    page = _table(client_for("auditor_a").get("/audit/operations/?action=view_sensitive").text)
    assert "查看李四户完整身份证号：核对户籍信息" in page and "county_a" in page
    assert household.reveal_resident_id() not in page and household.resident_id_masked in page
    assert "查看李四户" not in _table(client_for("auditor_b").get("/audit/operations/?action=view_sensitive").text)


def test_a_reveal_needs_a_reason_of_four_characters(world):
    household = _household(world)
    for reason in ("", "  ", "核对"):
        with pytest.raises(DomainError, match="至少4个字"):
            reveal_household_id(actor=world.users["county_a"], household_id=household.pk, reason=reason)
    assert not AuditEntry.objects_unscoped.filter(action="view_sensitive").exists()


def test_reveals_stop_at_the_daily_limit_and_the_refusal_is_logged(world, settings, client_for):
    _limit(2)
    household = _household(world)
    actor = world.users["county_a"]
    for _ in range(2):
        assert reveal_household_id(actor=actor, household_id=household.pk, reason="核对户籍信息")
    with pytest.raises(DomainError, match="今日查看完整身份证号已达2次上限，请明日再试或联系安全管理员"):
        reveal_household_id(actor=actor, household_id=household.pk, reason="核对户籍信息")
    assert AuditEntry.objects_unscoped.filter(action="view_sensitive", result="refused", actor=actor).count() == 1
    response = client_for("county_a").post(f"/registry/households/{household.pk}/reveal/", {"reason": "再核对一次"})
    assert response.status_code == 429 and household.reveal_resident_id() not in response.text
    assert "已达2次上限" in response.text
    # another user still may
    assert reveal_household_id(actor=world.users["sysadmin"], household_id=household.pk, reason="核对户籍信息")


def test_the_reveal_button_asks_the_reason_in_a_small_form(world, client_for):
    household = _household(world)
    client = client_for("county_a")
    detail = client.get(f"/registry/households/{household.pk}/").text
    assert "查看完整号码" in detail and household.reveal_resident_id() not in detail
    form = client.get(f"/registry/households/{household.pk}/reveal/", headers={"HX-Request": "true"}).text
    assert 'name="reason"' in form and 'minlength="4"' in form and "每日限查 20 次" in form
    short = client.post(f"/registry/households/{household.pk}/reveal/", {"reason": "核对"},
                        headers={"HX-Request": "true"})
    assert short.status_code == 200 and "至少4个字" in short.text and household.reveal_resident_id() not in short.text
    shown = client.post(f"/registry/households/{household.pk}/reveal/", {"reason": "核对户籍信息"},
                        headers={"HX-Request": "true"})
    assert household.reveal_resident_id() in shown.text and "已留痕" in shown.text


def _sheet(kind, ctx):
    target = io.BytesIO()
    export_to_xlsx(get_template(kind), ctx, target)
    target.seek(0)
    return [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]


def test_each_log_exports_its_filtered_set_in_scope_and_the_export_is_audited(world, client_for):
    record(actor=world.users["county_a"], action="update", region_code="520302001001", summary="甲村的修改")
    record(actor=world.users["county_a"], action="create", region_code="520302001001", summary="甲村的新增")
    record(actor=world.users["county_b"], action="update", region_code="520303100201", summary="丙村的修改")
    user = world.users["auditor_a"]
    rows = _sheet("audit_operations", ExportContext(actor=user, filters={"action": "update"}))
    assert rows[0][:3] == ["时间", "操作账号", "操作"]
    summaries = [r[5] for r in rows[1:]]
    assert "甲村的修改" in summaries and "甲村的新增" not in summaries and "丙村的修改" not in summaries
    assert all(r[2] == "修改" for r in rows[1:])
    assert AuditEntry.objects_unscoped.filter(action="export", actor=user, object_type="audit_entry").exists()
    logins = _sheet("audit_logins", ExportContext(actor=user))
    assert all(r[2] in ("登录", "退出", "登录失败", "账号锁定") for r in logins[1:])
    page = client_for("auditor_a").get("/audit/operations/?action=update").text
    assert "/imports/audit_operations/export/?region=&action=update" in page
    response = client_for("auditor_a").post("/imports/audit_operations/export/", {"region": "", "action": "update"})
    assert response.status_code == 200


def test_an_export_of_the_logs_is_refused_without_the_audit_permission(world, client_for):
    response = client_for("township_a").post("/imports/audit_operations/export/", {"region": ""})
    assert response.status_code == 403


def test_the_api_reveals_with_a_reason_within_the_limit_and_in_scope(world, settings):
    from wuzaicun.testing.api import api_client

    _limit(1)
    household = world.households["520302001001"][0]
    api = api_client("county_a")
    url = f"/api/households/{household.pk}/reveal"
    short = api.post(url, json.dumps({"reason": "核对"}), content_type="application/json")
    assert short.status_code == 400 and "至少4个字" in short.json()["message"]
    shown = api.post(url, json.dumps({"reason": "核对户籍信息"}), content_type="application/json")
    assert shown.status_code == 200 and shown.json()["resident_id"] == household.reveal_resident_id()
    limited = api.post(url, json.dumps({"reason": "核对户籍信息"}), content_type="application/json")
    assert limited.status_code == 429 and limited.json()["code"] == "reveal_limit"
    assert api_client("county_b").post(url, json.dumps({"reason": "核对户籍信息"}), content_type="application/json").status_code == 404
    assert api_client("leader_a").post(url, json.dumps({"reason": "核对户籍信息"}), content_type="application/json").status_code == 403


def _limit(n: int) -> None:
    """The security administrator's daily reveal limit (安全设置), as the policy in force."""
    import dataclasses

    from wuzaicun.accounts import policy

    policy.prime(dataclasses.replace(policy.defaults(), reveal_daily_limit=n))
