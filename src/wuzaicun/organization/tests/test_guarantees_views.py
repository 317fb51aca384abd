"""The 组织保障 pages: the year's list and the compliance report in scope, forms, standards, constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuzaicun.organization.models import Guarantee, GuaranteeStandard

A1, A2, B1, B2 = "520302001001", "520302001002", "520303100201", "520303100202"
FULL = {"cadre_monthly_pay": Decimal(2000), "operating_funds": Decimal(45000), "service_funds": Decimal(50000),
        "activity_funds_per_member": Decimal(120), "training_funds_per_cadre": Decimal(600)}


@pytest.fixture
def recorded(world):
    rows = {
        A1: Guarantee.objects_unscoped.create(village=world.regions[A1], year=2016, **FULL, home_area=Decimal(350)),
        A2: Guarantee.objects_unscoped.create(village=world.regions[A2], year=2016,
                                              **(FULL | {"cadre_monthly_pay": Decimal(1500)})),
        B1: Guarantee.objects_unscoped.create(village=world.regions[B1], year=2016,
                                              **(FULL | {"service_funds": Decimal(100)})),
    }
    return rows


def test_the_list_shows_the_scope_and_its_shortfalls(client_for, recorded) -> None:
    page = client_for("county_a").get("/organization/guarantees/?year=2016").content.decode()
    assert "甲村" in page and "乙村" in page and "丙村" not in page and "共 2 条" in page
    assert "村干部月报酬1,500元/月，低于标准2,000元/月" in page and "达标" in page
    other = client_for("county_b").get("/organization/guarantees/?year=2016").content.decode()
    assert "丙村" in other and "甲村" not in other and "服务群众专项经费100元/年" in other


def test_the_list_answers_htmx_with_its_partial_in_constant_queries(client_for, recorded, world,
                                                                   django_assert_max_num_queries) -> None:
    client = client_for("city")
    client.get("/organization/guarantees/?year=2016")
    with django_assert_max_num_queries(12):
        response = client.get("/organization/guarantees/?year=2016", headers={"HX-Request": "true"})
    assert response.status_code == 200 and b"<html" not in response.content and "丁村".encode() not in response.content
    for code in (B2,):
        Guarantee.objects_unscoped.create(village=world.regions[code], year=2016, **FULL)
    with django_assert_max_num_queries(12):
        client.get("/organization/guarantees/?year=2016", headers={"HX-Request": "true"})


def test_the_compliance_report_counts_and_lists_per_standard(client_for, recorded) -> None:
    client = client_for("county_a")
    page = client.get("/organization/guarantees/compliance/?year=2016").content.decode()
    assert "乙村" in page and "甲村" not in page.split('id="shortfalls-table"')[1] and "丙村" not in page
    only_pay = client.get("/organization/guarantees/compliance/?year=2016&standard=cadre_monthly_pay").content.decode()
    assert "乙村" in only_pay
    none = client.get("/organization/guarantees/compliance/?year=2016&standard=service_funds").content.decode()
    assert "没有未达标的村" in none
    missing = client.get("/organization/guarantees/compliance/?year=2017&standard=missing").content.decode()
    assert "甲村" in missing and "未填报2017年组织保障" in missing and "丙村" not in missing


def test_the_edit_form_saves_and_a_picker_chooses_the_village(client_for, world) -> None:
    client = client_for("reporter_a")
    form = client.get("/organization/guarantees/new/?year=2016").content.decode()
    assert "/regions/pick/villages/" in form and "区划代码" not in form.split("<form")[1]
    response = client.post("/organization/guarantees/new/?year=2016", {
        "village_code": A1, "year": "2016", "cadre_monthly_pay": "2000.00", "operating_funds": "45000",
        "service_funds": "50000", "activity_funds_per_member": "101", "training_funds_per_cadre": "501"})
    assert response.status_code == 302
    row = Guarantee.objects_unscoped.get(village_id=A1)
    refused = client.post("/organization/guarantees/new/?year=2016", {
        "village_code": B1, "year": "2016", "cadre_monthly_pay": "2000"})
    assert refused.status_code == 200 and "不存在或不在您的管辖范围内" in refused.content.decode()
    edit = client.post(f"/organization/guarantees/{row.pk}/edit/", {
        "version": "1", "cadre_monthly_pay": "abc"})
    assert "村干部月报酬应为数字" in edit.content.decode()


def test_another_countys_record_is_not_found(client_for, recorded) -> None:
    client = client_for("county_a")
    assert client.get(f"/organization/guarantees/{recorded[B1].pk}/edit/").status_code == 404
    assert client.post(f"/organization/guarantees/{recorded[B1].pk}/delete/").status_code == 404
    assert client.post(f"/organization/guarantees/{recorded[A2].pk}/delete/").status_code == 302
    assert not Guarantee.objects_unscoped.filter(village_id=A2).exists()


def test_standards_page_sets_a_years_values_for_those_who_may(client_for, world) -> None:
    page = client_for("county_a").get("/organization/guarantees/standards/?year=2016").content.decode()
    assert "村干部月报酬" in page and "standards-form" not in page
    assert client_for("county_a").post("/organization/guarantees/standards/?year=2016", {}).status_code == 403
    values = {"cadre_monthly_pay": "2200", "operating_funds": "45000", "service_funds": "50000",
              "activity_funds_per_member": "100", "training_funds_per_cadre": "500", "home_area": "300"}
    response = client_for("city").post("/organization/guarantees/standards/?year=2016", values)
    assert response.status_code == 302
    assert GuaranteeStandard.objects_unscoped.get(year=2016, code="cadre_monthly_pay").value == Decimal(2200)


def _sheet(response) -> list[list[object]]:
    import io

    from openpyxl import load_workbook

    assert "spreadsheet" in response["Content-Type"], response.content[:300]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_exports_post_the_filtered_set_in_scope(client_for, recorded) -> None:
    client = client_for("county_a")
    rows = _sheet(client.post("/imports/guarantees/export/", {"year": "2016"}))
    assert {r[1] for r in rows if str(r[1]).startswith("52030")} == {A1, A2}
    rows = _sheet(client.post("/imports/guarantee_shortfalls/export/", {"year": "2016", "standard": "cadre_monthly_pay"}))
    assert [r[1:4] for r in rows if r[1] in (A1, A2, B1)] == [[A2, "乙村", "村干部月报酬"]]
    rows = _sheet(client.post("/imports/guarantee_shortfalls/export/", {"year": "2016", "standard": "service_funds"}))
    assert [r for r in rows if r[1] in (A1, A2, B1)] == []


def test_the_compliance_report_runs_in_constant_queries(client_for, recorded, world,
                                                        django_assert_max_num_queries) -> None:
    client = client_for("city")
    with django_assert_max_num_queries(20) as few:
        client.get("/organization/guarantees/compliance/?year=2016")
    Guarantee.objects_unscoped.create(village=world.regions[B2], year=2016, **(FULL | {"operating_funds": None}))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/organization/guarantees/compliance/?year=2016").content.decode()
    assert "丁村" in page and "未填报村级组织运转经费" in page
