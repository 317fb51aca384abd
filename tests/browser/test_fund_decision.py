"""A fund-use decision by 四议两公开 from the village's proposal to the published result: the village reporter
proposes, the township records 乡镇党委把关, the reporter records the meetings (the 党员大会 refused first for want
of a quorum, the message naming the rule), the resolution, its publicity, the implementation and the result's
publicity, and opens the printed 公示."""

import re

import pytest
from playwright.sync_api import Page, expect

from wuzaicun.resources.models import DecisionMinutes, FundDecision
from wuzaicun.testing.world import PASSWORD

pytestmark = pytest.mark.browser
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _record(page: Page, date: str, fields: dict[str, str] | None = None, select: dict[str, str] | None = None) -> None:
    form = page.locator("#step-form")
    form.get_by_label("日期").fill(date)
    for label, value in (select or {}).items():
        form.get_by_label(label).select_option(value)
    for label, value in (fields or {}).items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name=re.compile("^记录")).click()


def test_a_decision_from_proposal_to_published_result(live_world, live_server, log_in, browser, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    minutes = tmp_path / "支委会提议记录.png"
    minutes.write_bytes(PNG)

    page = log_in("reporter_a")
    page.goto(f"{live_server.url}/resources/decisions/new/?year=2016")
    page.get_by_role("combobox", name=re.compile(r"^村")).fill("甲")
    page.get_by_role("option", name=re.compile("甲村")).click()
    page.get_by_label("事项").fill("使用帮扶结余资金修建通组路")
    page.get_by_label("资金类型").select_option(label="单位帮扶结余资金")
    page.get_by_label("金额（元）").fill("50,000.00")
    page.get_by_label("提议日期").fill("2016-04-01")
    page.get_by_label("会议记录（JPG、PNG 或 PDF，可多选）").set_input_files(minutes)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记村党组织提议")
    expect(page.locator("#decision-timeline")).to_contain_text("支委会提议记录.png")
    expect(page.locator("#waits-township")).to_contain_text("须由乡镇（或以上）的用户记录")
    decision = FundDecision.objects_unscoped.get()

    township = browser.new_page()
    township.goto(f"{live_server.url}/accounts/login/")
    township.get_by_label("用户名").fill("township_a")
    township.get_by_label("密码").fill(PASSWORD)
    township.get_by_role("button", name="登录").click()
    township.goto(f"{live_server.url}/resources/decisions/{decision.pk}/")
    _record(township, "2016-04-05", select={"把关意见": "同意"})
    expect(township.locator(".alert-success")).to_contain_text("已记录“乡镇党委把关”")

    page.goto(f"{live_server.url}/resources/decisions/{decision.pk}/")
    _record(page, "2016-04-10", {"应到人数": "7", "实到人数": "6", "赞成": "6"})
    expect(page.locator(".alert-success")).to_contain_text("已记录“村两委会议商议”")
    _record(page, "2016-04-15", {"应到人数": "52", "实到人数": "24", "赞成": "20"})
    expect(page.locator("#step-form")).to_contain_text("党员大会须有半数以上党员到会：应到52人，实到24人")
    _record(page, "2016-04-15", {"应到人数": "52", "实到人数": "40", "赞成": "35", "反对": "3", "弃权": "2"})
    expect(page.locator(".alert-success")).to_contain_text("已记录“党员大会审议”")
    _record(page, "2016-04-20", {"应到人数": "30", "实到人数": "25", "赞成": "21"},
            select={"会议形式": "村民代表会议"})
    expect(page.locator(".alert-success")).to_contain_text("已记录“村民会议或村民代表会议决议”")
    _record(page, "2016-05-03", {"公示天数": "7"})
    expect(page.locator(".alert-success")).to_contain_text("已记录“决议公开”")
    expect(page.locator("main")).to_contain_text("2016-05-10起")
    _record(page, "2016-05-12", {"意见或说明": "施工队进场"})
    expect(page.locator(".alert-success")).to_contain_text("已记录“实施”")
    _record(page, "2016-08-01", {"公示天数": "10"})
    expect(page.locator("#decision-status")).to_have_text("已完成")
    assert DecisionMinutes.objects_unscoped.count() == 1

    with page.expect_popup() as opened:
        page.locator("#notice-result").click()
    notice = opened.value
    expect(notice.locator("#notice")).to_contain_text("公　示")
    expect(notice.locator("#notice")).to_contain_text("使用帮扶结余资金修建通组路")
    expect(notice.locator("#notice")).to_contain_text("应到52人，实到40人，赞成35票")
    expect(notice.locator("#notice")).to_contain_text("2016年8月1日至2016年8月10日（10天）")
    notice.emulate_media(media="print")
    expect(notice.locator(".sidebar")).to_be_hidden()
