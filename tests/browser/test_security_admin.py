"""Issue #14 as the two administrators live it: the security administrator signs in with the password and the
authenticator's code, changes a security setting and forces a user's session out; the audit administrator then
finds both in 操作日志 and exports them."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from wuzaicun.accounts.models import User
from wuzaicun.testing.twofa import code_for
from wuzaicun.testing.world import PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(page, live_server, username):
    """The login page, then the code page with what the phone shows (django-otp's TOTP of the device's key)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/$"))
    page.get_by_label("动态验证码").fill(code_for(User.objects_unscoped.get(username=username)))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_the_security_administrator_changes_a_setting_and_ends_a_session_and_the_auditor_exports_both(
        live_world, live_server, page, browser):
    # county A's administrator is signed in on another computer
    elsewhere = browser.new_context(locale="zh-CN")
    county = elsewhere.new_page()
    county.goto(f"{live_server.url}/accounts/login/")
    county.get_by_label("用户名").fill("county_a")
    county.get_by_label("密码").fill(PASSWORD)
    county.get_by_role("button", name="登录").click()
    expect(county).to_have_url(f"{live_server.url}/")

    # the security administrator: password, then the dynamic code
    _sign_in(page, live_server, "security")
    page.locator("#sidebar").get_by_role("link", name="安全设置").click()
    idle = page.get_by_label(re.compile("无操作自动退出"))
    expect(idle).to_have_value("30")
    idle.fill("20")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("安全设置已保存，立即生效")).to_be_visible()
    expect(page.get_by_label(re.compile("无操作自动退出"))).to_have_value("20")

    # 在线会话 → 强制退出 county A's session
    page.locator("#sidebar").get_by_role("link", name="在线会话").click()
    row = page.locator("tr", has_text="county_a")
    expect(row).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="强制退出").click()
    expect(page.get_by_text("已强制退出“county_a”的会话")).to_be_visible()
    county.reload()
    expect(county).to_have_url(re.compile(r"/accounts/login/"))
    elsewhere.close()

    # the audit administrator finds both in 操作日志 and exports them
    audit_desk = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = audit_desk.new_page()
    _sign_in(page, live_server, "auditor")
    page.locator("#sidebar").get_by_role("link", name="操作日志").click()
    expect(page.get_by_role("heading", name="操作日志")).to_be_visible()
    setting = "修改安全设置：无操作自动退出 30→20分钟"
    ended = re.compile(r"强制退出：county_a（")
    expect(page.get_by_text(setting)).to_be_visible()
    expect(page.get_by_text(ended)).to_be_visible()
    page.locator("#audit-export").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="导出").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:  # the saved download has no extension: openpyxl reads the stream
        sheet = load_workbook(file, read_only=True).active
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any(setting in c for c in cells), cells[:40]
    assert any(ended.search(c) for c in cells)
    assert any(c == "security" for c in cells)
    audit_desk.close()
