"""A township user reconciles a ledger line with a photo; the township's reviewer sends it back with a note."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from wuzaicun.accounts.models import User
from wuzaicun.core.operator import OPERATOR
from wuzaicun.responsibility.models import Reconciliation
from wuzaicun.responsibility.services import add_line, lock_line, open_year
from wuzaicun.testing.world import PASSWORD

pytestmark = pytest.mark.browser
VILLAGE = "520302001001"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _locked_line(world):
    from wuzaicun.testing.lists import cover_village

    open_year(actor=OPERATOR, year=2016, due=dt.date(2100, 3, 1))
    made = cover_village(world, VILLAGE)
    line = add_line(actor=world.users["township_a"], assignment_id=made["stationed"].pk, commitment="发展茶叶产业",
                    target_value=Decimal("50"), target_unit="亩")
    return lock_line(actor=world.users["township_a"], line_id=line.pk)


def test_reconcile_with_a_photo_and_the_reviewer_returns_it(live_world, live_server, log_in, browser, tmp_path):
    line = _locked_line(live_world)
    reviewer = User(username="township_reviewer", role="township_admin", scope=live_world.regions["520302001000"],
                    password=live_world.users["township_a"].password)
    reviewer.save()
    photo = tmp_path / "茶园.png"
    photo.write_bytes(PNG)

    page = log_in("township_a")
    page.goto(f"{live_server.url}/responsibility/ledger/village/{VILLAGE}/?year=2016&quarter=2")
    row = page.locator("#ledger-table tbody tr", has_text="发展茶叶产业")
    expect(row).to_contain_text("待对账")
    row.get_by_role("link", name="对账").click()
    page.get_by_label("季度").select_option("2")
    page.get_by_label("完成值").fill("20")
    page.get_by_label("进展情况").fill("已种植20亩茶园")
    page.get_by_label("佐证材料（照片或 PDF，可多选）").set_input_files(photo)
    page.get_by_role("button", name="提交对账").click()
    expect(page.locator(".alert-success")).to_contain_text("第2季度对账已提交")
    entry = Reconciliation.objects_unscoped.get(line=line, quarter=2)
    assert entry.evidence.count() == 1 and entry.state == "pending"

    other = browser.new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    other.get_by_label("用户名").fill("township_reviewer")
    other.get_by_label("密码").fill(PASSWORD)
    other.get_by_role("button", name="登录").click()
    other.goto(f"{live_server.url}/responsibility/review/")
    item = other.locator(f"#review-{entry.pk}")
    expect(item).to_contain_text("已种植20亩茶园")
    item.get_by_label("审核结论").select_option("returned")
    item.get_by_label("审核意见").fill("照片看不清，请补充")
    item.get_by_role("button", name="提交").click()
    reviewed = other.locator(f"#review-{entry.pk}.table-light")  # the row htmx swapped in
    expect(reviewed).to_contain_text("退回")
    expect(reviewed).to_contain_text("照片看不清，请补充")
    assert Reconciliation.objects_unscoped.get(pk=entry.pk).state == "returned"

    page.goto(f"{live_server.url}/responsibility/ledger/village/{VILLAGE}/?year=2016&quarter=2")
    expect(page.locator("#ledger-table tbody tr", has_text="发展茶叶产业")).to_contain_text("照片看不清，请补充")
