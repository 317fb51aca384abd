"""API of the collective economy: entities and incomes scoped both ways, 空壳村 and the summary."""

from __future__ import annotations

import json
from typing import Any

from wuzaicun.core.identifiers import credit_code_check_char
from wuzaicun.testing.api import api_client

A1, B1 = "520302001001", "520303100201"


def code(village: str, serial: int) -> str:
    body = f"93{village}{serial:03d}"
    return body + credit_code_check_char(body)


def _send(api, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(api, method)(path, data=json.dumps(body), content_type="application/json")


def test_entities_and_incomes_through_the_api(world) -> None:
    a, b = api_client("county_a"), api_client("county_b")
    made = _send(a, "post", "/api/organization/entities", {"village_code": A1, "name": "甲村茶叶专业合作社",
                                                           "kind": "cooperative", "credit_code": code(A1, 1),
                                                           "founded_on": "2015-03-01"})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    income = _send(a, "put", f"/api/organization/entities/{pk}/incomes/2016",
                   {"operating_income": "120000.10", "collective_income": "30000"})
    assert income.status_code == 200 and income.json()["operating_income"] == "120000.10"
    listed = a.get("/api/organization/entities?year=2016").json()
    assert listed["count"] == 1 and listed["results"][0]["year_collective_income"] == "30000.00"
    assert b.get("/api/organization/entities?year=2016").json()["count"] == 0
    assert b.get(f"/api/organization/entities/{pk}").status_code == 404
    assert _send(b, "put", f"/api/organization/entities/{pk}/incomes/2016", {"collective_income": "1"}).status_code == 404
    taken = _send(b, "post", "/api/organization/entities", {"village_code": B1, "name": "丙村合作社",
                                                            "kind": "cooperative", "credit_code": code(A1, 1)})
    assert taken.status_code == 400 and taken.json()["message"] == "该统一社会信用代码已被其他实体登记"
    patched = _send(a, "patch", f"/api/organization/entities/{pk}", {"kind": "joint_stock", "version": 1})
    assert patched.status_code == 200 and patched.json()["kind_label"] == "股份合作公司"
    assert patched.json()["credit_code"] == code(A1, 1)


def test_shells_and_summary(world) -> None:
    a = api_client("county_a")
    made = _send(a, "post", "/api/organization/entities", {"village_code": A1, "name": "甲村合作社", "kind": "other"})
    _send(a, "put", f"/api/organization/entities/{made.json()['id']}/incomes/2016", {"collective_income": "5"})
    shells = a.get("/api/organization/economy/shells?year=2016").json()
    assert shells["count"] == 1 and shells["results"][0] == {"village_code": "520302001002", "village_name": "乙村",
                                                             "reason": "没有村集体经济实体"}
    summary = a.get("/api/organization/economy/summary?year=2016").json()
    assert summary["villages"] == 2 and summary["with_entity"] == 1 and summary["coverage"] == "50.00"
    assert summary["shells"] == 1 and len(summary["trend"]) == 6 and summary["by_kind"] == {"other": 1}
    assert api_client("county_b").get("/api/organization/economy/summary?year=2016").json()["entities"] == 0
