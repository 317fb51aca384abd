"""The figures through the command line, the page, the API and the export: the same figures, the user's scope,
a region outside it refused, a constant number of queries whatever the data."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wuzaicun.insight.figures import json_value
from wuzaicun.testing.api import api_client
from wuzaicun.testing.world import World

from .data import YEAR, city, expected, populate


@pytest.fixture
def populated(world: World) -> World:
    populate(world, "a", 1)
    populate(world, "b", 2)
    return world


def flat(document: dict[str, Any]) -> dict[str, Any]:
    return {f["key"]: f["value"] for s in document["sections"] for f in s["figures"]}


def as_json(figures: dict[str, Any]) -> dict[str, Any]:
    return {key: json_value(value) for key, value in figures.items()}


def stats(*args: str) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- command line -----------------------------------------------------------------------------------------

def test_the_json_document_has_every_figure_with_money_as_exact_strings(populated: World) -> None:
    document = json.loads(stats("--year", str(YEAR), "--json"))
    assert document["year"] == YEAR and document["region"] is None
    assert [s["key"] for s in document["sections"]] == ["responsibility", "organization", "cadres", "resources",
                                                        "verification", "results"]
    assert set(document["sections"][0]["figures"][0]) == {"key", "label", "value", "unit"}
    assert flat(document) == as_json(city())
    assert flat(document)["enterprise_funds_paid"] == "1500.75" and flat(document)["land_mu"] == "31.50"


def test_the_command_takes_a_region_prefix_and_the_users_scope(populated: World) -> None:
    narrowed = json.loads(stats("--year", str(YEAR), "--region", "520303", "--json"))
    assert narrowed["region"] == "520303000000" and flat(narrowed) == as_json(expected(2))
    mine = json.loads(stats("--year", str(YEAR), "--as", "county_a", "--json"))
    assert flat(mine) == as_json(expected(1))
    with pytest.raises(CommandError, match="不存在或不在您的管辖范围内"):
        stats("--year", str(YEAR), "--region", "520303", "--as", "county_a")
    with pytest.raises(CommandError, match="区划代码“52x”无效"):
        stats("--region", "52x")


def test_the_year_defaults_to_the_working_year(populated: World, year_open: int) -> None:
    assert json.loads(stats("--json"))["year"] == year_open


def test_the_text_table_is_in_chinese_with_separators(populated: World) -> None:
    text = stats("--year", str(YEAR), "--region", "520302")
    assert text.startswith("2016年度数据概览（红花岗区）")
    assert "干部在村成长" in text and "选派第一书记和驻村干部" in text
    assert "1,500.00 元" in text  # 按决策已支付资金


# --- page ---------------------------------------------------------------------------------------------------

def test_the_page_shows_the_users_figures_and_not_the_other_countys(
        populated: World, client_for: Callable[[str], Client]) -> None:
    page = client_for("county_b").get("/insight/", {"year": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert "数据概览" in html and "资源在村整合" in html
    assert 'data-key="projects_driven"' in html and ">4</td>" in html  # B's 2 secretaries drive 2 projects each
    assert "材料数" not in html  # the seed's city figures are shown at city scope only
    assert client_for("county_b").get("/insight/", {"region": "520302"}).status_code == 404


def test_the_page_formats_money_in_wan_and_yi_with_the_exact_value_on_hover(
        populated: World, client_for: Callable[[str], Client]) -> None:
    html = client_for("city").get("/insight/", {"year": YEAR}).content.decode()
    # 整合项目资金: 10,000 a project in a poor village (three in the city), 5,000 in each county's other village
    assert 'title="40,000.00 元">4.00</td><td>万元</td>' in html
    assert "材料数" in html and "871个" in html


def test_the_page_takes_the_same_number_of_queries_whatever_the_data(
        world: World, client_for: Callable[[str], Client]) -> None:
    client = client_for("city")
    client.get("/insight/", {"year": YEAR})  # the session is saved on the first request
    cache.clear()  # the figures computed each time, not read from the cache (test_cache.py)
    with CaptureQueriesContext(connection) as empty:
        assert client.get("/insight/", {"year": YEAR}).status_code == 200
    populate(world, "a", 1)
    populate(world, "b", 2)
    cache.clear()
    with CaptureQueriesContext(connection) as full:
        assert client.get("/insight/", {"year": YEAR}).status_code == 200
    assert len(full.captured_queries) == len(empty.captured_queries)


def test_the_menu_has_the_overview(populated: World, client_for: Callable[[str], Client]) -> None:
    html = client_for("leader_a").get("/insight/").content.decode()
    assert "数据分析" in html and 'href="/insight/"' in html


# --- API ------------------------------------------------------------------------------------------------------

def test_the_api_answers_the_commands_document(populated: World) -> None:
    answer = api_client("county_a").get("/api/insight/stats", {"year": YEAR})
    assert answer.status_code == 200
    assert answer.json() == json.loads(stats("--year", str(YEAR), "--as", "county_a", "--json"))
    assert flat(answer.json()) == as_json(expected(1))


def test_the_api_refuses_a_region_outside_scope_and_a_bad_year(populated: World) -> None:
    client = api_client("county_a")
    assert client.get("/api/insight/stats", {"year": YEAR, "region": "520303"}).json()["code"] == "not_found"
    assert client.get("/api/insight/stats", {"year": 1800}).status_code == 400
    assert client.get("/api/insight/stats", {"region": "abc"}).json()["code"] == "invalid_region"
    assert Client().get("/api/insight/stats").status_code == 401


# --- export ---------------------------------------------------------------------------------------------------

def test_the_export_has_one_row_a_figure(populated: World, client_for: Callable[[str], Client]) -> None:
    client = client_for("city")
    form = client.get("/imports/stats/export/", {"year": YEAR})
    assert form.status_code == 200
    answer = client.post("/imports/stats/export/", {"year": YEAR, "region": "520302", "format": "xlsx"})
    assert answer.status_code == 200, answer.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)
                                              if answer.streaming else answer.content)).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[:4] == ("板块", "指标", "数值", "单位"))
    body = [row for row in rows[header + 1:] if row[0]]
    assert len(body) == len(expected(1))
    assert ("干部在村成长", "项目书记带动实施项目", 2, "个") in [tuple(r[:4]) for r in body]
