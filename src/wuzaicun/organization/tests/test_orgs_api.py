"""API of the orgs area: the same scope, rules and audit as the pages; errors {"code", "message"} in Chinese."""

from __future__ import annotations

import json

from wuzaicun.organization.models.orgs import Membership, PartyOrganisation, SupervisoryCommittee
from wuzaicun.testing import factories
from wuzaicun.testing.api import api_client

from .test_orgs_services import A1, A2, B1, org_tree


def post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_list_and_detail_in_scope_both_ways(world):
    a, b = org_tree(world, "a"), org_tree(world, "b")
    client_a, client_b = api_client("county_a"), api_client("county_b")
    listed = client_a.get("/api/organization/orgs?page_size=50").json()
    assert listed["count"] == 2 and {o["id"] for o in listed["results"]} == {a["top"].pk, a["branch"].pk}
    assert client_b.get("/api/organization/orgs?category=village").json()["results"][0]["id"] == b["branch"].pk
    detail = client_a.get(f"/api/organization/orgs/{a['branch'].pk}").json()
    assert detail["organisation"]["parent_name"] == a["top"].name
    assert [o["id"] for o in detail["ancestors"]] == [a["top"].pk]
    assert detail["organisation"]["org_type_label"] == "党支部"
    missing = client_a.get(f"/api/organization/orgs/{b['branch'].pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_create_update_and_members(world):
    client = api_client("county_a")
    top = org_tree(world)["top"]
    created = post(client, "/api/organization/orgs", {
        "name": "中共乙村支部委员会", "org_type": "branch", "category": "village", "region_code": A2,
        "parent_id": top.pk})
    assert created.status_code == 201, created.content
    org = created.json()
    patched = post(client, f"/api/organization/orgs/{org['id']}",
                   {"version": 1, "org_type": "general_branch"}, method="patch")
    assert patched.status_code == 200 and patched.json()["org_type"] == "general_branch"
    assert patched.json()["parent_id"] == top.pk  # what was not sent is kept
    stale = post(client, f"/api/organization/orgs/{org['id']}", {"version": 1, "name": "x"}, method="patch")
    assert stale.status_code == 409

    outsider = factories.person(world.regions[A2], name="吴群众", political_status="群众")
    refused = post(client, f"/api/organization/orgs/{org['id']}/members", {"person_ids": [outsider.pk]})
    assert refused.status_code == 400 and "吴群众" in refused.json()["message"]
    added = post(client, f"/api/organization/orgs/{org['id']}/members",
                 {"person_ids": [p.pk for p in world.people[A2]]})
    assert added.json() == {"added": 2}
    members = client.get(f"/api/organization/orgs/{org['id']}/members").json()
    assert {m["name"] for m in members} == {p.name for p in world.people[A2]}
    assert client.delete(f"/api/organization/orgs/{org['id']}/members/{world.people[A2][0].pk}").status_code == 204
    assert Membership.objects_unscoped.count() == 1


def test_a_parent_out_of_scope_is_refused_by_the_api(world):
    b = org_tree(world, "b")
    response = post(api_client("county_a"), "/api/organization/orgs", {
        "name": "中共甲村支部委员会", "org_type": "branch", "category": "village", "region_code": A1,
        "parent_id": b["top"].pk})
    assert response.status_code == 400 and "上级组织" in response.json()["message"]
    assert not PartyOrganisation.objects_unscoped.filter(region_id=A1).exists()


def test_committees_by_api(world):
    client = api_client("county_a")
    made = post(client, "/api/organization/committees", {
        "village_code": A1, "members": [{"person_id": world.people[A1][0].pk, "post": "chair"}]})
    assert made.status_code == 201, made.content
    committee = made.json()["committee"]
    duties = post(client, f"/api/organization/committees/{committee['id']}/duties",
                  {"year": 2016, "done": ["监督村务公开"]}, method="put")
    assert duties.status_code == 200
    assert [d["duty"] for d in duties.json()["duties"] if d["done"]] == ["监督村务公开"]
    listed = client.get("/api/organization/committees?year=2016").json()
    assert listed["count"] == 1 and listed["results"][0]["duties_done"] == 1
    missing = client.get("/api/organization/committees/missing").json()
    assert [v["code"] for v in missing["results"]] == [A2]
    assert api_client("county_b").get(f"/api/organization/committees/{committee['id']}").status_code == 404
    two_chairs = post(client, f"/api/organization/committees/{committee['id']}/members", {"members": [
        {"person_id": world.people[A1][0].pk, "post": "chair"}, {"person_id": world.people[A1][1].pk, "post": "chair"}]},
        method="put")
    assert two_chairs.status_code == 400 and "只能有一名主任" in two_chairs.json()["message"]
    assert SupervisoryCommittee.objects_unscoped.count() == 1


def test_social_organisations_stations_and_services_by_api(world):
    client = api_client("county_a")
    coop = post(client, "/api/organization/social-orgs",
                {"name": "甲村茶叶专业合作社", "kind": "cooperative", "region_code": A1}).json()
    station = post(client, "/api/organization/stations", {"name": "甲村电商服务站", "region_code": A1}).json()
    service = post(client, "/api/organization/services", {
        "station_id": station["id"], "household_id": world.households[A1][0].pk, "kind": "market",
        "served_on": "2016-06-01"})
    assert service.status_code == 201 and service.json()["provider_name"] == "甲村电商服务站"
    counts = client.get("/api/organization/services/counts?year=2016").json()
    assert counts["total"] == 1 and counts["by_kind"] == {"market": 1} and counts["households"] == 1
    assert client.get("/api/organization/services?year=2016").json()["count"] == 1
    assert api_client("county_b").get("/api/organization/services?year=2016").json()["count"] == 0
    renamed = post(client, f"/api/organization/social-orgs/{coop['id']}",
                   {"version": 1, "name": "甲村茶叶合作社", "kind": "cooperative", "region_code": A1}, method="put")
    assert renamed.json()["name"] == "甲村茶叶合作社"
    out_of_scope = post(client, "/api/organization/social-orgs", {"name": "丙村协会", "kind": "association",
                                                                 "region_code": B1})
    assert out_of_scope.status_code == 400 and "不在您的管辖范围内" in out_of_scope.json()["message"]
    assert client.delete(f"/api/organization/services/{service.json()['id']}").status_code == 204


def test_an_organisation_and_a_committee_are_deleted_by_api_in_scope_only(world):
    from wuzaicun.organization.services.orgs import create_committee

    from .test_orgs_services import A1, B1, org_tree

    a, b = org_tree(world, "a"), org_tree(world, "b")
    client = api_client("county_a")
    refused = client.delete(f"/api/organization/orgs/{a['top'].pk}")
    assert refused.status_code == 400 and "下级组织" in refused.json()["message"]
    assert client.delete(f"/api/organization/orgs/{b['branch'].pk}").status_code == 404
    assert client.delete(f"/api/organization/orgs/{a['branch'].pk}").status_code == 204
    assert client.get(f"/api/organization/orgs/{a['branch'].pk}").status_code == 404
    assert api_client("county_b").get(f"/api/organization/orgs/{b['branch'].pk}").status_code == 200
    mine = create_committee(actor=world.users["county_a"], village_code=A1, members=[(world.people[A1][0].pk, "chair")])
    theirs = create_committee(actor=world.users["county_b"], village_code=B1, members=[(world.people[B1][0].pk, "chair")])
    assert client.delete(f"/api/organization/committees/{theirs.pk}").status_code == 404
    assert client.delete(f"/api/organization/committees/{mine.pk}").status_code == 204
    assert client.get(f"/api/organization/committees/{mine.pk}").status_code == 404
