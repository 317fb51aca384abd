"""A weak village organisation from the county's 倒排 proposal to 已转化: the county proposes and confirms the
list, fills in the case with a county leader chosen by the picker, records progress with a photo and submits;
the township signs off, then the county."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from wuzaicun.organization.models.rectification import CaseEvidence, RectificationCase
from wuzaicun.organization.services.rectification import set_democratic_score
from wuzaicun.regions.models import VillageYear
from wuzaicun.testing import factories
from wuzaicun.testing.world import PASSWORD

pytestmark = pytest.mark.browser
WEAK, OTHER = "520302001001", "520302001002"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_case_from_proposal_to_transformed(live_world, live_server, log_in, browser, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    for code, score in ((WEAK, "41.5"), (OTHER, "92")):
        set_democratic_score(actor=live_world.users["sysadmin"], year=2016, village_code=code, score=Decimal(score))
    factories.person(live_world.regions["520302000000"], name="李县长", rank="县处级")
    photo = tmp_path / "组织生活会.png"
    photo.write_bytes(PNG)

    page = log_in("county_a")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/organization/rectification/?year=2016")
    expect(page.locator("main")).to_contain_text("尚未提出倒排名单")
    page.get_by_label("倒排数量").fill("1")
    page.get_by_role("button", name="提出倒排名单").click()
    expect(page.locator(".alert-success")).to_contain_text("已提出2016年度倒排名单")
    first = page.locator("#ranking-table tbody tr").first
    expect(first).to_contain_text("甲村")
    expect(first).to_contain_text("41.50")
    expect(first).to_contain_text("列入整顿")
    page.get_by_role("button", name="确认名单").click()
    expect(page.locator(".alert-success")).to_contain_text("新建整顿案例 1 个")

    page.goto(f"{live_server.url}/organization/rectification/cases/?year=2016")
    page.locator("#cases-table tbody tr", has_text="甲村").get_by_role("link", name="查看").click()
    expect(page.locator("#case-status")).to_have_text("整顿中")
    page.get_by_label("主要问题").fill("班子不团结，组织生活不规范")
    page.get_by_label("整顿方案").fill("年内完成整顿转化")
    page.get_by_label("整顿措施").fill("调整村“两委”班子，落实“三会一课”")
    page.get_by_role("combobox", name=re.compile("责任县领导")).fill("李县")
    page.get_by_role("option", name=re.compile("李县长")).click()
    expect(page.locator("[data-picker=leader_id] .picker-chip")).to_contain_text("李县长")
    page.get_by_label("整顿时限").fill("2100-12-31")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存整顿案例")

    page.get_by_label("进展情况").fill("召开专题组织生活会，查摆问题")
    page.get_by_label("佐证材料（JPG、PNG 或 PDF，可多选）").set_input_files(photo)
    page.get_by_role("button", name="录入进展").click()
    expect(page.locator(".alert-success")).to_contain_text("佐证材料 1 份")
    expect(page.locator("#progress-table")).to_contain_text("组织生活会.png")
    page.get_by_role("button", name="提交验收").click()
    expect(page.locator("#case-status")).to_have_text("待验收")
    case = RectificationCase.objects_unscoped.get(village_id=WEAK, year=2016)
    assert CaseEvidence.objects_unscoped.filter(progress__case=case).count() == 1

    township = browser.new_page()
    township.goto(f"{live_server.url}/accounts/login/")
    township.get_by_label("用户名").fill("township_a")
    township.get_by_label("密码").fill(PASSWORD)
    township.get_by_role("button", name="登录").click()
    township.goto(f"{live_server.url}/organization/rectification/cases/{case.pk}/")
    expect(township.locator("#review-form")).to_contain_text("乡镇验收")
    township.get_by_label("验收结论").select_option("approved")
    township.get_by_role("button", name="签署验收意见").click()
    expect(township.locator(".alert-success")).to_contain_text("已完成乡镇验收：通过")
    expect(township.locator("#review-form")).to_have_count(0)  # the county's step is not the township's

    page.goto(f"{live_server.url}/organization/rectification/cases/{case.pk}/")
    expect(page.locator("#review-form")).to_contain_text("县级验收")
    page.get_by_label("验收结论").select_option("approved")
    page.get_by_label("意见").fill("整顿到位，同意转化")
    page.get_by_role("button", name="签署验收意见").click()
    expect(page.locator(".alert-success")).to_contain_text("该村党组织已转化")
    expect(page.locator("#case-status")).to_have_text("已转化")
    expect(page.locator("#case-facts")).to_contain_text("整顿到位，同意转化")
    assert VillageYear.objects_unscoped.get(village_id=WEAK, year=2017).is_weak_organisation is False


def test_the_score_list_is_narrowed_to_an_area_picked_by_name_and_reset(live_world, live_server, log_in):
    for code, score in ((WEAK, "41.5"), ("520303100201", "77")):
        set_democratic_score(actor=live_world.users["sysadmin"], year=2016, village_code=code, score=Decimal(score))
    page = log_in("city")
    page.goto(f"{live_server.url}/organization/rectification/democratic/?year=2016")
    table = page.locator("#scores-table tbody")
    expect(table).to_contain_text("甲村")
    expect(table).to_contain_text("丙村")

    page.get_by_role("combobox", name=re.compile("地区|输入地名")).fill("汇川")
    page.get_by_role("option", name=re.compile("汇川区")).click()
    page.get_by_role("button", name="搜索").click()
    expect(table).to_contain_text("丙村")
    expect(table).not_to_contain_text("甲村")
    expect(page).to_have_url(re.compile("region=520303000000"))

    page.get_by_role("button", name="重置").click()  # clears the area picked too
    expect(table).to_contain_text("甲村")
    expect(table).to_contain_text("丙村")
    expect(page.locator("[data-picker=region] .picker-chip")).to_have_count(0)
