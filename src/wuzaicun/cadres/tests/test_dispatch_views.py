"""Pages of 选派: lists in scope with filters and bounded queries, forms with pickers, a dispatch's end refused
and allowed on its page, a group with its members, placements, and the unit and group pickers."""

from __future__ import annotations

import pytest

from wuzaicun.cadres.models import Dispatch, Placement, WorkingGroup

from .test_dispatch_world import A1, A2, B1, TOWNSHIP_A, D, dispatch, group, person, units


@pytest.fixture
def u(world):
    return units(world)


def test_the_dispatch_list_shows_the_scope_and_filters(client_for, world, u) -> None:
    dispatch(world, u["city"], A1)
    dispatch(world, u["a"], A2, i=1, kind="resident", start=D(2014, 1, 1), end=D(2015, 6, 30))
    dispatch(world, u["b"], B1)
    page = client_for("county_a").get("/cadres/dispatches/?year=2015").content.decode()
    assert "甲村" in page and "乙村" in page and "丙村" not in page and "共 2 条" in page
    assert "遵义市人民政府办公室" in page and "第一书记" in page and "2015-06-30" in page
    assert "共 1 条" in client_for("county_a").get("/cadres/dispatches/?year=2016").content.decode()
    assert "共 1 条" in client_for("county_a").get("/cadres/dispatches/?year=2015&kind=resident").content.decode()
    assert "共 1 条" in client_for("county_a").get("/cadres/dispatches/?year=2015&status=ended").content.decode()
    assert "共 0 条" in client_for("county_a").get("/cadres/dispatches/?year=2015&q=丙村").content.decode()
    other = client_for("county_b").get("/cadres/dispatches/?year=2016").content.decode()
    assert "丙村" in other and "甲村" not in other


def test_list_pages_run_in_bounded_queries(client_for, world, u, django_assert_max_num_queries) -> None:
    client = client_for("city")
    g = group(world, u["a"], A1)
    for i in range(2):
        d = dispatch(world, u["a"], A1, i=i, kind="resident", start=D(2015, 3, 1 + i))
        Dispatch.objects_unscoped.filter(pk=d.pk).update(group=g)
    for url in ("/cadres/dispatches/?year=2016", "/cadres/groups/?year=2016", "/cadres/placements/?year=2016"):
        with django_assert_max_num_queries(12):
            assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    for village in (A2, B1):
        group(world, u["a"], village)
        dispatch(world, u["a"], village)
    Placement.objects_unscoped.create(person=person(world, A1), kind="upper", region=world.regions[TOWNSHIP_A],
                                      start=D(2016, 1, 1))
    for url in ("/cadres/dispatches/?year=2016", "/cadres/groups/?year=2016", "/cadres/placements/?year=2016"):
        with django_assert_max_num_queries(12):
            assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    with django_assert_max_num_queries(25):
        page = client.get("/cadres/groups/?year=2016").content.decode()
    assert "共 3 条" in page and "2 人" in page


def test_a_dispatch_is_added_with_pickers(client_for, world, u) -> None:
    client = client_for("county_a")
    form = client.get(f"/cadres/dispatches/new/?village={A1}").content.decode()
    assert "/registry/pick/people/" in form and "/cadres/pick/units/" in form and "/cadres/pick/groups/" in form
    assert "甲村" in form  # the village chosen from the coverage gap
    response = client.post("/cadres/dispatches/new/", {
        "person_id": person(world, A1).pk, "kind": "first_secretary", "unit_id": u["a"].pk, "village_code": A1,
        "start": "2015-03-01"})
    made = Dispatch.objects_unscoped.get()
    assert response.status_code == 302 and response["Location"] == f"/cadres/dispatches/{made.pk}/"
    refused = client.post("/cadres/dispatches/new/", {
        "person_id": person(world, A1).pk, "kind": "first_secretary", "unit_id": u["b"].pk, "village_code": A1,
        "start": "2016-03-01"})
    assert refused.status_code == 404 or "派出单位不存在" in refused.content.decode()
    assert client_for("inspector_a").get("/cadres/dispatches/new/").status_code == 403


def test_ending_on_the_page_is_refused_then_allowed(client_for, world, u) -> None:
    first = dispatch(world, u["a"], A1)
    client = client_for("county_a")
    page = client.post(f"/cadres/dispatches/{first.pk}/", {"end_dispatch": "1", "end": "2016-06-30"}).content.decode()
    assert "甲村尚未出列，群众不脱贫、干部不脱钩：须有接任的第一书记在2016-06-30前到岗，才能结束该选派" in page
    successor = dispatch(world, u["a"], A1, i=1, start=D(2016, 6, 1))
    detail = client.get(f"/cadres/dispatches/{first.pk}/").content.decode()
    assert f'value="{successor.pk}"' in detail  # offered as the successor
    done = client.post(f"/cadres/dispatches/{first.pk}/", {"end_dispatch": "1", "end": "2016-06-30",
                                                           "successor_id": str(successor.pk)})
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.end == D(2016, 6, 30) and first.successor == successor
    assert person(world, A1, 1).name in client.get(f"/cadres/dispatches/{first.pk}/").content.decode()
    assert client_for("county_b").get(f"/cadres/dispatches/{first.pk}/").status_code == 404
    viewer = client_for("inspector_a").get(f"/cadres/dispatches/{first.pk}/").content.decode()
    assert "结束选派" not in viewer and "2016-06-30" in viewer


def test_a_dispatch_is_edited_on_its_page(client_for, world, u) -> None:
    first = dispatch(world, u["a"], A2)
    response = client_for("county_a").post(f"/cadres/dispatches/{first.pk}/", {
        "kind": "resident", "unit_id": u["city"].pk, "start": "2015-03-01", "end": ""})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.kind == "resident" and first.unit == u["city"]


def test_groups_are_added_and_show_their_members(client_for, world, u) -> None:
    client = client_for("county_a")
    response = client.post("/cadres/groups/new/", {"village_code": A1, "unit_id": u["a"].pk,
                                                   "leader_id": person(world, A1).pk, "start": "2015-03-01"})
    made = WorkingGroup.objects_unscoped.get()
    assert response.status_code == 302 and response["Location"] == f"/cadres/groups/{made.pk}/"
    member = dispatch(world, u["a"], A1)
    Dispatch.objects_unscoped.filter(pk=member.pk).update(group=made)
    page = client.get(f"/cadres/groups/{made.pk}/").content.decode()
    assert "成员（1 人）" in page and person(world, A1).name in page and "组长" in page and "在岗" in page
    saved = client.post(f"/cadres/groups/{made.pk}/", {"unit_id": u["a"].pk, "start": "2015-03-01",
                                                       "end": "2016-12-31"})
    assert saved.status_code == 302
    made.refresh_from_db()
    assert made.end == D(2016, 12, 31)
    assert client_for("county_b").get(f"/cadres/groups/{made.pk}/").status_code == 404


def test_placements_are_added_and_refused_by_name(client_for, world, u) -> None:
    client = client_for("county_a")
    ok = client.post("/cadres/placements/new/", {"person_id": person(world, A1).pk, "kind": "upper",
                                                 "region_code": TOWNSHIP_A, "post": "党委书记", "start": "2016-01-01"})
    assert ok.status_code == 302 and Placement.objects_unscoped.count() == 1
    refused = client.post("/cadres/placements/new/", {"person_id": person(world, A1).pk, "kind": "reserve",
                                                      "region_code": A2, "start": "2016-01-01"}).content.decode()
    assert "乙村不是未出列的贫困村，不能安排上管一级或后备干部" in refused
    listed = client.get("/cadres/placements/?year=2016").content.decode()
    assert "未脱贫乡镇党政正职上管一级" in listed and "老城街道" in listed and "共 1 条" in listed
    assert "共 0 条" in client_for("county_b").get("/cadres/placements/?year=2016").content.decode()


def test_pickers_search_by_post_in_scope(client_for, world, u) -> None:
    client = client_for("county_a")
    found = client.post("/cadres/pick/units/", {"picker": "unit_id", "unit_id_search": "局"}).content.decode()
    assert "红花岗区农业农村局" in found and "汇川区财政局" not in found
    above = client.post("/cadres/pick/units/", {"picker": "unit_id", "unit_id_search": "遵义市"}).content.decode()
    assert "遵义市人民政府办公室" in above
    group(world, u["a"], A1)
    group(world, u["b"], B1)
    groups = client.post("/cadres/pick/groups/", {"picker": "group_id", "within_field": "village_code",
                                                  "village_code": A1, "group_id_search": ""}).content.decode()
    assert "甲村驻村工作组" in groups and "丙村" not in groups
    assert client.get("/cadres/pick/units/").status_code == 405


def test_dates_are_shown_in_the_date_inputs(client_for, world, u) -> None:
    first = dispatch(world, u["a"], A2, end=D(2016, 6, 30))
    page = client_for("county_a").get(f"/cadres/dispatches/{first.pk}/").content.decode()
    assert 'value="2015-03-01"' in page and 'value="2016-06-30"' in page
