"""The API: token auth, paging, ?region=, scope both ways, Chinese errors with codes, optimistic locking."""

import json

import pytest
from django.test import Client

from wuzaicun.registry.models import Household
from wuzaicun.testing.api import api_client
from wuzaicun.testing.factories import next_resident_id


def test_a_token_is_issued_for_good_credentials_only(world):
    bad = Client().post("/api/auth/token", data=json.dumps({"username": "county_a", "password": "nope"}),
                        content_type="application/json")
    assert bad.status_code == 400
    assert bad.json() == {"code": "invalid_credentials", "message": "用户名或密码错误"}
    assert api_client("county_a").get("/api/auth/me").json()["username"] == "county_a"


def test_without_a_token_the_api_answers_401_in_json(world):
    response = Client().get("/api/households")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_lists_are_paged_and_scoped_both_ways(world):
    a = api_client("county_a").get("/api/households?page_size=2").json()
    b = api_client("county_b").get("/api/households?page_size=50").json()
    assert a["count"] == 6 and a["page_size"] == 2 and len(a["results"]) == 2
    assert {h["region_code"][:6] for h in b["results"]} == {"520303"} and b["count"] == 6
    second = api_client("county_a").get("/api/households?page_size=2&page=3").json()
    assert len(second["results"]) == 2
    assert {h["id"] for h in second["results"]}.isdisjoint({h["id"] for h in a["results"]})


def test_region_filter_narrows_and_cannot_widen(world):
    api = api_client("county_a")
    assert api.get("/api/households?region=520302001001").json()["count"] == 3
    assert api.get("/api/households?region=520303000000").json()["count"] == 0
    assert api.get("/api/regions?region=5203&page_size=100").json()["count"] == 4  # the county, its township, 2 villages


def test_ids_are_masked_in_the_api(world):
    household = world.households["520302001001"][0]
    body = api_client("county_a").get(f"/api/households/{household.pk}").json()
    number = household.reveal_resident_id()
    assert body["resident_id"] == f"{number[:6]}********{number[-4:]}"
    assert number not in json.dumps(body)


def test_out_of_scope_is_404_and_writes_are_refused(world):
    other = world.households["520303100201"][0]
    api = api_client("county_a")
    response = api.get(f"/api/households/{other.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api.delete(f"/api/households/{other.pk}").status_code == 404
    assert Household.objects_unscoped.filter(pk=other.pk).exists()
    created = api.post("/api/households", data=json.dumps({
        "region_code": "520303100201", "head_name": "越界", "resident_id": next_resident_id("520303"),
        "members": 3, "identified_year": 2015, "cause": "因病"}), content_type="application/json")
    assert created.status_code == 404
    assert not Household.objects_unscoped.filter(head_name="越界").exists()


def test_create_validates_in_chinese_naming_the_field(world):
    api = api_client("county_a")
    bad_id = api.post("/api/households", data=json.dumps({
        "region_code": "520302001001", "head_name": "李四", "resident_id": "520302195001010000",
        "members": 3, "identified_year": 2015, "cause": "因病"}), content_type="application/json")
    assert bad_id.status_code == 400 and "身份证号" in bad_id.json()["message"]
    missing = api.post("/api/households", data=json.dumps({"region_code": "520302001001"}),
                       content_type="application/json")
    assert missing.status_code == 400 and "head_name" in missing.json()["message"]
    ok = api.post("/api/households", data=json.dumps({
        "region_code": "520302001001", "head_name": "李四", "resident_id": next_resident_id("520302"),
        "members": 3, "identified_year": 2015, "cause": "因病"}), content_type="application/json")
    assert ok.status_code == 201 and ok.json()["head_name"] == "李四"


def test_a_stale_update_answers_409_and_changes_nothing(world):
    household = world.households["520302001001"][0]
    api = api_client("county_a")
    first = api.patch(f"/api/households/{household.pk}", data=json.dumps({"version": 1, "members": 5}),
                      content_type="application/json")
    assert first.status_code == 200 and first.json()["members"] == 5 and first.json()["version"] == 2
    stale = api.patch(f"/api/households/{household.pk}", data=json.dumps({"version": 1, "members": 7}),
                      content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Household.objects_unscoped.get(pk=household.pk).members == 5


@pytest.mark.parametrize("user", ["leader_a", "inspector_a"])
def test_read_only_roles_cannot_write(world, user):
    household = world.households["520302001001"][0]
    response = api_client(user).delete(f"/api/households/{household.pk}")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert Household.objects_unscoped.filter(pk=household.pk).exists()


def test_the_openapi_schema_lists_the_paths(world):
    schema = Client().get("/api/openapi.json").json()
    for path in ("/api/auth/token", "/api/regions", "/api/villages", "/api/households", "/api/people"):
        assert path in schema["paths"]
