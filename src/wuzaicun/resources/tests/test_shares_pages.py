"""Pages, API and command of 三变: the list with totals in scope both ways, the entity's holders, contributing by
form, the split previewed then saved, the parts exported masked, and `wuzaicun dividends`."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from wuzaicun.resources.models import Contribution, Dividend
from wuzaicun.testing.api import api_client

from .test_shares_services import A1, sanbian


def test_the_list_shows_each_county_its_own_with_totals(world, client_for):
    a, b = sanbian(world, "a"), sanbian(world, "b")
    page = client_for("county_a").get("/resources/shares/?year=2016")
    assert page.status_code == 200 and "共 1 条" in page.text
    assert a["entity"].name in page.text and b["entity"].name not in page.text
    assert "3.50 亩" in page.text  # the 2017 contribution is not counted at the end of 2016
    later = client_for("county_a").get("/resources/shares/?year=2017")
    assert "4.50 亩" in later.text
    assert client_for("county_b").get(f"/resources/shares/{a['entity'].pk}/").status_code == 404
    none_yet = client_for("county_a").get("/resources/shares/?year=2016&joined=no")
    assert "共 0 条" in none_yet.text


def test_the_entity_page_lists_holders_masked_and_a_household_joins_by_form(world, client_for):
    s = sanbian(world)
    client = client_for("county_a")
    page = client.get(f"/resources/shares/{s['entity'].pk}/?year=2016")
    assert page.status_code == 200 and "村集体" in page.text and s["households"][0].resident_id_masked in page.text
    posted = client.post(f"/resources/shares/{s['entity'].pk}/contributions/", {
        "village_code": A1, "household_id": s["households"][2].pk, "kind": "money", "amount": "800",
        "shares": "8", "contributed_on": "2016-06-01"})
    assert posted.status_code == 302
    refused = client.post(f"/resources/shares/{s['entity'].pk}/contributions/", {
        "village_code": A1, "kind": "land", "shares": "8", "contributed_on": "2016-06-01"})
    assert refused.status_code == 400 and "须填写大于0的土地面积" in refused.text
    assert Contribution.objects_unscoped.filter(entity=s["entity"]).count() == 5


def test_a_split_is_previewed_then_saved_and_its_parts_page_and_export(world, client_for):
    s = sanbian(world)
    client = client_for("county_a")
    url = f"/resources/shares/{s['entity'].pk}/dividends/"
    preview = client.post(url, {"year": 2016, "total": "10000.01", "action": "preview"})
    assert preview.status_code == 200 and "尚未保存" in preview.text and "4,444.45" in preview.text
    assert not Dividend.objects_unscoped.exists()
    saved = client.post(url, {"year": 2016, "total": "10000.01", "action": "save"})
    dividend = Dividend.objects_unscoped.get()
    assert saved.status_code == 302 and saved["Location"] == f"/resources/dividends/{dividend.pk}/"
    parts = client.get(f"/resources/dividends/{dividend.pk}/")
    assert "共 3 条" in parts.text and "3,888.89" in parts.text
    assert client_for("county_b").get(f"/resources/dividends/{dividend.pk}/").status_code == 404
    again = client.post(url, {"year": 2016, "total": "5", "action": "save"})
    assert again.status_code == 400 and "2016年度已分红" in again.text


def test_the_list_costs_the_same_queries_for_more_entities(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.organization.services.economy import create_entity

    s = sanbian(world)
    client = client_for("county_a")
    client.get("/resources/shares/")  # the session's first request also saves the session
    with CaptureQueriesContext(connection) as one:
        client.get("/resources/shares/?year=2016&joined=all")
    for i in range(4):
        create_entity(actor=s["actor"], village_code=A1, name=f"甲村合作社{i}", kind="cooperative")
    with CaptureQueriesContext(connection) as five:
        page = client.get("/resources/shares/?year=2016&joined=all")
    assert "共 5 条" in page.text and len(five) == len(one)


def test_the_api_splits_previews_and_pages_parts_in_scope(world):
    s, other = sanbian(world, "a"), sanbian(world, "b")
    client = api_client("county_a")
    listed = client.get("/api/resources/share-entities?year=2016").json()
    assert [e["name"] for e in listed["results"]] == [s["entity"].name]
    assert listed["results"][0]["land_mu"] == "3.50"
    totals = client.get("/api/resources/share-totals?year=2017").json()
    assert (totals["land_mu"], totals["properties"], totals["holders"]) == ("4.50", 1, 3)
    body = {"entity_id": s["entity"].pk, "year": 2016, "total": "100.00", "dry_run": True}
    preview = client.post("/api/resources/dividends", json.dumps(body), content_type="application/json")
    assert preview.status_code == 200 and preview.json()["saved"] is False
    body["dry_run"] = False
    saved = client.post("/api/resources/dividends", json.dumps(body), content_type="application/json")
    assert saved.status_code == 201
    parts = client.get(f"/api/resources/dividends/{saved.json()['id']}/parts").json()
    assert parts["count"] == 3 and sum(Decimal(p["amount"]) for p in parts["results"]) == Decimal(100)
    assert client.get(f"/api/resources/share-entities/{other['entity'].pk}/holders").status_code == 404
    body["entity_id"] = other["entity"].pk
    assert client.post("/api/resources/dividends", json.dumps(body),
                       content_type="application/json").status_code == 404


def test_the_command_splits_by_name_previews_and_refuses_in_chinese(world):
    s = sanbian(world)
    out = StringIO()
    call_command("dividends", s["entity"].name, "--year", "2016", "--total", "10,000.01", "--dry-run", "--json",
                 stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue())
    assert result["saved"] is False and result["holders"] == 3
    assert [p["amount"] for p in result["parts"]] == ["4444.45", "3888.89", "1666.67"]
    assert result["parts"][1]["resident_id_masked"] == s["households"][0].resident_id_masked
    assert not Dividend.objects_unscoped.exists()
    call_command("dividends", s["entity"].name, "--year", "2016", "--total", "100", stdout=StringIO(),
                 stderr=StringIO())
    assert Dividend.objects_unscoped.get().total == Decimal(100)
    with pytest.raises(CommandError, match="没有找到实体"):
        call_command("dividends", "不存在的公司", "--total", "1", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="应为金额"):
        call_command("dividends", s["entity"].name, "--total", "一百", stdout=StringIO(), stderr=StringIO())
