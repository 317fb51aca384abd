"""六定一化考核 in the browser: a county administrator picks a township in the region tree, grades its 第一书记,
opens one cadre's score to the records behind it, and confirms the township's grades."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from wuzaicun.cadres.models import CadreGrade, Dispatch
from wuzaicun.cadres.services.grading import enter_score
from wuzaicun.registry.models import Unit
from wuzaicun.responsibility.models import Assignment, LedgerLine
from wuzaicun.testing import factories

pytestmark = pytest.mark.browser
A1, A2, B1 = "520302001001", "520302001002", "520303100201"


def _cadre(world, village, name, score):
    county = world.regions[village[:6] + "000000"]
    person = factories.person(county, name=name, rank="乡科级")
    unit, _ = Unit.objects_unscoped.get_or_create(region=county, name="县委组织部")
    Dispatch.objects_unscoped.create(person=person, kind="first_secretary", unit=unit, village=world.regions[village],
                                     start=dt.date(2015, 3, 1))
    entry = Assignment.objects_unscoped.create(year=2016, kind="stationed", person=person, village=world.regions[village],
                                               stationed_post="第一书记")
    LedgerLine.objects_unscoped.create(assignment=entry, year=2016, commitment=f"{name}：发展茶叶产业", status="fulfilled")
    for code in ("democratic", "satisfaction"):
        enter_score(actor=world.users["sysadmin"], year=2016, role="first_secretary", person_id=person.pk, code=code,
                    score=score)
    return person


def test_a_county_grades_a_townships_cadres_opens_a_source_and_confirms(live_world, live_server, log_in):
    from decimal import Decimal

    _cadre(live_world, A1, "张书记", Decimal(95))
    _cadre(live_world, A2, "李书记", Decimal(75))
    other = _cadre(live_world, B1, "赵书记", Decimal(90))

    page = log_in("county_a")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/cadres/grades/?year=2016&role=first_secretary")
    expect(page.get_by_role("heading", name="2016年度第一书记六定一化考核")).to_be_visible()
    tree = page.locator("#region-tree")
    tree.get_by_role("link", name="老城街道").click()
    expect(page).to_have_url(re.compile(r"region=520302001000"))
    page.get_by_role("button", name="计算等次").click()
    expect(page.locator(".alert-success")).to_contain_text("已计算2016年度第一书记考核等次：2 人")
    table = page.locator("#grades-table")
    expect(table).to_contain_text("张书记")
    expect(table).to_contain_text("李书记")
    expect(table).not_to_contain_text("赵书记")
    expect(page.locator("#list")).to_contain_text("共 2 条")

    table.locator("tr", has_text="张书记").get_by_role("link", name="得分来源").click()
    expect(page.get_by_role("heading", name=re.compile("张书记"))).to_be_visible()
    ledger = page.locator("#indicator-ledger")
    expect(ledger).to_contain_text("责任台账兑现率")
    expect(ledger).to_contain_text("20.00")
    ledger.get_by_text("1 条记录").click()
    source = ledger.get_by_role("link", name=re.compile("张书记：发展茶叶产业"))
    expect(source).to_be_visible()
    expect(page.locator("#grade-basis")).to_contain_text("等次如何确定")
    expect(page.locator("#grade-status")).to_have_text("待确认")
    source.click()
    expect(page).to_have_url(re.compile(r"/responsibility/ledger/person/\d+/\?year=2016"))
    expect(page.locator("main")).to_contain_text("发展茶叶产业")

    page.goto(f"{live_server.url}/cadres/grades/?year=2016&role=first_secretary&region=520302001000")
    page.get_by_role("button", name="确认", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已确认2016年度第一书记考核等次 2 人")
    expect(page.locator("#grades-table")).to_contain_text("已确认")
    assert set(CadreGrade.objects_unscoped.values_list("status", flat=True)) == {"confirmed"}
    assert not CadreGrade.objects_unscoped.filter(person=other).exists()
