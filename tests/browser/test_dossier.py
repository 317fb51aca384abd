"""一村一档 → 一户一档 → 明白卡 in the browser: a county administrator opens a village's file, clicks a household,
opens its 明白卡 and prints it; the card fits one A5 page and shows the ID only in the public profile."""

import re

import pytest
from playwright.sync_api import expect

from wuzaicun.insight.tests.data import YEAR, populate
from wuzaicun.resources.models import KinPairing
from wuzaicun.testing import factories

pytestmark = pytest.mark.browser
VILLAGE = "520302001001"  # 甲村
A5_MM = (148, 210)
PX_PER_MM = 96 / 25.4


def test_a_village_file_leads_to_a_household_and_its_card_prints_on_one_a5_page(live_world, live_server, log_in):
    populate(live_world, "a", 1)
    household = live_world.households[VILLAGE][0]
    for i in range(8):  # more helpers than the card lists: it still fits
        person = factories.person(live_world.regions[VILLAGE], name=f"结亲干部{i}")
        KinPairing.objects_unscoped.create(person=person, household=household, village_id=household.region_id,
                                           since=YEAR)
    number = household.reveal_resident_id()

    page = log_in("county_a")
    page.goto(f"{live_server.url}/insight/villages/{VILLAGE}/?year={YEAR}")
    expect(page.get_by_role("heading", name=re.compile("一村一档：甲村"))).to_be_visible()
    expect(page.locator("#block-dispatches")).to_contain_text("第一书记")
    page.get_by_role("link", name="农户", exact=True).click()
    expect(page).to_have_url(re.compile(r"#households$"))
    page.locator("#list").get_by_role("link", name="甲村户主0").click()

    expect(page.get_by_role("heading", name=re.compile("一户一档：甲村户主0户"))).to_be_visible()
    expect(page.locator("#helpers")).to_contain_text("结亲干部7")
    page.get_by_role("link", name="打印明白卡").click()
    expect(page).to_have_url(re.compile(rf"/insight/households/{household.pk}/card/"))
    card = page.locator("#card")
    expect(card).to_contain_text("党建扶贫“五在村”明白卡")
    expect(card).to_contain_text(f"{number[:2]}{'*' * 13}{number[-3:]}")
    assert number not in page.content()

    page.emulate_media(media="print")
    expect(page.locator(".card-tools")).to_be_hidden()
    box = card.bounding_box()
    assert box is not None
    # within the A5 sheet less the 8 mm margins of @page, its content not cut off
    assert box["width"] <= (A5_MM[0] - 16) * PX_PER_MM + 1
    assert box["height"] <= (A5_MM[1] - 16) * PX_PER_MM + 1
    assert card.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    pdf = page.pdf(format="A5", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the card takes {pages} A5 pages"
    size = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert size is not None
    width_mm, height_mm = (float(v) / 72 * 25.4 for v in size.groups())
    assert abs(width_mm - A5_MM[0]) < 1 and abs(height_mm - A5_MM[1]) < 1
