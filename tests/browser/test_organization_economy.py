"""组织保障 entered with the village picker and found in the list with its shortfall; an entity whose income
ends a 空壳村 — by mouse and keyboard, nothing typed as a code."""

import os
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:
    if folder := os.environ.get("WUZAICUN_SCREENSHOTS"):
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_guarantees_are_entered_with_the_picker_and_an_entity_ends_a_shell(live_world, live_server, log_in):
    page = log_in("township_a")
    page.goto(f"{live_server.url}/organization/guarantees/new/?year=2016")
    page.get_by_role("combobox", name=re.compile(r"^村")).fill("乙")
    page.get_by_role("option", name=re.compile("乙村")).click()
    page.get_by_label("年度").fill("2016")
    page.get_by_label(re.compile("村干部月报酬")).fill("1800")
    page.get_by_label(re.compile("村级组织运转经费")).fill("45000")
    page.get_by_label(re.compile("服务群众专项经费")).fill("50000")
    page.get_by_label(re.compile("党员人均活动经费")).fill("120")
    page.get_by_label(re.compile("村干部人均培训经费")).fill("600")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存组织保障")).to_be_visible()
    row = page.locator("#guarantees-table tr", has_text="乙村")
    expect(row).to_contain_text("村干部月报酬1,800元/月，低于标准2,000元/月")
    expect(page.get_by_text("共 1 条")).to_be_visible()
    _shot(page, "guarantees")
    page.goto(f"{live_server.url}/organization/guarantees/compliance/?year=2016")
    expect(page.locator("#shortfalls-table")).to_contain_text("乙村")
    _shot(page, "compliance")

    page.goto(f"{live_server.url}/organization/entities/shells/?year=2016")
    expect(page.locator("#shells-table")).to_contain_text("甲村")
    page.goto(f"{live_server.url}/organization/entities/new/?year=2016")
    page.get_by_role("combobox", name=re.compile(r"^村")).fill("甲")
    page.get_by_role("option", name=re.compile("甲村")).click()
    page.get_by_label("名称").fill("甲村茶叶专业合作社")
    page.get_by_label("类型").select_option(label="专业合作社")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("请填报年度收入")).to_be_visible()
    page.get_by_label("集体收入（元）").fill("30000")
    page.get_by_label("经营收入（元）").fill("90000.50")
    page.get_by_role("button", name="保存收入").click()
    expect(page.locator("#incomes-table")).to_contain_text("90,000.50")
    _shot(page, "entity")
    page.goto(f"{live_server.url}/organization/entities/shells/?year=2016")
    expect(page.locator("#shells-table")).not_to_contain_text("甲村")
    _shot(page, "shells")
