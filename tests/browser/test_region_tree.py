"""Browsing the region tree down to a household shows its ID masked, never the full number."""

import re

import pytest
from playwright.sync_api import expect

from wuzaicun.testing.world import county_a_household

pytestmark = pytest.mark.browser


def test_tree_to_household_detail_shows_only_the_masked_id(live_world, live_server, log_in):
    household = county_a_household(live_world)
    page = log_in("county_a")

    page.goto(f"{live_server.url}/registry/tree/")
    expect(page.get_by_role("heading", name="红花岗区")).to_be_visible()
    page.locator("#region-children").get_by_role("link", name="老城街道").click()
    expect(page.get_by_role("heading", name="老城街道")).to_be_visible()
    page.locator("#region-children").get_by_role("link", name="甲村").click()
    expect(page.get_by_role("heading", name="甲村")).to_be_visible()

    row = page.locator("#village-households tr", has_text=household.head_name)
    row.get_by_role("link", name="详情").click()

    expect(page.get_by_role("heading", name=f"{household.head_name}户")).to_be_visible()
    shown = page.locator("#resident-id")
    expect(shown).to_have_text(re.compile(r"^520302\*{8}\d{3}[\dX]$"))
    assert household.reveal_resident_id() not in page.content()
