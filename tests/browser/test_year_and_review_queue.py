"""The year selector moves a page between years; the review queue pages and approves in a batch; an
inspector opens a saved finding and corrects it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from wuzaicun.core.operator import OPERATOR
from wuzaicun.responsibility.models import Reconciliation
from wuzaicun.responsibility.services import add_line, lock_line, open_year, submit_reconciliation
from wuzaicun.testing.lists import VILLAGE, cover_village
from wuzaicun.verification.models import Finding, SpotCheckPick
from wuzaicun.verification.services import draw_spot_check_plan, record_finding

pytestmark = pytest.mark.browser


def _pending(world, count):
    open_year(actor=OPERATOR, year=2016, due=dt.date(2100, 3, 1))
    open_year(actor=OPERATOR, year=2015, due=dt.date(2100, 3, 1))
    made = cover_village(world, VILLAGE)
    township = world.users["township_a"]
    done = []
    for index in range(count):
        line = add_line(actor=township, assignment_id=made["stationed"].pk, commitment=f"承诺事项{index:02d}",
                        target_value=Decimal("10"), target_unit="户")
        lock_line(actor=township, line_id=line.pk)
        done.append(submit_reconciliation(actor=world.users["reporter_a"], line_id=line.pk, quarter=1,
                                          narrative="进展", today=dt.date(2016, 6, 1)))
    return done


def test_the_year_selector_and_a_paged_review_queue_with_batch_approval(live_world, live_server, log_in):
    pending = _pending(live_world, 12)
    page = log_in("township_a")
    page.goto(f"{live_server.url}/responsibility/review/?page_size=10")
    expect(page.locator(".pagination-bar")).to_contain_text("共 12 条")
    expect(page.get_by_label("年度").first).to_have_value("2016")
    page.get_by_label("全选本页").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="批量通过").click()
    expect(page.locator(".alert-success")).to_contain_text("已批量通过 10 条对账")
    expect(page.locator(".pagination-bar")).to_contain_text("共 2 条")
    states = [Reconciliation.objects_unscoped.get(pk=r.pk).state for r in pending]
    assert states.count("approved") == 10 and states.count("pending") == 2

    page.get_by_label("年度").first.select_option("2015")
    expect(page).to_have_url(re.compile(r"year=2015"))
    expect(page.locator("#review-queue")).to_contain_text("没有待审核的对账")


def test_an_inspector_opens_a_saved_finding_and_corrects_it(live_world, live_server, log_in):
    open_year(actor=OPERATOR, year=2016, due=dt.date(2100, 3, 1))
    cover_village(live_world, VILLAGE)
    inspector = live_world.users["inspector_a"]
    plan = draw_spot_check_plan(actor=live_world.users["county_a"], year=2016, quarter=3,
                                region_code="520302000000", inspector_ids=[inspector.pk])
    pick = SpotCheckPick.objects_unscoped.filter(plan=plan, stratum__startswith="stationed").get()
    record_finding(actor=inspector, pick_id=pick.pk, visited_on=dt.date(2016, 8, 2), inspector_ids=[inspector.pk],
                   checklist={"no_notice": True}, result="in_place", notes="到位")

    page = log_in("inspector_a")
    page.goto(f"{live_server.url}/verification/plans/")
    expect(page.locator("#plans-table")).to_contain_text("2016年第3季度")
    page.goto(f"{live_server.url}/verification/plans/{plan.pk}/")
    row = page.locator("#picks-table tbody tr", has_text="驻村")
    row.locator("summary", has_text="修改结果").click()
    expect(row.get_by_label("检查日期")).to_have_value("2016-08-02")
    expect(row.get_by_label("不发通知")).to_be_checked()
    row.get_by_label("检查结果").select_option("not_in_place")
    row.get_by_label("情况说明").fill("产业未落地")
    row.get_by_label("处理方式").select_option("talk")
    row.get_by_label("处理决定（文号或记录）").fill("红组通〔2016〕3号")
    row.get_by_label("整改任务").fill("一个月内落实产业项目")
    row.get_by_label("整改期限").fill("2016-09-02")
    row.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已修改检查结果")
    finding = Finding.objects_unscoped.get(pick=pick)
    assert finding.result == "not_in_place" and finding.sanctions.get().task == "一个月内落实产业项目"
