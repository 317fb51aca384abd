"""Pages of the orgs area: lists in scope both ways, paging and htmx partials, forms, the committee tabs,
exports of the filtered set, query counts that do not grow with the rows."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuzaicun.organization.models.orgs import Membership, PartyOrganisation
from wuzaicun.organization.services.orgs import (
    add_members,
    create_committee,
    record_service,
    save_organisation,
    save_social_org,
    save_station,
)
from wuzaicun.testing import factories

from .test_orgs_services import A1, A2, B1, org_tree


def test_the_list_shows_each_county_its_own(world, client_for):
    a, b = org_tree(world, "a"), org_tree(world, "b")
    page_a = client_for("county_a").get("/organization/orgs/")
    assert page_a.status_code == 200 and "共 2 条" in page_a.text
    assert a["branch"].name in page_a.text and b["branch"].name not in page_a.text
    page_b = client_for("county_b").get("/organization/orgs/")
    assert b["branch"].name in page_b.text and a["branch"].name not in page_b.text
    assert client_for("county_a").get(f"/organization/orgs/{b['branch'].pk}/").status_code == 404
    assert client_for("county_b").get(f"/organization/orgs/{a['branch'].pk}/").status_code == 404


def test_the_list_filters_and_answers_htmx_with_its_partial(world, client_for):
    org_tree(world, "a")
    client = client_for("city")
    page = client.get("/organization/orgs/?category=village")
    assert "共 1 条" in page.text and "支部委员会" in page.text
    partial = client.get("/organization/orgs/?org_type=committee", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and 'id="list"' in partial.text and "共 1 条" in partial.text
    assert "HX-Request" in partial["Vary"]
    assert "共 0 条" in client.get("/organization/orgs/?q=不存在的组织").text


def test_the_list_costs_the_same_queries_for_more_rows(world, client_for):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for("city").get("/organization/orgs/").status_code == 200
        return len(queries)

    org_tree(world, "a")
    few = count()
    for i in range(6):
        org = save_organisation(actor=world.users["county_b"], name=f"中共丙村第{i}支部委员会", org_type="branch",
                                category="village", region_code=B1, secretary_id=world.people[B1][0].pk)
        add_members(actor=world.users["county_b"], org_id=org.pk, person_ids=[p.pk for p in world.people[B1]])
    assert count() == few


def test_the_detail_page_shows_the_tree_and_members(world, client_for):
    orgs = org_tree(world)
    add_members(actor=world.users["county_a"], org_id=orgs["branch"].pk, person_ids=[world.people[A1][1].pk])
    page = client_for("county_a").get(f"/organization/orgs/{orgs['top'].pk}/")
    assert orgs["branch"].name in page.text and "组织架构" in page.text
    page = client_for("county_a").get(f"/organization/orgs/{orgs['branch'].pk}/")
    assert orgs["top"].name in page.text and world.people[A1][1].name in page.text
    assert world.people[A1][1].resident_id_masked in page.text


def test_the_form_creates_an_organisation_with_the_pickers(world, client_for):
    top = org_tree(world)["top"]
    client = client_for("county_a")
    assert client.get("/organization/orgs/new/").status_code == 200
    response = client.post("/organization/orgs/new/", {
        "name": "中共乙村支部委员会", "org_type": "branch", "category": "village", "region_code": A2,
        "parent_id": top.pk, "secretary_id": world.people[A2][0].pk, "founded_on": "2001-07-01"})
    assert response.status_code == 302
    org = PartyOrganisation.objects_unscoped.get(name="中共乙村支部委员会")
    assert (org.parent_id, org.secretary_id, org.founded_on) == (top.pk, world.people[A2][0].pk, dt.date(2001, 7, 1))


def test_the_form_shows_a_refusal_in_chinese_and_keeps_what_was_typed(world, client_for):
    outsider = factories.person(world.regions[A2], name="孙群众", political_status="群众")
    response = client_for("county_a").post("/organization/orgs/new/", {
        "name": "中共乙村支部委员会", "org_type": "branch", "category": "village", "region_code": A2,
        "secretary_id": outsider.pk})
    assert response.status_code == 200 and "孙群众" in response.text and "不是中共党员" in response.text
    assert not PartyOrganisation.objects_unscoped.filter(name="中共乙村支部委员会").exists()


def test_members_are_added_and_removed_on_the_detail_page(world, client_for):
    branch = org_tree(world)["branch"]
    client = client_for("county_a")
    outsider = factories.person(world.regions[A1], name="周群众", political_status="群众")
    refused = client.post(f"/organization/orgs/{branch.pk}/members/", {"person_ids": [outsider.pk]})
    assert refused.status_code == 400 and "周群众" in refused.text
    added = client.post(f"/organization/orgs/{branch.pk}/members/", {"person_ids": [world.people[A1][1].pk]})
    assert added.status_code == 302 and Membership.objects_unscoped.filter(organisation=branch).count() == 1
    removed = client.post(f"/organization/orgs/{branch.pk}/members/{world.people[A1][1].pk}/remove/")
    assert removed.status_code == 302 and not Membership.objects_unscoped.exists()
    assert client_for("leader_a").post(f"/organization/orgs/{branch.pk}/members/",
                                       {"person_ids": [world.people[A1][1].pk]}).status_code == 403


def test_the_export_is_the_filtered_list_in_scope(world, client_for, tmp_path):
    from openpyxl import load_workbook

    org_tree(world, "a"), org_tree(world, "b")
    response = client_for("county_a").post("/imports/organizations/export/", {"category": "村党组织", "region": ""})
    assert response.status_code == 200
    path = tmp_path / "orgs.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "组织名称")
    assert list(rows[header])[:7] == ["组织名称", "组织类型", "类别", "上级组织", "区划代码", "书记身份证号", "成立日期"]
    data = [r for r in rows[header + 1:] if r and r[0]]
    assert [r[0] for r in data] == ["中共甲村支部委员会"]
    assert data[0][5] == world.people[A1][0].resident_id_masked


# --- committees -------------------------------------------------------------------------------------------

def test_the_committee_page_and_its_second_tab_of_villages_without_one(world, client_for):
    create_committee(actor=world.users["county_a"], village_code=A1, members=[(world.people[A1][0].pk, "chair")])
    client = client_for("county_a")
    page = client.get("/organization/committees/?year=2016")
    assert "共 1 条" in page.text and "甲村" in page.text and "0/8" in page.text
    without = client.get("/organization/committees/?tab=without")
    assert "共 1 条" in without.text and "乙村" in without.text and "丙村" not in without.text
    assert "丁村" in client_for("county_b").get("/organization/committees/?tab=without").text
    exported = client.post("/imports/villages_without_committee/export/", {"region": ""})
    assert exported.status_code == 200


def test_a_committee_is_made_and_its_duties_ticked_on_its_pages(world, client_for):
    client = client_for("county_a")
    response = client.post("/organization/committees/new/", {
        "village_code": A2, "chair_id": world.people[A2][0].pk, "member_ids": [world.people[A2][1].pk]})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert world.people[A2][0].name in detail.text and "主任" in detail.text and "监督财务管理" in detail.text
    committee_id = int(response["Location"].rstrip("/").split("/")[-1])
    ticked = client.post(f"/organization/committees/{committee_id}/duties/",
                         {"year": "2016", "done": ["监督村务公开", "监督财务管理"]})
    assert ticked.status_code == 302
    page = client.get("/organization/committees/?year=2016")
    assert "2/8" in page.text
    assert client_for("county_b").get(f"/organization/committees/{committee_id}/").status_code == 404


# --- social organisations and stations --------------------------------------------------------------------

def test_the_social_page_lists_organisations_stations_and_services_with_counts(world, client_for):
    actor = world.users["county_a"]
    coop = save_social_org(actor=actor, name="甲村茶叶专业合作社", kind="cooperative", region_code=A1)
    station = save_station(actor=actor, name="甲村电商服务站", region_code=A1)
    save_social_org(actor=world.users["county_b"], name="丙村辣椒专业合作社", kind="cooperative", region_code=B1)
    record_service(actor=actor, station_id=station.pk, household_id=world.households[A1][0].pk, kind="market",
                   served_on=dt.date(2016, 5, 1))
    client = client_for("county_a")
    page = client.get("/organization/social/?year=2016")
    assert coop.name in page.text and "丙村辣椒专业合作社" not in page.text and "共 1 条" in page.text
    stations = client.get("/organization/social/?tab=stations&year=2016")
    assert station.name in stations.text
    services = client.get("/organization/social/?tab=services&year=2016")
    assert "市场对接" in services.text and world.households[A1][0].head_name in services.text
    detail = client.get(f"/organization/social/stations/{station.pk}/?year=2016")
    assert world.households[A1][0].head_name in detail.text and "登记服务" in detail.text
    assert client_for("county_b").get(f"/organization/social/stations/{station.pk}/").status_code == 404


def test_a_service_is_recorded_with_the_household_picker(world, client_for):
    coop = save_social_org(actor=world.users["county_a"], name="甲村茶叶专业合作社", kind="cooperative",
                           region_code=A1)
    client = client_for("county_a")
    response = client.post(f"/organization/social/orgs/{coop.pk}/services/", {
        "household_id": world.households[A1][1].pk, "kind": "training", "served_on": "2016-03-02", "note": "茶叶修剪"})
    assert response.status_code == 302
    refused = client.post(f"/organization/social/orgs/{coop.pk}/services/", {
        "household_id": world.households[B1][1].pk, "kind": "training", "served_on": "2016-03-02"})
    assert refused.status_code == 400 and "不在您的管辖范围内" in refused.text


def test_the_pages_of_the_area_open_for_every_role(world, client_for):
    org_tree(world)
    for user in ("sysadmin", "city", "county_a", "township_a", "reporter_a", "leader_a"):
        client = client_for(user)
        for url in ("/organization/orgs/", "/organization/committees/", "/organization/committees/?tab=without",
                    "/organization/social/", "/organization/social/?tab=stations",
                    "/organization/social/?tab=services"):
            assert client.get(url).status_code == 200, (user, url)


def test_the_parent_picker_offers_committees_and_general_branches_in_scope(world, client_for):
    a, b = org_tree(world, "a"), org_tree(world, "b")
    client = client_for("county_a")
    found = client.post("/organization/orgs/pick/", {"picker": "parent_id", "parent_id_search": "委员会"})
    assert found.status_code == 200
    assert a["top"].name in found.text and a["branch"].name not in found.text  # a 党支部 has no children
    assert b["top"].name not in found.text
    assert client.get("/organization/orgs/pick/").status_code == 405
    form = client.get(f"/organization/orgs/{a['branch'].pk}/edit/")
    assert a["top"].name in form.text  # the chosen parent is named, not numbered


def test_an_organisation_and_a_committee_are_deleted_from_their_pages_in_scope_only(world, client_for):
    a, b = org_tree(world, "a"), org_tree(world, "b")
    county_a = client_for("county_a")
    assert "删除" in county_a.get(f"/organization/orgs/{a['branch'].pk}/").text
    refused = county_a.post(f"/organization/orgs/{a['top'].pk}/delete/")  # it still has the village 党支部
    assert refused.status_code == 400 and "还有下级组织" in refused.text
    assert county_a.post(f"/organization/orgs/{b['branch'].pk}/delete/").status_code == 404
    assert county_a.post(f"/organization/orgs/{a['branch'].pk}/delete/").status_code == 302
    assert not PartyOrganisation.objects_unscoped.filter(pk=a["branch"].pk).exists()
    assert PartyOrganisation.objects_unscoped.filter(pk=b["branch"].pk).exists()

    committee = create_committee(actor=world.users["county_a"], village_code=A1,
                                 members=[(world.people[A1][0].pk, "chair")])
    other = create_committee(actor=world.users["county_b"], village_code=B1,
                             members=[(world.people[B1][0].pk, "chair")])
    assert "撤销监委会" in county_a.get(f"/organization/committees/{committee.pk}/").text
    assert client_for("county_b").post(f"/organization/committees/{committee.pk}/delete/").status_code == 404
    assert county_a.post(f"/organization/committees/{committee.pk}/delete/").status_code == 302
    listing = county_a.get("/organization/committees/?tab=without")
    assert world.regions[A1].name in listing.text
    assert client_for("county_b").get(f"/organization/committees/{other.pk}/").status_code == 200


def test_a_social_organisation_and_a_station_are_deleted_with_their_services_in_scope_only(world, client_for):
    from wuzaicun.audit.models import AuditEntry
    from wuzaicun.organization.models.orgs import EcommerceStation, ServiceRecord, SocialOrganisation

    social = save_social_org(actor=world.users["county_a"], name="甲村种植协会", kind="association", region_code=A1)
    station = save_station(actor=world.users["county_b"], name="丙村电商服务站", region_code=B1)
    household = world.households[A1][0]
    record_service(actor=world.users["county_a"], social_org_id=social.pk, household_id=household.pk,
                   kind="training", served_on=dt.date(2016, 5, 1))
    county_a = client_for("county_a")
    assert county_a.post(f"/organization/social/stations/{station.pk}/delete/").status_code == 404
    assert county_a.post(f"/organization/social/orgs/{social.pk}/delete/").status_code == 302
    assert not SocialOrganisation.objects_unscoped.filter(pk=social.pk).exists()
    assert not ServiceRecord.objects_unscoped.filter(household=household).exists()
    assert "连同 1 条服务记录" in AuditEntry.objects_unscoped.get(object_type="social_organisation",
                                                              action="delete").summary
    assert client_for("county_b").post(f"/organization/social/stations/{station.pk}/delete/").status_code == 302
    assert not EcommerceStation.objects_unscoped.exists()


def test_an_import_button_shows_only_for_those_who_may_import(world, client_for):
    # a village reporter edits organisations but may not import (IMPORT_DATA): no button leading to a 403
    for path in ("/organization/orgs/", "/organization/entities/", "/organization/guarantees/"):
        assert "/upload/" not in client_for("reporter_a").get(path).text
        assert "/upload/" in client_for("county_a").get(path).text
