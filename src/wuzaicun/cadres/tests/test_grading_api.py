"""六定一化考核 by API: configuration, entered scores, compute → confirm → lock, a grade's sources, outcomes one level
up; errors in Chinese, 404 out of scope."""

from __future__ import annotations

import json

import pytest

from wuzaicun.cadres.models import CadreGrade
from wuzaicun.testing.api import api_client

from . import test_grading_helpers as helpers
from .test_grading_helpers import A1, B1, COUNTY_A, FS, YEAR, cadre, enter

stand_ins = helpers.stand_ins
pytestmark = pytest.mark.django_db
BASE = "/api/cadres/grading"


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def test_a_year_graded_by_api(world, stand_ins):
    city, county, township = (api_client(u) for u in ("city", "county_a", "township_a"))
    config = county.get(f"{BASE}/config?year={YEAR}&role={FS}").json()
    assert sum(float(i["weight"]) for i in config["indicators"]) == 100 and "同分" in config["tie_rule"]
    weights = {i["code"]: i["weight"] for i in config["indicators"]}
    assert _put(county, f"{BASE}/weights?year={YEAR}&role={FS}", {"weights": weights}).status_code == 403
    weights["ledger"] = "30"
    bad = _put(city, f"{BASE}/weights?year={YEAR}&role={FS}", {"weights": weights})
    assert bad.status_code == 400 and "当前为 110" in bad.json()["message"]
    policy = _put(city, f"{BASE}/policy?year={YEAR}&role={FS}", {"excellent": "90", "good": "80", "passing": "60",
                                                                 "excellent_quota": "100"})
    assert policy.status_code == 200 and policy.json()["policy"]["excellent_quota"] == "100.00"
    a, b = cadre(world, A1, "甲"), cadre(world, B1, "乙")
    for code in ("democratic", "satisfaction"):
        response = _post(county, f"{BASE}/scores", {"year": YEAR, "role": FS, "person_id": a.pk, "indicator": code,
                                                    "score": "95"})
        assert response.status_code == 201, response.content
    enter(b, FS, "democratic", 95)
    refused = _post(county, f"{BASE}/scores", {"year": YEAR, "role": FS, "person_id": b.pk, "indicator": "democratic",
                                               "score": "95"})
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    run = _post(county, f"{BASE}/compute", {"year": YEAR, "role": FS}).json()
    assert run["graded"] == 1 and run["counts"] == {"优": 1}
    grades = county.get(f"{BASE}/grades?year={YEAR}&role={FS}").json()
    assert grades["count"] == 1 and grades["results"][0]["grade"] == "优"
    grade_id = grades["results"][0]["id"]
    detail = county.get(f"{BASE}/grades/{grade_id}").json()
    ledger = next(i for i in detail["indicators"] if i["code"] == "ledger")
    assert ledger["weight"] == "20.00" and ledger["sources"][0]["url"] == "/cadres/grades/"
    assert api_client("county_b").get(f"{BASE}/grades/{grade_id}").status_code == 404
    early = _post(township, f"{BASE}/grades/{grade_id}/outcomes", {"kind": "promotion", "reason": "成效突出"})
    assert early.status_code == 409 and "尚未确认" in early.json()["message"]
    assert _post(county, f"{BASE}/lock", {"year": YEAR, "role": FS}).status_code == 409
    assert _post(county, f"{BASE}/confirm", {"year": YEAR, "role": FS}).json() == {"count": 1}
    outcome = _post(township, f"{BASE}/grades/{grade_id}/outcomes", {"kind": "promotion", "reason": "成效突出"})
    assert outcome.status_code == 201 and outcome.json()["state"] == "pending"
    outcome_id = outcome.json()["id"]
    assert _post(api_client("county_b"), f"{BASE}/outcomes/{outcome_id}/decision",
                 {"decision": "approved"}).status_code == 404
    decided = _post(county, f"{BASE}/outcomes/{outcome_id}/decision", {"decision": "approved"})
    assert decided.status_code == 200 and decided.json()["state_label"] == "通过"
    assert county.get(f"{BASE}/outcomes?year={YEAR}").json()["count"] == 1
    assert api_client("county_b").get(f"{BASE}/outcomes?year={YEAR}").json()["count"] == 0
    assert _post(county, f"{BASE}/lock", {"year": YEAR, "role": FS}).json() == {"count": 1}
    again = _post(county, f"{BASE}/compute", {"year": YEAR, "role": FS})
    assert again.status_code == 409 and again.json()["code"] == "out_of_order"
    assert CadreGrade.objects_unscoped.get().status == "locked"


def test_bad_parameters_are_answered_in_chinese(world):
    county = api_client("county_a")
    bad_role = county.get(f"{BASE}/config?year={YEAR}&role=boss")
    assert bad_role.status_code == 400 and "考核对象" in bad_role.json()["message"]
    out = _post(county, f"{BASE}/compute", {"year": YEAR, "role": FS, "region": B1[:6]})
    assert out.status_code == 404
    assert county.get(f"{BASE}/grades?year={YEAR}&region={COUNTY_A}").json()["count"] == 0
