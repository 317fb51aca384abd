"""An inspector records a finding; a township user sees nothing of the plan before it closes."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from wuzaicun.core.operator import OPERATOR
from wuzaicun.responsibility.services import open_year
from wuzaicun.testing.lists import VILLAGE, cover_village
from wuzaicun.testing.world import PASSWORD
from wuzaicun.verification.models import Finding
from wuzaicun.verification.services import draw_spot_check_plan

pytestmark = pytest.mark.browser


def test_inspector_records_a_finding_and_the_township_sees_nothing(live_world, live_server, log_in, browser):
    open_year(actor=OPERATOR, year=2016, due=dt.date(2100, 3, 1))
    cover_village(live_world, VILLAGE)
    inspector = live_world.users["inspector_a"]
    plan = draw_spot_check_plan(actor=live_world.users["county_a"], year=2016, quarter=3,
                                region_code="520302000000", inspector_ids=[inspector.pk])

    page = log_in("inspector_a")
    page.goto(f"{live_server.url}/verification/plans/{plan.pk}/")
    row = page.locator("#picks-table tbody tr", has_text="驻村")
    row.locator("summary", has_text="录入结果").click()
    row.get_by_label("检查日期").fill("2016-08-02")
    row.get_by_label("不发通知").check()
    row.get_by_label("直插现场").check()
    row.get_by_label("检查结果").select_option("mostly")
    row.get_by_label("情况说明").fill("产业项目已启动，台账不够完整")
    row.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已录入检查结果")
    expect(page.locator("#picks-table tbody tr", has_text="驻村")).to_contain_text("基本到位")
    assert Finding.objects_unscoped.filter(pick__plan=plan, result="mostly").exists()

    township = browser.new_page()
    township.goto(f"{live_server.url}/accounts/login/")
    township.get_by_label("用户名").fill("township_a")
    township.get_by_label("密码").fill(PASSWORD)
    township.get_by_role("button", name="登录").click()
    township.goto(f"{live_server.url}/verification/plans/")
    expect(township.locator("#plans-table")).not_to_contain_text("2016年第3季度")
    response = township.goto(f"{live_server.url}/verification/plans/{plan.pk}/")
    assert response is not None and response.status == 404
    township.goto(f"{live_server.url}/responsibility/ledger/village/{VILLAGE}/?year=2016&quarter=3")
    expect(township.locator("#ledger-table")).not_to_contain_text("基本到位")
    expect(township.locator("main")).not_to_contain_text("抽中")
