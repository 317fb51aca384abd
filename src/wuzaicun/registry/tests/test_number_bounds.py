"""人均纯收入 is bounded by its column wherever it comes in: API, form, import; nothing out of range is stored."""

from __future__ import annotations

import json

import pytest

from wuzaicun.registry.models import Household
from wuzaicun.tabular.tests import sheets
from wuzaicun.testing.api import api_client
from wuzaicun.testing.world import county_a_household

from .test_imports import import_households, issues

MESSAGE = "人均纯收入超出允许范围（0–9999999999.99）"


def _new_household(**overrides):
    body = {"region_code": "520302001001", "head_name": "李四", "resident_id": sheets.new_resident_id(),
            "members": 3, "identified_year": 2015, "cause": "因病"}
    return json.dumps(body | overrides, allow_nan=True)


@pytest.mark.parametrize("income", ["1e300", "NaN", "Infinity", "-1", "10000000000"])
def test_the_api_refuses_an_income_beyond_the_column_and_stores_nothing(world, income):
    api = api_client("county_a")
    before = Household.objects_unscoped.count()
    body = _new_household().removesuffix("}") + f', "income_per_head": {income}}}'
    refused = api.post("/api/households", data=body, content_type="application/json")
    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "invalid" and MESSAGE in refused.json()["message"]
    assert Household.objects_unscoped.count() == before
    assert api.get("/api/households?page_size=100").status_code == 200


def test_a_patch_with_a_huge_income_leaves_the_household_as_it_was(world):
    household = county_a_household(world)
    api = api_client("county_a")
    refused = api.patch(f"/api/households/{household.pk}", data='{"version": 1, "income_per_head": 1e300}',
                        content_type="application/json")
    assert refused.status_code == 400 and MESSAGE in refused.json()["message"]
    assert Household.objects_unscoped.get(pk=household.pk).income_per_head == household.income_per_head
    assert api.get(f"/api/households/{household.pk}").status_code == 200


def test_the_edit_form_names_the_field_and_its_range(world, client_for):
    household = county_a_household(world)
    page = client_for("county_a").post(f"/registry/households/{household.pk}/edit/", {
        "region_code": household.region_id, "head_name": household.head_name, "members": household.members,
        "status": household.status, "identified_year": household.identified_year, "cause": household.cause,
        "income_per_head": "1e300", "version": household.version,
    })
    assert page.status_code == 200 and MESSAGE in page.text
    assert Household.objects_unscoped.get(pk=household.pk).income_per_head == household.income_per_head
    assert client_for("county_a").get(f"/registry/households/{household.pk}/").status_code == 200


def test_an_import_row_with_a_huge_income_is_reported_in_its_column(world, tmp_path):
    before = Household.objects_unscoped.count()
    report = import_households(world, tmp_path, [sheets.household(人均纯收入="1e300")])
    assert issues(report) == [(2, "人均纯收入", MESSAGE)]
    assert Household.objects_unscoped.count() == before
