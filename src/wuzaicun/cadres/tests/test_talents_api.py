"""API of 千村千人计划 and 项目书记: the pages' services and scope, 404 out of scope, Chinese errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from wuzaicun.testing.api import api_client

A, TA, A1, A2, B1 = "520302000000", "520302001000", "520302001001", "520302001002", "520303100201"


def _send(api, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(api, method)(path, data=json.dumps(body), content_type="application/json")


def test_talents_visits_and_the_overdue_list_through_the_api(world) -> None:
    a, b = api_client("county_a"), api_client("county_b")
    made = _send(a, "post", "/api/cadres/talents", {"person_id": world.people[A1][0].pk, "year": 2016,
                                                    "field": "agriculture", "visit_every": 30,
                                                    "village_codes": [A1, A2]})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["region_name"] == "红花岗区" and made.json()["field_label"] == "农业"
    visit = _send(a, "post", f"/api/cadres/talents/{pk}/visits", {"village_code": A1, "date": "2016-12-15",
                                                                  "content": "病虫害防治"})
    assert visit.status_code == 201 and visit.json()["village_name"] == "甲村"
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = _send(a, "post", f"/api/cadres/talents/{pk}/visits", {"village_code": A1, "date": future, "content": "x"})
    assert refused.status_code == 400 and "不能登记未来的走访" in refused.json()["message"]
    listed = a.get("/api/cadres/talents?year=2016").json()
    assert listed["count"] == 1 and listed["results"][0]["village_count"] == 2
    overdue = a.get("/api/cadres/talents/overdue?year=2016").json()
    assert overdue["count"] == 1 and overdue["results"][0]["village_name"] == "乙村"
    assert overdue["results"][0]["last_visit"] is None and overdue["results"][0]["days_overdue"] > 300
    early = a.get("/api/cadres/talents/overdue?year=2016&on=2016-01-20").json()
    assert early["count"] == 0
    detail = a.get(f"/api/cadres/talents/{pk}").json()
    assert [v["village_name"] for v in detail["villages"]] == ["甲村", "乙村"]
    summary = a.get("/api/cadres/talents/summary?year=2016").json()
    assert summary == {"talents": 1, "pairs": 2, "visits": 1, "overdue": 1, "day": "2016-12-31"}
    assert b.get(f"/api/cadres/talents/{pk}").status_code == 404
    assert b.get(f"/api/cadres/talents/{pk}/visits").status_code == 404
    assert b.get("/api/cadres/talents/overdue?year=2016").json()["count"] == 0
    assert _send(b, "put", f"/api/cadres/talents/{pk}", {"field": "finance", "visit_every": 30,
                                                          "village_codes": [A1]}).status_code == 404
    kept = _send(a, "put", f"/api/cadres/talents/{pk}", {"field": "finance", "visit_every": 30, "village_codes": [A2]})
    assert kept.status_code == 400 and "不能移除该服务村" in kept.json()["message"]
    assert b.delete(f"/api/cadres/talent-visits/{visit.json()['id']}").status_code == 404
    assert a.delete(f"/api/cadres/talent-visits/{visit.json()['id']}").status_code == 204
    assert b.delete(f"/api/cadres/talents/{pk}").status_code == 404
    assert a.delete(f"/api/cadres/talents/{pk}").status_code == 204


def test_secretaries_and_projects_through_the_api(world) -> None:
    a, b = api_client("county_a"), api_client("county_b")
    made = _send(a, "post", "/api/cadres/secretaries", {"person_id": world.people[A1][1].pk, "region_code": TA,
                                                        "year": 2016})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    project = _send(a, "post", f"/api/cadres/secretaries/{pk}/projects", {"name": "甲村茶厂", "role": "lead",
                                                                          "village_code": A1, "amount": "1000000.01"})
    assert project.status_code == 201 and project.json()["amount"] == "1000000.01"
    _send(a, "post", f"/api/cadres/secretaries/{pk}/projects", {"name": "乙村菜园", "role": "drive", "village_code": A2})
    out = _send(a, "post", f"/api/cadres/secretaries/{pk}/projects", {"name": "丙村", "role": "drive", "village_code": B1})
    assert out.status_code == 404 and out.json()["code"] == "not_found"
    row = a.get("/api/cadres/secretaries?year=2016").json()["results"][0]
    assert (row["led"], row["driven"], row["region_name"]) == (1, 1, "老城街道")
    assert a.get("/api/cadres/secretaries/summary?year=2016").json() == {
        "year": 2016, "secretaries": 1, "led": 1, "driven": 1, "invested": "1000000.01"}
    assert b.get(f"/api/cadres/secretaries/{pk}").status_code == 404
    assert b.get("/api/cadres/secretaries?year=2016").json()["count"] == 0
    moved = _send(a, "patch", f"/api/cadres/secretaries/{pk}", {"region_code": A1})
    assert moved.status_code == 400 and "乙村菜园" in moved.json()["message"]
    project_id = project.json()["id"]
    assert _send(b, "put", f"/api/cadres/secretary-projects/{project_id}",
                 {"name": "x", "role": "lead", "village_code": A1}).status_code == 404
    changed = _send(a, "put", f"/api/cadres/secretary-projects/{project_id}",
                    {"name": "甲村茶厂二期", "role": "drive", "village_code": A1, "amount": "5"})
    assert changed.status_code == 200 and changed.json()["role_label"] == "带动"
    assert a.delete(f"/api/cadres/secretary-projects/{project_id}").status_code == 204
    assert b.delete(f"/api/cadres/secretaries/{pk}").status_code == 404
    assert a.delete(f"/api/cadres/secretaries/{pk}").status_code == 204


def test_a_reader_may_list_but_not_write(world) -> None:
    leader = api_client("leader_a")
    assert leader.get("/api/cadres/talents?year=2016").status_code == 200
    refused = _send(leader, "post", "/api/cadres/secretaries", {"person_id": world.people[A1][1].pk,
                                                                "region_code": TA, "year": 2016})
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
