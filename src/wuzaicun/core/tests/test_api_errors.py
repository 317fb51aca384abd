"""The API always answers JSON: bad parameters 400 in Chinese, an unexpected error 500 with the request id."""

from __future__ import annotations

import pytest

from wuzaicun.testing.api import api_client

HUGE = str(2**70)


@pytest.mark.parametrize("path", [
    "/api/responsibility/coverage?year=0",
    "/api/responsibility/coverage?year=10000",
    "/api/responsibility/coverage?year=99999999999999999999",
    "/api/households?page=99999999999999999999",
    f"/api/households/{HUGE}",
    f"/api/responsibility/visits?person_id={HUGE}",
    f"/api/responsibility/visits?household_id={HUGE}",
    f"/api/responsibility/ledger?year=2016&person_id={HUGE}",
    f"/api/responsibility/entries/{HUGE}",
    f"/api/verification/plans/{HUGE}",
    "/api/verification/results?year=20162016201620162016",
])
def test_parameters_out_of_range_answer_400_json_in_chinese(world, path):
    response = api_client("county_a").get(path)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "invalid" and body["message"].startswith("请求参数有误")


def test_an_unknown_api_path_answers_json_not_a_page(world):
    response = api_client("county_a").get("/api/no-such-thing")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_unexpected_error_answers_json_with_the_request_id_and_nothing_else(world, monkeypatch):
    from wuzaicun.registry import api as registry_api

    def broken(*args, **kwargs):
        raise RuntimeError("SELECT resident_id FROM registry_household WHERE id = 520302195001010018")

    monkeypatch.setattr(registry_api, "households_for", broken)
    response = api_client("county_a").get("/api/households")
    assert response.status_code == 500
    body = response.json()
    request_id = response["X-Request-ID"]
    assert body == {"code": "server_error", "request_id": request_id,
                    "message": f"服务器内部错误，请联系管理员并提供请求编号 {request_id}"}
    assert "SELECT" not in response.text and "Traceback" not in response.text and "520302" not in response.text


@pytest.mark.parametrize("path", [
    "/responsibility/ledger/person/99999999999999999999/",
    f"/responsibility/ledger/person/{HUGE}/",
    f"/registry/households/{2**63}/",
    "/registry/households/0/",
])
def test_a_page_id_beyond_any_stored_one_is_simply_not_found(world, client_for, path):
    assert client_for("county_a").get(path).status_code == 404


@pytest.mark.parametrize("year", ["20162016201620162016", "²⁰¹⁶", "0"])
def test_an_export_with_an_impossible_year_is_refused_in_chinese(world, client_for, year):
    from wuzaicun.audit.models import AuditEntry

    response = client_for("county_a").post("/imports/assignments/export/", {"year": year, "region": ""})
    text = response.content.decode()
    assert response.status_code == 200 and "export-form" in text and "年度" in text  # the form again, no file
    assert "invalid-feedback" in text and not AuditEntry.objects_unscoped.filter(action="export").exists()


def test_a_huge_year_on_the_villages_page_is_refused_in_chinese(world, client_for):
    response = client_for("county_a").get("/regions/villages/?year=99999999999999999999")
    assert response.status_code == 400 and "年度" in response.content.decode()
