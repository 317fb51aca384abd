"""An entry made with the pickers: type a village, choose it, pick a person, tick households, see the
kind's duties, save, and find the entry in the list; all by mouse and keyboard, nothing typed as a number."""

import re

import pytest
from playwright.sync_api import expect

from wuzaicun.responsibility.duties import STANDARD_DUTIES
from wuzaicun.testing import factories
from wuzaicun.testing.lists import VILLAGE, YEAR, open_test_year

pytestmark = pytest.mark.browser


def test_an_entry_is_created_with_the_pickers(live_world, live_server, log_in):
    open_test_year()
    factories.person(live_world.regions[VILLAGE], name="王助村", rank="农村党员")
    households = live_world.households[VILLAGE]
    page = log_in("township_a")
    page.goto(f"{live_server.url}/responsibility/entries/new/?year={YEAR}")

    page.get_by_label("清单类型").select_option(label="助村")
    duties = page.locator("#field-duties")
    for duty in STANDARD_DUTIES["helper"]:
        expect(duties.get_by_label(duty)).to_be_checked()
    expect(duties.get_by_label("学习贯彻")).to_have_count(0)  # the 帮村 duties went with the kind

    page.get_by_role("combobox", name=re.compile(r"^村")).fill("甲")
    page.get_by_role("option", name=re.compile("甲村")).click()
    expect(page.locator("[data-picker=village_code] .picker-chip")).to_contain_text("甲村（红花岗区老城街道）")

    person = page.get_by_label("责任人")
    person.fill("王助")
    expect(page.get_by_role("option", name=re.compile("王助村"))).to_be_visible()
    person.press("ArrowDown")
    page.keyboard.press("Enter")  # the keyboard chooses as the mouse does
    expect(page.locator("[data-picker=person_id] .picker-chip")).to_contain_text("王助村（红花岗区甲村")

    page.get_by_label("帮扶户").focus()  # the chosen village's households are offered at once
    page.get_by_role("option", name=re.compile(households[0].head_name)).click()
    page.get_by_role("option", name=re.compile(households[1].head_name)).click()
    chips = page.locator("[data-picker=household_ids] .picker-chip")
    expect(chips).to_have_count(2)
    chips.first.get_by_role("button", name=re.compile("移除")).click()
    expect(chips).to_have_count(1)
    page.get_by_role("option", name=re.compile(households[2].head_name)).click()
    expect(chips).to_have_count(2)

    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已新增清单条目")).to_be_visible()
    row = page.locator("#entries-table tr", has_text="王助村")
    expect(row).to_contain_text("甲村")
    expect(row).to_contain_text("走访、结对")
    expect(row.locator("td").nth(4)).to_have_text("2")


def test_the_region_tree_filters_the_people_list_and_folds_away_on_a_phone(live_world, live_server, log_in, page):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("county_a")
    page.goto(f"{live_server.url}/registry/people/")
    tree = page.locator("#region-tree")
    expect(tree).to_be_hidden()
    page.get_by_role("button", name="按区划筛选").click()
    expect(tree).to_be_visible()
    tree.get_by_role("button", name="展开或收起老城街道").click()
    tree.get_by_role("link", name="乙村").click()
    expect(page).to_have_url(re.compile(r"region=520302001002"))
    table = page.locator("#people-table")
    expect(table).to_contain_text("乙村党员0")
    expect(table).not_to_contain_text("甲村党员0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
