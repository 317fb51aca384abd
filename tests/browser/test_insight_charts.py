"""The overview's charts as a city user: a chart is drawn, 表 shows its numbers, a county's row opens that
county's page, and a bar click goes one level down too."""

import re

import pytest
from playwright.sync_api import expect

from wuzaicun.insight.tests.data import populate

pytestmark = pytest.mark.browser


def test_overview_chart_toggles_to_its_table_and_a_county_row_drills_down(live_world, live_server, log_in):
    populate(live_world, "a", 1)
    populate(live_world, "b", 2)
    errors: list[str] = []
    page = log_in("city")
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/insight/?year=2016")
    card = page.locator("#resources-funds-areas")
    expect(card.locator("[data-chart] canvas")).to_have_count(1)
    expect(card.locator("[data-chart-table]")).to_be_hidden()

    card.get_by_role("button", name="表").click()
    expect(card.get_by_role("button", name="表")).to_have_attribute("aria-pressed", "true")
    expect(card.locator("[data-chart]")).to_be_hidden()
    table = card.locator("[data-chart-table]")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("汇川区"))).to_contain_text("2.50万")

    table.get_by_role("link", name="汇川区").click()
    expect(page).to_have_url(re.compile(r"/insight/\?region=520303000000&year=2016$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("汇川区")
    expect(page.locator(".breadcrumb")).to_contain_text("遵义市")
    expect(page.locator("#resources-funds-areas [data-chart-table]")).to_contain_text("高坪镇")

    # a bar click: the county's only township, one level down
    chart = page.locator("#resources-funds-areas [data-chart]")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    bar = page.evaluate("""() => {
        const chart = document.querySelector('#resources-funds-areas [data-chart]').wzChart;
        const rect = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
        return [rect.x + rect.width / 2, rect.y + rect.height / 2];
    }""")
    page.mouse.click(box["x"] + bar[0], box["y"] + bar[1])
    expect(page).to_have_url(re.compile(r"region=520303100000&year=2016$"))
    assert not [e for e in errors if "Content Security Policy" in e or "echarts" in e.lower()], errors
