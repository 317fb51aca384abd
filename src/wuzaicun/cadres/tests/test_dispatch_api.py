"""API of 选派: create, list, get, update, end (不脱钩 refused in Chinese), groups with members, placements; the
other county's records answer 404."""

from __future__ import annotations

import json
from typing import Any

import pytest

from wuzaicun.testing.api import api_client

from .test_dispatch_world import A1, A2, B1, TOWNSHIP_A, D, dispatch, person, units


def _send(api, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(api, method)(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def u(world):
    return units(world)


def test_dispatches_through_the_api(world, u) -> None:
    a, b = api_client("county_a"), api_client("county_b")
    group = _send(a, "post", "/api/cadres/groups", {"village_code": A1, "unit_id": u["a"].pk, "start": "2015-03-01",
                                                   "leader_id": person(world, A1).pk})
    assert group.status_code == 201, group.content
    gid = group.json()["id"]
    made = _send(a, "post", "/api/cadres/dispatches", {
        "person_id": person(world, A1).pk, "kind": "first_secretary", "unit_id": u["city"].pk, "village_code": A1,
        "start": "2015-03-01", "group_id": gid})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["kind_label"] == "第一书记" and made.json()["unit_name"] == "遵义市人民政府办公室"
    listed = a.get("/api/cadres/dispatches?year=2016&status=active").json()
    assert listed["count"] == 1 and listed["results"][0]["village_name"] == "甲村"
    assert a.get("/api/cadres/dispatches?year=2014").json()["count"] == 0
    assert b.get("/api/cadres/dispatches").json()["count"] == 0
    assert b.get(f"/api/cadres/dispatches/{pk}").status_code == 404
    assert _send(b, "post", f"/api/cadres/dispatches/{pk}/end", {"end": "2016-06-30"}).status_code == 404
    assert _send(b, "patch", f"/api/cadres/dispatches/{pk}", {"unit_id": u["b"].pk}).status_code == 404
    refused = _send(a, "post", f"/api/cadres/dispatches/{pk}/end", {"end": "2016-06-30"})
    assert refused.status_code == 400
    assert refused.json() == {"code": "handover", "message": "甲村尚未出列，群众不脱贫、干部不脱钩：须有接任的第一书记在"
                                                             "2016-06-30前到岗，才能结束该选派"}
    successor = dispatch(world, u["a"], A1, i=1, start=D(2016, 6, 1))
    ended = _send(a, "post", f"/api/cadres/dispatches/{pk}/end", {"end": "2016-06-30"})
    assert ended.status_code == 200 and ended.json()["successor_id"] == successor.pk
    patched = _send(a, "patch", f"/api/cadres/dispatches/{pk}", {"unit_id": u["a"].pk})
    assert patched.status_code == 200 and patched.json()["unit_name"] == "红花岗区农业农村局"
    assert patched.json()["end"] == "2016-06-30"
    detail = a.get(f"/api/cadres/groups/{gid}").json()
    assert detail["members"] == 1 and detail["member_list"][0]["id"] == pk and detail["leader_name"]
    assert b.get(f"/api/cadres/groups/{gid}").status_code == 404
    assert a.get("/api/cadres/groups?year=2016").json()["count"] == 1
    assert b.get("/api/cadres/groups").json()["count"] == 0
    moved = _send(a, "patch", f"/api/cadres/groups/{gid}", {"end": "2016-12-31"})
    assert moved.status_code == 200 and moved.json()["end"] == "2016-12-31"


def test_api_refusals_are_chinese(world, u) -> None:
    a = api_client("county_a")
    out = _send(a, "post", "/api/cadres/dispatches", {"person_id": person(world, A1).pk, "kind": "first_secretary",
                                                      "unit_id": u["a"].pk, "village_code": B1, "start": "2015-03-01"})
    assert out.status_code == 404 and "不在您的管辖范围内" in out.json()["message"]
    bad = _send(a, "post", "/api/cadres/dispatches", {"person_id": person(world, A1).pk, "kind": "x",
                                                      "unit_id": u["a"].pk, "village_code": A1, "start": "2015-03-01"})
    assert bad.status_code == 400 and bad.json()["message"] == "“x”不是选派类型（第一书记、驻村干部）"


def test_placements_through_the_api(world, u) -> None:
    a, b = api_client("county_a"), api_client("county_b")
    made = _send(a, "post", "/api/cadres/placements", {"person_id": person(world, A1).pk, "kind": "upper",
                                                       "region_code": TOWNSHIP_A, "start": "2016-01-01",
                                                       "post": "党委书记"})
    assert made.status_code == 201, made.content
    assert made.json()["kind_label"] == "未脱贫乡镇党政正职上管一级"
    refused = _send(a, "post", "/api/cadres/placements", {"person_id": person(world, A1).pk, "kind": "reserve",
                                                          "region_code": A2, "start": "2016-01-01"})
    assert refused.status_code == 400 and "乙村不是未出列的贫困村" in refused.json()["message"]
    assert a.get("/api/cadres/placements?year=2016").json()["count"] == 1
    assert b.get("/api/cadres/placements").json()["count"] == 0
    assert b.get(f"/api/cadres/placements/{made.json()['id']}").status_code == 404
