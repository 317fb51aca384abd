"""From the city's overview down to one household, by clicking only: city → county → township → village (each
a row of a chart's table), then the village's file 一村一档 and one of its households' 一户一档."""

import re

import pytest
from playwright.sync_api import Page, expect

from wuzaicun.insight.tests.data import YEAR, populate

pytestmark = pytest.mark.browser
CARD = "#resources-funds-areas"  # 项目资金 by area, on the overview


def _open_row(page: Page, name: str) -> None:
    card = page.locator(CARD)
    card.get_by_role("button", name="表").click()
    card.locator("[data-chart-table]").get_by_role("link", name=name, exact=True).click()


def test_the_overview_drills_down_to_a_household(live_world, live_server, log_in):
    populate(live_world, "a", 1)
    populate(live_world, "b", 2)
    household = live_world.households["520302001001"][0]
    page = log_in("city")

    page.goto(f"{live_server.url}/insight/?year={YEAR}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("遵义市")
    _open_row(page, "红花岗区")
    expect(page.get_by_role("heading", level=1)).to_contain_text("红花岗区")
    _open_row(page, "老城街道")
    expect(page.get_by_role("heading", level=1)).to_contain_text("老城街道")
    expect(page.locator(".breadcrumb")).to_contain_text("红花岗区")
    _open_row(page, "甲村")

    expect(page).to_have_url(re.compile(r"/insight/villages/520302001001/"))
    expect(page.get_by_role("heading", name=re.compile("一村一档：甲村"))).to_be_visible()
    page.get_by_role("link", name="农户", exact=True).click()
    page.locator("#list").get_by_role("link", name=household.head_name).click()
    expect(page.get_by_role("heading", name=re.compile(f"一户一档：{household.head_name}户"))).to_be_visible()
    assert household.reveal_resident_id() not in page.content()
