"""At phone width the households list renders and the menu opens from the menu button."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/wzc-phone-{}.png"  # looked at by people; nothing compares pixels


def test_households_list_and_menu_at_390_wide(live_world, live_server, log_in, page):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("county_a")

    page.goto(f"{live_server.url}/registry/households/")
    expect(page.get_by_role("heading", name="农户（建档立卡户）")).to_be_visible()
    expect(page.locator("#households-table tbody tr")).to_have_count(6)  # county A: 2 villages × 3
    expect(page.locator("#households-table")).to_contain_text("甲村户主0")
    # The page itself does not scroll sideways; only the table's own wrapper may.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.screenshot(path=SCREENSHOTS.format("households"), full_page=True)

    menu = page.locator("#sidebar")
    expect(menu.get_by_role("link", name="区划树")).not_to_be_visible()
    page.get_by_role("button", name="打开菜单").click()
    expect(menu).to_have_class(re.compile(r"^(?!.*\bshowing\b).*\bshow\b"))  # the slide-in has finished
    expect(menu.get_by_role("link", name="区划树")).to_be_visible()
    expect(menu.get_by_role("link", name="农户")).to_be_visible()
    page.screenshot(path=SCREENSHOTS.format("menu"))

    menu.get_by_role("link", name="区划树").click()
    expect(page.get_by_role("heading", name="红花岗区")).to_be_visible()


def test_the_household_card_fits_a_phone_and_still_prints_on_a5(live_world, live_server, log_in, page):
    household = live_world.households["520302001001"][0]
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("county_a")

    page.goto(f"{live_server.url}/insight/households/{household.pk}/card/")
    expect(page.locator("#card")).to_contain_text("明白卡")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")
    box = page.locator("#card").bounding_box()
    assert box is not None and box["width"] > 390  # the A5 sheet (132 mm inside its margins), not the phone
