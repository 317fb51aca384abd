"""A households CSV with one bad row: the preview names the row and column, and nothing is imported."""

import pytest
from playwright.sync_api import expect

from wuzaicun.registry.models import Household
from wuzaicun.testing.factories import next_resident_id

pytestmark = pytest.mark.browser

HEADER = "区划代码,户主姓名,身份证号,家庭人口,贫困状态,识别年度,脱贫年度,致贫原因,人均纯收入"


def _wrong_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def test_bad_row_is_reported_and_no_row_is_imported(live_world, live_server, log_in, tmp_path):
    before = Household.objects_unscoped.count()
    good, bad = next_resident_id("520302"), _wrong_check_digit(next_resident_id("520302"))
    csv = tmp_path / "贫困户.csv"
    lines = [
        HEADER,
        f"520302001001,张好,{good},4,未脱贫,2014,,因病,2300",  # 第2行: valid
        f"520302001001,李错,{bad},3,未脱贫,2014,,因学,1800",  # 第3行: wrong check digit
    ]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = log_in("county_a")

    page.goto(f"{live_server.url}/imports/households/upload/")
    page.get_by_label("选择文件").set_input_files(csv)
    page.get_by_role("button", name="上传并检查").click()

    expect(page.locator("#import-result")).to_contain_text("未导入任何数据")
    issue = page.locator("#import-issues tbody tr", has_text="第3行")
    expect(issue).to_have_count(1)
    expect(issue).to_contain_text("身份证号")
    expect(issue).to_contain_text("校验码")
    expect(page.locator("#import-issues tbody tr", has_text="第2行")).to_have_count(0)
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)

    assert Household.objects_unscoped.count() == before
    assert not Household.objects_unscoped.filter(head_name__in=["张好", "李错"]).exists()
