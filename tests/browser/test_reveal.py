"""Break-glass unmasking in the browser: 查看完整号码 asks a reason in a small form; too short a reason is
answered in the form; a good one shows the number, marked as recorded, and the reveal is in 操作日志."""

import pytest
from playwright.sync_api import expect

from wuzaicun.testing.world import county_a_household

pytestmark = pytest.mark.browser


def test_the_reveal_asks_a_reason_and_lands_in_the_operation_log(live_world, live_server, log_in):
    household = county_a_household(live_world)
    number = household.reveal_resident_id()
    page = log_in("county_a")
    page.goto(f"{live_server.url}/registry/households/{household.pk}/")
    page.get_by_role("button", name="查看完整号码").click()
    reason = page.get_by_label("查看原因")
    expect(reason).to_be_visible()
    reason.fill("核对")
    reason.evaluate("el => el.removeAttribute('minlength')")  # the server's own check answers
    page.get_by_role("button", name="确认查看").click()
    expect(page.get_by_role("alert").filter(has_text="至少4个字")).to_be_visible()
    assert number not in page.content()
    page.get_by_label("查看原因").fill("核对户籍信息")
    page.get_by_role("button", name="确认查看").click()
    expect(page.locator("#resident-id")).to_have_text(number)
    expect(page.get_by_text("已留痕")).to_be_visible()

    page.context.clear_cookies()
    page = log_in("auditor_a")  # the audit administrator reads who revealed whose ID and why
    page.goto(f"{live_server.url}/audit/operations/?action=view_sensitive")
    expect(page.locator("#audit-table")).to_contain_text("核对户籍信息")
