"""The spot-check API keeps the picks secret like the pages; results are scoped."""

import json

from wuzaicun.testing.api import api_client
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village
from wuzaicun.verification.services import close_plan, draw_spot_check_plan


def test_picks_are_null_for_others_until_the_plan_closes(world, year_open):
    cover_village(world, VILLAGE)
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000")
    owner = api_client("county_a").get(f"/api/verification/plans/{plan.pk}").json()
    assert owner["picks"] and owner["revealed_seed"] == ""
    other = api_client("leader_a").get(f"/api/verification/plans/{plan.pk}").json()
    assert other["picks"] is None and other["seed_commitment"] == plan.seed_commitment
    assert api_client("county_b").get(f"/api/verification/plans/{plan.pk}").status_code == 404
    close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    public = api_client("leader_a").get(f"/api/verification/plans/{plan.pk}").json()
    assert public["picks"] and len(public["revealed_seed"]) == 64


def test_an_inspector_records_a_finding_through_the_api(world, year_open):
    cover_village(world, VILLAGE)
    inspector = world.users["inspector_a"]
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000",
                                inspector_ids=[inspector.pk])
    pick = api_client("inspector_a").get(f"/api/verification/plans/{plan.pk}").json()["picks"][0]
    response = api_client("inspector_a").post(
        f"/api/verification/plans/{plan.pk}/picks/{pick['id']}/finding",
        data=json.dumps({"visited_on": "2016-08-02", "checklist": {"no_notice": True}, "result": "mostly",
                         "notes": "基本到位"}), content_type="application/json")
    assert response.status_code == 201 and response.json()["result"] == "mostly"
