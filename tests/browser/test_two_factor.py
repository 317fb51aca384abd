"""Two-factor login in the browser: an administrator types the authenticator's code after the password, and a
user whose role requires it sets an authenticator up from the QR page and sees ten recovery codes once."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from wuzaicun.accounts.models import User
from wuzaicun.accounts.services import update_policy
from wuzaicun.testing.twofa import code_for, device_from_page
from wuzaicun.testing.world import PASSWORD

pytestmark = pytest.mark.browser


def _password_step(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_an_administrator_types_the_code_after_the_password(live_world, live_server, page):
    _password_step(page, live_server, "auditor_a")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/$"))
    expect(page.get_by_role("heading", name="输入动态验证码")).to_be_visible()
    expect(page.locator("#sidebar")).to_have_count(0)  # no menu before the code
    page.get_by_label("动态验证码").fill("000000")
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_text("动态验证码错误")).to_be_visible()
    page.get_by_label("动态验证码").fill(code_for(live_world.users["auditor_a"]))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#sidebar")).to_contain_text("操作日志")


def test_a_required_role_enrols_from_the_qr_page_and_sees_ten_recovery_codes(live_world, live_server, page):
    update_policy(actor=live_world.users["security"], changes={
        "require_2fa_roles": ["system_admin", "security_admin", "audit_admin", "county_admin"]})
    _password_step(page, live_server, "county_a")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/enrol/$"))
    expect(page.locator("#twofa-qr svg")).to_be_visible()
    expect(page.get_by_text("必须使用双因素认证")).to_be_visible()
    assert not TOTPDevice.objects.filter(user__username="county_a").exists()  # the page wrote nothing
    user = User.objects_unscoped.get(username="county_a")
    page.get_by_label("动态验证码").fill(code_for(user, device=device_from_page(user, page.content())))
    page.get_by_role("button", name="完成设置").click()
    expect(page.get_by_role("heading", name="双因素认证已启用")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，进入工作台").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
