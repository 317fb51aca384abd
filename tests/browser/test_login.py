"""Logging in through the login page lands on the 工作台."""

import pytest
from playwright.sync_api import expect

from wuzaicun.testing.world import PASSWORD

pytestmark = pytest.mark.browser


def test_county_admin_logs_in_and_lands_on_the_workbench(live_world, live_server, page):
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{live_server.url}/")  # anonymous: sent to the login page
    expect(page.get_by_role("button", name="登录")).to_be_visible()

    page.get_by_label("用户名").fill("county_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_role("heading", name="工作台")).to_contain_text("红花岗区")
    assert page.url == f"{live_server.url}/"
    assert failed == [], "every stylesheet and script of the layout loads"


def test_wrong_password_stays_on_the_login_page_with_a_chinese_message(live_world, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("county_a")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("heading", name="工作台")).to_have_count(0)
