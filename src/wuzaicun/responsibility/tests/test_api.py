"""API of the lists: entries scoped both ways, the same checks as the form, coverage as the command prints it."""

import json

from wuzaicun.testing import factories
from wuzaicun.testing.api import api_client
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village


def test_entries_are_listed_within_scope_both_ways(world, year_open):
    cover_village(world, VILLAGE)
    cover_village(world, "520303100201")
    a = api_client("county_a").get(f"/api/responsibility/entries?year={YEAR}&page_size=100").json()
    b = api_client("county_b").get(f"/api/responsibility/entries?year={YEAR}&page_size=100").json()
    assert a["count"] == b["count"] == 6
    assert {e["village_code"] for e in a["results"]} == {VILLAGE}
    assert {e["village_code"] for e in b["results"]} == {"520303100201"}
    other = b["results"][0]["id"]
    assert api_client("county_a").get(f"/api/responsibility/entries/{other}").status_code == 404


def test_creating_an_entry_applies_the_lists_rules(world, year_open):
    member = factories.person(world.regions[VILLAGE], name="群众", political_status="群众", rank="村干部")
    api = api_client("county_a")
    refused = api.post("/api/responsibility/entries", data=json.dumps({
        "year": YEAR, "kind": "helper", "village_code": VILLAGE, "person_id": member.pk,
        "household_ids": [world.households[VILLAGE][0].pk], "duties": ["走访"]}), content_type="application/json")
    assert refused.status_code == 400 and "党员" in refused.json()["message"]


def test_coverage_answers_the_commands_json(world, year_open):
    body = api_client("county_a").get(f"/api/responsibility/coverage?year={YEAR}").json()
    assert body["year"] == YEAR and "village_bangcun" in body["summary"]
    assert all(g["region_code"].startswith("520302") for g in body["gaps"])


def test_the_ledger_through_the_api_with_a_refused_out_of_order_step(world, year_open):
    made = cover_village(world, VILLAGE)
    township = api_client("township_a")
    created = township.post("/api/responsibility/ledger", data=json.dumps({
        "assignment_id": made["stationed"].pk, "commitment": "发展茶叶产业", "target_value": "50",
        "target_unit": "亩"}), content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    line = created.json()["id"]
    early = township.post(f"/api/responsibility/ledger/{line}/reconciliations", data=json.dumps({
        "quarter": 1, "narrative": "进展"}), content_type="application/json")
    assert early.status_code == 409 and early.json()["code"] == "out_of_order"
    assert township.post(f"/api/responsibility/ledger/{line}/lock").json()["status"] == "locked"
    submitted = api_client("reporter_a").post(f"/api/responsibility/ledger/{line}/reconciliations", data=json.dumps({
        "quarter": 1, "narrative": "已种植20亩", "progress_value": "20"}), content_type="application/json")
    assert submitted.status_code == 201
    reviewed = township.post(f"/api/responsibility/reconciliations/{submitted.json()['id']}/review",
                             data=json.dumps({"decision": "returned", "note": "缺照片"}),
                             content_type="application/json")
    assert reviewed.json()["state"] == "returned"
    assert api_client("county_b").get(f"/api/responsibility/ledger/{line}").status_code == 404
    listed = api_client("county_a").get(f"/api/responsibility/ledger?year={YEAR}").json()
    assert listed["count"] == 1 and listed["results"][0]["reconciliations"][0]["review_note"] == "缺照片"
