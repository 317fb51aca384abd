"""The collective-economy pages: entities with a year's income, the entity page, 空壳村 and the trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wuzaicun.core.identifiers import credit_code_check_char
from wuzaicun.organization.models import CollectiveEntity, EntityIncome

A1, A2, B1, B2 = "520302001001", "520302001002", "520303100201", "520303100202"


def code(village: str, serial: int) -> str:
    body = f"93{village}{serial:03d}"
    return body + credit_code_check_char(body)


@pytest.fixture
def economy(world):
    made = {}
    for village, income in ((A1, Decimal(30000)), (B1, Decimal(0))):
        entity = CollectiveEntity.objects_unscoped.create(
            village=world.regions[village], name=f"{world.regions[village].name}茶叶专业合作社", kind="cooperative",
            credit_code=code(village, 1), founded_on=dt.date(2015, 1, 1))
        EntityIncome.objects_unscoped.create(entity=entity, year=2016, operating_income=Decimal(90000),
                                             collective_income=income)
        made[village] = entity
    return made


def test_the_list_shows_the_scope_with_the_years_income(client_for, economy) -> None:
    page = client_for("county_a").get("/organization/entities/?year=2016").content.decode()
    assert "甲村茶叶专业合作社" in page and "丙村" not in page and "30,000.00" in page and "共 1 条" in page
    assert "50.00%" in page  # 一村一实体: 甲村 of 甲村, 乙村
    other = client_for("county_b").get("/organization/entities/?year=2016").content.decode()
    assert "丙村茶叶专业合作社" in other and "甲村" not in other
    assert "未填报" in client_for("county_a").get("/organization/entities/?year=2017").content.decode()


def test_the_list_runs_in_constant_queries(client_for, economy, world, django_assert_max_num_queries) -> None:
    client = client_for("city")
    with django_assert_max_num_queries(12):
        client.get("/organization/entities/?year=2016", headers={"HX-Request": "true"})
    for n in range(2, 6):
        CollectiveEntity.objects_unscoped.create(village=world.regions[A2], name=f"乙村{n}社", kind="other")
    with django_assert_max_num_queries(12):
        response = client.get("/organization/entities/?year=2016", headers={"HX-Request": "true"})
    assert "乙村5社" in response.content.decode()
    with django_assert_max_num_queries(25):  # the trend is one query a year shown (six), whatever the data
        client.get("/organization/entities/shells/?year=2016")


def test_shells_list_villages_without_entity_or_income(client_for, economy) -> None:
    page = client_for("city").get("/organization/entities/shells/?year=2016").content.decode()
    table = page.split('id="shells-table"')[1]
    assert "乙村" in table and "没有村集体经济实体" in table
    assert "丙村" in table and "当年没有集体收入" in table
    assert "甲村" not in table and 'id="shell-trend"' in page
    mine = client_for("county_a").get("/organization/entities/shells/?year=2016").content.decode()
    assert "丙村" not in mine and "乙村" in mine


def test_an_entity_is_made_edited_and_given_an_income_through_the_pages(client_for, world) -> None:
    client = client_for("reporter_a")
    form = client.get("/organization/entities/new/").content.decode()
    assert "/regions/pick/villages/" in form
    response = client.post("/organization/entities/new/?year=2016", {
        "village_code": A1, "name": "甲村辣椒专业合作社", "kind": "cooperative", "credit_code": code(A1, 7)})
    assert response.status_code == 302
    entity = CollectiveEntity.objects_unscoped.get(credit_code=code(A1, 7))
    bad = client.post(f"/organization/entities/{entity.pk}/", {
        "name": "甲村辣椒专业合作社", "kind": "cooperative", "credit_code": "123", "version": "1"})
    assert "统一社会信用代码“123”应为18位" in bad.content.decode()
    saved = client.post(f"/organization/entities/{entity.pk}/?year=2016", {
        "save_income": "1", "year": "2016", "operating_income": "1000.25", "collective_income": "200"})
    assert saved.status_code == 302
    assert EntityIncome.objects_unscoped.get(entity=entity).operating_income == Decimal("1000.25")


def test_another_countys_entity_is_not_found(client_for, economy) -> None:
    client = client_for("county_a")
    assert client.get(f"/organization/entities/{economy[B1].pk}/").status_code == 404
    assert client.post(f"/organization/entities/{economy[B1].pk}/delete/").status_code == 404
    assert client_for("leader_a").post(f"/organization/entities/{economy[A1].pk}/",
                                       {"name": "x", "kind": "other"}).status_code == 403


def test_exports_of_entities_and_shells(client_for, economy) -> None:
    import io

    from openpyxl import load_workbook

    client = client_for("county_a")
    found = {}
    for kind in ("entities", "shell_villages"):
        response = client.post(f"/imports/{kind}/export/", {"year": "2016"})
        assert "spreadsheet" in response["Content-Type"], response.content[:300]
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        found[kind] = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [r[0] for r in found["entities"] if str(r[0]).startswith("5203")] == [A1]
    assert [r[1:3] + r[4:] for r in found["shell_villages"] if str(r[1]).startswith("5203")] == [
        [A2, "乙村", "没有村集体经济实体"]]
