"""API of 干部培训: sessions and attendance scoped both ways (404 out of scope), figures, coverage, untrained."""

from __future__ import annotations

import json
from typing import Any

from wuzaicun.testing.api import api_client

from .test_training_helpers import COUNTY_A, build_training


def _send(api, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(api, method)(path, data=json.dumps(body), content_type="application/json")


BODY = {"name": "红花岗区第一期", "level": "county", "region_code": COUNTY_A, "organiser": "区委组织部",
        "topic": "驻村帮扶", "start": "2016-04-01", "end": "2016-04-03", "target_groups": ["dispatched", "village_cadres"]}


def test_sessions_and_attendance_through_the_api(world) -> None:
    t = build_training(world)
    a, b = api_client("county_a"), api_client("county_b")
    made = _send(a, "post", "/api/cadres/trainings", BODY)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["level_label"] == "县级" and body["target_groups_label"] == "第一书记和驻村干部、村干部"
    pk = body["id"]
    refused = _send(a, "post", "/api/cadres/trainings", BODY | {"name": "x", "end": "2016-03-01"})
    assert refused.status_code == 400 and refused.json()["message"] == "结束日期 2016-03-01 早于开始日期 2016-04-01"
    added = _send(a, "post", f"/api/cadres/trainings/{pk}/attendance",
                  {"person_ids": [t.people["cadre_a"].pk, t.people["head_a"].pk]})
    assert added.status_code == 200 and added.json() == {"added": 2}
    again = _send(a, "post", f"/api/cadres/trainings/{pk}/attendance", {"person_ids": [t.people["cadre_a"].pk]})
    assert again.status_code == 400 and again.json()["code"] == "duplicate"
    listed = a.get(f"/api/cadres/trainings/{pk}/attendance").json()
    assert listed["count"] == 2 and "*" in listed["results"][0]["resident_id"]
    assert a.get(f"/api/cadres/trainings/{pk}/attendance?region=520302001002").json()["count"] == 1
    assert a.get(f"/api/cadres/trainings/{pk}").json()["person_times"] == 2
    assert a.get("/api/cadres/trainings?year=2016").json()["count"] == 2
    assert b.get("/api/cadres/trainings?year=2016").json()["count"] == 1
    assert b.get(f"/api/cadres/trainings/{pk}").status_code == 404
    assert b.get(f"/api/cadres/trainings/{pk}/attendance").status_code == 404
    assert _send(b, "put", f"/api/cadres/trainings/{pk}", BODY).status_code == 404
    assert b.delete(f"/api/cadres/trainings/{pk}/attendance/{t.people['cadre_a'].pk}").status_code == 404
    assert b.delete(f"/api/cadres/trainings/{pk}").status_code == 404
    put = _send(a, "put", f"/api/cadres/trainings/{pk}", BODY | {"topic": "产业扶贫"})
    assert put.status_code == 200 and put.json()["topic"] == "产业扶贫"
    assert a.delete(f"/api/cadres/trainings/{pk}/attendance/{t.people['cadre_a'].pk}").status_code == 204
    assert a.delete(f"/api/cadres/trainings/{pk}").status_code == 204
    assert api_client("leader_a").delete(f"/api/cadres/trainings/{t.sessions['a'].pk}").status_code == 403


def test_figures_coverage_and_untrained(world) -> None:
    build_training(world)
    city = api_client("city")
    figures = city.get("/api/cadres/trainings/figures").json()
    assert figures == [{"year": 2016, "city": {"sessions": 1, "person_times": 1},
                        "county": {"sessions": 2, "person_times": 1}, "sessions": 3, "person_times": 2}]
    coverage = {c["group"]: c for c in api_client("county_a").get("/api/cadres/trainings/coverage?year=2016").json()}
    assert coverage["county_leaders"]["share"] == "100.00" and coverage["village_cadres"]["untrained"] == 1
    untrained = api_client("county_b").get("/api/cadres/trainings/untrained?year=2016&group=township_heads").json()
    assert untrained["count"] == 1 and untrained["results"][0]["name"] == "乡书记b"
    wrong = city.get("/api/cadres/trainings/untrained?year=2016&group=x")
    assert wrong.status_code == 400 and "培训对象" in wrong.json()["message"]
