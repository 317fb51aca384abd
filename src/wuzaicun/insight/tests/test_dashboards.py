"""The dashboards: each mechanism's figures by child area against hand-built data in both counties (county A has
1 of everything, county B 2: `data.populate`), both scope directions, drill-down links down to the village's
file, 404 for the other county, the export, reporting completeness, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wuzaicun.insight.figures.areas import area_table, breakdown, mechanism, reporting
from wuzaicun.registry.selectors import household_year_counts
from wuzaicun.responsibility.models import Assignment, LedgerLine, Reconciliation
from wuzaicun.testing.world import World

from .data import COUNTIES, YEAR, populate

CITY = "520300000000"
A, B = COUNTIES["a"][0], COUNTIES["b"][0]
TOWNSHIP_A, TOWNSHIP_B = COUNTIES["a"][1], COUNTIES["b"][1]
POOR_A, OTHER_A = COUNTIES["a"][2], COUNTIES["a"][3]


@pytest.fixture
def populated(world: World) -> World:
    populate(world, "a", 1)
    populate(world, "b", 2)
    return world


def by_county(n: int) -> dict[str, dict[str, Any]]:
    """What each mechanism shows for a county populated with `n` (data.populate), in the year."""
    return {
        "responsibility": {"poor_villages": 1, "poor_villages_with_stationed": 1, "stationed_share": Decimal("100.00"),
                           "list_entries": 5 * n},
        "organization": {"rectified_organisations": n, "rectified_transformed": 1,
                         "transformed_share": (Decimal(100) / n).quantize(Decimal("0.01")),
                         "collective_income": Decimal("1000.50") * (n + 1)},
        "cadres": {"dispatched": n + 1, "poor_villages": 1, "poor_villages_with_group": 1,
                   "group_share": Decimal("100.00"), "poor_villages_with_first_secretary": 1},
        "resources": {"projects": n + 1, "project_funds": Decimal(10000 * n + 5000),
                      "project_funds_poor_villages": Decimal(10000 * n),
                      "poor_funds_share": (Decimal(100 * 10000 * n) / (10000 * n + 5000)).quantize(Decimal("0.01"))},
        "verification": {"findings": n, "findings_in_place": n - 1, "findings_not_in_place": 1,
                         "in_place_share": (Decimal(100 * (n - 1)) / n).quantize(Decimal("0.01")), "sanctions": 1,
                         "assessed_villages": n, "assessed_excellent": 1,
                         "excellent_share": (Decimal(100) / n).quantize(Decimal("0.01"))},
    }


KEYS = ("responsibility", "organization", "cadres", "resources", "verification")


def test_every_figure_is_charted_and_a_chart_has_one_unit() -> None:
    from wuzaicun.insight.figures.areas import mechanisms

    for mech in mechanisms():
        charted = {key for chart in mech.charts for key in chart.figures}
        assert charted == {f.key for f in mech.figures}, mech.key
        assert all(len({mech.figure(key).unit for key in chart.figures}) == 1 for chart in mech.charts), mech.key


@pytest.mark.parametrize("key", KEYS)
def test_the_city_sees_each_county_as_built(populated: World, key: str) -> None:
    data = breakdown(mechanism(key), populated.users["city"], year=YEAR, region=CITY, areas=[A, B])
    assert data.values[A] == by_county(1)[key]
    assert data.values[B] == by_county(2)[key]


@pytest.mark.parametrize("key", KEYS)
def test_a_county_user_sees_its_township_and_nothing_of_the_other_county(populated: World, key: str) -> None:
    for user, county, township, n in (("county_a", A, TOWNSHIP_A, 1), ("county_b", B, TOWNSHIP_B, 2)):
        other = TOWNSHIP_B if user == "county_a" else TOWNSHIP_A
        data = breakdown(mechanism(key), populated.users[user], year=YEAR, region=county, areas=[township, other])
        assert data.values[township] == by_county(n)[key]
        assert data.totals == by_county(n)[key]
        assert all(not value for value in data.values[other].values())  # the other county's township: nothing


def test_the_trend_has_a_line_per_figure_over_the_years_with_data(populated: World) -> None:
    data = breakdown(mechanism("responsibility"), populated.users["city"], year=YEAR, region=CITY, areas=[A, B])
    assert [year for year, _ in data.trend] == [YEAR - 1, YEAR]
    assert dict(data.trend)[YEAR - 1]["list_entries"] == 2  # one entry the year before in each county
    assert dict(data.trend)[YEAR]["list_entries"] == 15
    organization = breakdown(mechanism("organization"), populated.users["city"], year=YEAR, region=CITY, areas=[A, B])
    assert dict(organization.trend)[YEAR - 1]["rectified_organisations"] == 2


def test_a_township_breaks_down_by_village(populated: World) -> None:
    data = breakdown(mechanism("resources"), populated.users["township_a"], year=YEAR, region=TOWNSHIP_A,
                     areas=[POOR_A, OTHER_A])
    assert data.values[POOR_A]["projects"] == 1 and data.values[POOR_A]["poor_funds_share"] == Decimal("100.00")
    assert data.values[OTHER_A]["project_funds"] == Decimal("5000.00")
    assert data.values[OTHER_A]["poor_funds_share"] == Decimal("0.00")


def test_reporting_completeness_by_county(populated: World) -> None:
    due = timezone.make_aware(dt.datetime(YEAR, 2, 1))  # noqa: DTZ001 (Asia/Shanghai, as users enter it)
    Assignment.objects_unscoped.filter(village_id=POOR_A, year=YEAR).update(created_at=due)  # before 1 March
    for code, submitted in ((POOR_A, dt.date(YEAR, 4, 10)), (COUNTIES["b"][2], dt.date(YEAR, 5, 1))):
        entry = Assignment.objects_unscoped.filter(village_id=code, year=YEAR).first()
        line = LedgerLine.objects_unscoped.create(assignment=entry, year=YEAR, commitment="发展产业")
        Reconciliation.objects_unscoped.create(line=line, quarter=1, narrative="按计划推进",
                                               submitted_at=timezone.make_aware(dt.datetime.combine(submitted, dt.time(9))))
    found = reporting(populated.users["city"], year=YEAR, region=CITY, areas=[A, B])
    assert found.values[A] | {} == {
        "villages": 2, "lists_on_time": 1, "lists_on_time_share": Decimal("50.00"), "with_ledger": 1,
        "reconciled_on_time": 1, "reconciled_share": Decimal("100.00"), "picks": 1, "picks_with_finding": 1,
        "findings_share": Decimal("100.00")}
    assert found.values[B]["lists_on_time"] == 0 and found.values[B]["reconciled_on_time"] == 0  # Q1 due 15 April
    assert found.values[B]["with_ledger"] == 1 and found.values[B]["picks"] == 2  # the open plan's pick is secret
    assert found.totals["villages"] == 4 and found.totals["lists_on_time_share"] == Decimal("25.00")
    county_b = reporting(populated.users["county_b"], year=YEAR, region=B, areas=[TOWNSHIP_B, TOWNSHIP_A])
    assert county_b.values[TOWNSHIP_A]["villages"] == 0 and county_b.totals["villages"] == 2


TABLE = {"a": {"poor_villages": 1, "poor_villages_exited": 1, "dispatched": 2, "first_secretaries": 1,
               "villages_with_entity": 1, "poor_households": 6, "households_exited": 1},
         "b": {"poor_villages": 1, "poor_villages_exited": 1, "dispatched": 3, "first_secretaries": 2,
               "villages_with_entity": 1, "poor_households": 6, "households_exited": 2}}


def test_the_reports_table_by_area_is_a_breakdown_in_both_scope_directions(
        populated: World, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(3):  # the cadres' reader, villages with an entity, households
        found = area_table(populated.users["city"], year=YEAR, region=CITY, areas=[A, B])
    assert found.values == {A: TABLE["a"], B: TABLE["b"]} and found.trend == []
    assert found.totals == {key: TABLE["a"][key] + TABLE["b"][key] for key in TABLE["a"]}
    for user, county, township, other, side in (("county_a", A, TOWNSHIP_A, TOWNSHIP_B, "a"),
                                                ("county_b", B, TOWNSHIP_B, TOWNSHIP_A, "b")):
        mine = area_table(populated.users[user], year=YEAR, region=county, areas=[township, other])
        assert mine.values[township] == TABLE[side] == mine.totals
        assert not any(mine.values[other].values())  # the other county's township: nothing
    # households registered by a later year with no record of its own: still counted, as the overview counts them
    later = area_table(populated.users["city"], year=YEAR + 3, region=CITY, areas=[A, B])
    assert later.totals["poor_households"] == household_year_counts(populated.users["city"], year=YEAR + 3)["households"] > 0
    assert later.totals["households_exited"] == 0


def chart_data(html: str) -> dict[str, Any]:
    """{chart id: its JSON} of a page (json_script)."""
    found = re.findall(r'<script id="([^"]+)-data" type="application/json">(.*?)</script>', html, re.S)
    return {key: json.loads(text) for key, text in found}


def test_the_overview_charts_link_each_county_and_carry_their_numbers(populated: World, client_for: Any) -> None:
    response = client_for("city").get(reverse("insight:overview"), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    charts = chart_data(html)
    bars = charts["resources-funds-areas"]
    assert bars["labels"] == ["红花岗区", "汇川区"]
    assert bars["series"][0]["data"] == ["15000.00", "25000.00"]
    down = f"{reverse('insight:overview')}?region={A}&amp;year={YEAR}"
    assert f'href="{down}">红花岗区</a>' in html  # the table row
    assert bars["links"][0] == f"{reverse('insight:overview')}?region={A}&year={YEAR}"  # the bar
    assert "填报完整度" in html and "<script src=" in html and "vendor/echarts/echarts.min.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_a_mechanism_page_drills_down_to_the_villages_file(populated: World, client_for: Any) -> None:
    client = client_for("county_a")
    page = reverse("insight:cadres")
    response = client.get(page, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{page}?region={TOWNSHIP_A}&amp;year={YEAR}">老城街道</a>' in html
    assert "汇川区" not in html and "高坪镇" not in html
    response = client.get(page, {"year": YEAR, "region": TOWNSHIP_A})
    html = response.content.decode()
    village = reverse("insight:village", args=[POOR_A])
    assert f'href="{village}">甲村</a>' in html
    assert chart_data(html)["cadres-coverage-areas"]["links"][0] == village
    # the breadcrumb goes back up to the county
    assert f'<a href="{page}?region={A}&amp;year={YEAR}">红花岗区</a>' in html
    assert "trend" in "".join(chart_data(html))


@pytest.mark.parametrize("page", ["insight:overview", *[f"insight:{key}" for key in KEYS]])
def test_the_other_county_is_not_found(populated: World, client_for: Any, page: str) -> None:
    client = client_for("county_a")
    assert client.get(reverse(page), {"region": B}).status_code == 404
    assert client.get(reverse(page), {"region": TOWNSHIP_B}).status_code == 404
    assert client_for("county_b").get(reverse(page), {"region": TOWNSHIP_A}).status_code == 404


def test_the_export_gives_area_figure_value_unit(populated: World, client_for: Any, tmp_path: Any) -> None:
    from openpyxl import load_workbook

    response = client_for("city").post(reverse("tabular:export", args=["dashboard"]) + "?section=resources",
                                       {"year": YEAR, "region": CITY, "section": "resources"})
    assert response.status_code == 200
    target = tmp_path / "dashboard.xlsx"
    target.write_bytes(b"".join(response.streaming_content))
    rows = [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]
    assert rows[0] == ["板块", "区域", "指标", "数值", "单位"]
    assert ["资源在村整合", "红花岗区", "整合项目资金", 15000, "元"] in rows
    assert ["资源在村整合", "遵义市（合计）", "整合项目", 5, "个"] in rows
    assert {row[0] for row in rows[1:]} == {"资源在村整合"}
    everything = client_for("county_a").post(reverse("tabular:export", args=["dashboard"]),
                                             {"year": YEAR, "region": ""})
    target.write_bytes(b"".join(everything.streaming_content))
    rows = [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]
    assert {row[1] for row in rows[1:]} == {"老城街道", "红花岗区（合计）"}
    assert "填报完整度" in {row[0] for row in rows[1:]}


@pytest.mark.parametrize("region", [None, A, TOWNSHIP_A])
def test_pages_take_a_fixed_number_of_queries(populated: World, client_for: Any, region: str | None,
                                              django_assert_max_num_queries: Any) -> None:
    client = client_for("city")
    params = {"year": YEAR, **({"region": region} if region else {})}
    # cold (nothing cached): the same bound for a city, a county and a township, each cached part (figures,
    # five breakdowns, completeness) reading the data generation once
    with django_assert_max_num_queries(90):
        assert client.get(reverse("insight:overview"), params).status_code == 200
    for key in KEYS:
        with django_assert_max_num_queries(16):
            assert client.get(reverse(f"insight:{key}"), params).status_code == 200


@pytest.mark.parametrize("username", ["reporter_a", "inspector_a", "leader_a", "township_a", "sysadmin"])
def test_every_business_role_opens_the_dashboards_of_its_own_area(populated: World, client_for: Any,
                                                                   username: str) -> None:
    client = client_for(username)
    for page in ["insight:overview", *[f"insight:{key}" for key in KEYS]]:
        response = client.get(reverse(page), {"year": YEAR})
        assert response.status_code == 200, page
        assert "汇川区" not in response.content.decode() or username == "sysadmin"
    if username == "reporter_a":  # a village's scope: the village is its own only area, linking its file
        html = client.get(reverse("insight:resources"), {"year": YEAR}).content.decode()
        assert f'href="{reverse("insight:village", args=[POOR_A])}">甲村</a>' in html
