"""API of 组织保障: scoped both ways, money as exact decimals, standards, the compliance counts."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from wuzaicun.organization.models import Guarantee
from wuzaicun.testing.api import api_client

A1, B1 = "520302001001", "520303100201"
BODY = {"cadre_monthly_pay": "1999.99", "operating_funds": 45000, "service_funds": "50000",
        "activity_funds_per_member": "120", "training_funds_per_cadre": "600.10", "home_area": None}


def _post(api, path: str, body: dict[str, Any]) -> Any:
    return api.post(path, data=json.dumps(body), content_type="application/json")


def test_a_village_year_is_recorded_read_patched_and_scoped(world) -> None:
    a = api_client("county_a")
    made = _post(a, "/api/organization/guarantees", {"year": 2016, "village_code": A1, **BODY})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["cadre_monthly_pay"] == "1999.99" and body["village_name"] == "甲村"
    assert body["shortfalls"] == [{"code": "cadre_monthly_pay", "message": "村干部月报酬1,999.99元/月，低于标准2,000元/月"}]
    patched = a.patch(f"/api/organization/guarantees/{body['id']}", data=json.dumps({"cadre_monthly_pay": "2000",
                      "version": 1}), content_type="application/json")
    assert patched.status_code == 200 and patched.json()["shortfalls"] == []
    assert Guarantee.objects_unscoped.get().training_funds_per_cadre == Decimal("600.10")
    stale = a.patch(f"/api/organization/guarantees/{body['id']}", data=json.dumps({"version": 1}),
                    content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    b = api_client("county_b")
    assert b.get(f"/api/organization/guarantees/{body['id']}").status_code == 404
    assert b.get("/api/organization/guarantees?year=2016").json()["count"] == 0
    assert a.get("/api/organization/guarantees?year=2016").json()["count"] == 1
    refused = _post(b, "/api/organization/guarantees", {"year": 2016, "village_code": A1, **BODY})
    assert refused.status_code == 404
    assert b.delete(f"/api/organization/guarantees/{body['id']}").status_code == 404
    assert a.delete(f"/api/organization/guarantees/{body['id']}").status_code == 204


def test_bad_money_is_refused_naming_the_field(world) -> None:
    a = api_client("county_a")
    bad = _post(a, "/api/organization/guarantees", {"year": 2016, "village_code": A1, **BODY, "service_funds": "-1"})
    assert bad.status_code == 400 and "服务群众专项经费" in bad.json()["message"]
    assert not Guarantee.objects_unscoped.exists()


def test_standards_and_compliance(world) -> None:
    city, county = api_client("city"), api_client("county_a")
    rows = county.get("/api/organization/guarantees/standards/2016").json()
    assert rows[0] == {"code": "cadre_monthly_pay", "title": "村干部月报酬", "unit": "元/月", "comparison": "不低于",
                       "value": "2000", "default": "2000", "configured": False}
    assert county.put("/api/organization/guarantees/standards/2016/cadre_monthly_pay", data=json.dumps(
        {"value": "2500"}), content_type="application/json").status_code == 403
    changed = city.put("/api/organization/guarantees/standards/2016/cadre_monthly_pay", data=json.dumps(
        {"value": "2500"}), content_type="application/json")
    assert changed.status_code == 200 and changed.json()[0]["value"] == "2500.00"
    _post(county, "/api/organization/guarantees", {"year": 2016, "village_code": A1, **BODY, "cadre_monthly_pay": "2400"})
    counts = county.get("/api/organization/guarantees/compliance?year=2016").json()
    assert counts["villages"] == 2 and counts["recorded"] == 1 and counts["missing"] == 1 and counts["below_any"] == 1
    assert counts["by_standard"][0]["count"] == 1 and counts["by_standard"][0]["rule"] == "村干部月报酬不低于2,500元/月"
    below = county.get("/api/organization/guarantees?year=2016&standard=cadre_monthly_pay").json()
    assert below["count"] == 1
    assert county.get("/api/organization/guarantees?year=2016&standard=nope").status_code == 400
