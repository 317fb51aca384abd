"""Registry pages: masked IDs, scope both ways."""

from wuzaicun.testing.world import county_a_household, county_b_household


def test_county_user_sees_own_household_masked_and_gets_404_for_other_county(world, client_for):
    own, other = county_a_household(world), county_b_household(world)
    client_a, client_b = client_for("county_a"), client_for("county_b")

    page = client_a.get(f"/registry/households/{own.pk}/")
    assert page.status_code == 200
    assert own.resident_id_masked in page.text
    assert own.reveal_resident_id() not in page.text
    assert client_a.get(f"/registry/households/{other.pk}/").status_code == 404

    assert client_b.get(f"/registry/households/{other.pk}/").status_code == 200
    assert client_b.get(f"/registry/households/{own.pk}/").status_code == 404


def test_reveal_shows_the_full_number_only_with_a_reason_and_audits_it(world, client_for):
    from wuzaicun.audit.models import AuditEntry

    household = county_a_household(world)
    client = client_for("county_a")
    refused = client.post(f"/registry/households/{household.pk}/reveal/", {"reason": ""})
    assert refused.status_code == 400 and household.reveal_resident_id() not in refused.text
    shown = client.post(f"/registry/households/{household.pk}/reveal/", {"reason": "核对户籍"})
    assert shown.status_code == 200 and household.reveal_resident_id() in shown.text
    entry = AuditEntry.objects_unscoped.get(action="view_sensitive", object_id=str(household.pk))
    assert "核对户籍" in entry.summary and household.reveal_resident_id() not in entry.summary


def test_roles_without_the_right_cannot_reveal(world, client_for):
    household = county_a_household(world)
    page = client_for("leader_a").get(f"/registry/households/{household.pk}/")
    assert page.status_code == 200 and "查看原因" not in page.text
    response = client_for("leader_a").post(f"/registry/households/{household.pk}/reveal/", {"reason": "x"})
    assert response.status_code == 403 and household.reveal_resident_id() not in response.text


def test_household_form_creates_and_reports_errors_in_chinese(world, client_for):
    from wuzaicun.registry.models import Household
    from wuzaicun.testing.factories import next_resident_id

    client = client_for("township_a")
    base = {"region_code": "520302001002", "head_name": "王五", "members": 2, "status": "已脱贫",
            "identified_year": 2014, "cause": "缺资金"}
    bad = client.post("/registry/households/new/", base | {"resident_id": next_resident_id()})
    assert bad.status_code == 200 and "必须填写脱贫年度" in bad.text
    assert not Household.objects_unscoped.filter(head_name="王五").exists()
    good = client.post("/registry/households/new/", base | {"resident_id": next_resident_id(), "exit_year": 2016})
    assert good.status_code == 302
    assert Household.objects_unscoped.get(head_name="王五").exit_year == 2016


def test_household_list_filters_pages_and_answers_htmx_with_the_partial(world, client_for, django_assert_max_num_queries):
    client = client_for("city")
    with django_assert_max_num_queries(12):
        page = client.get("/registry/households/?page_size=10")
    assert page.status_code == 200 and "共 12 条" in page.text and "<html" in page.text
    partial = client.get("/registry/households/?region=520303100201", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "共 3 条" in partial.text and "丙村" in partial.text
    assert "HX-Request" in partial["Vary"]
    searched = client.get("/registry/households/?q=甲村户主1")
    assert "共 1 条" in searched.text


def test_search_by_a_whole_resident_id_uses_the_blind_index(world, client_for):
    household = county_a_household(world)
    page = client_for("county_a").get("/registry/households/", {"q": household.reveal_resident_id()})
    assert "共 1 条" in page.text and household.head_name in page.text
    other = client_for("county_b").get("/registry/households/", {"q": household.reveal_resident_id()})
    assert "共 0 条" in other.text


def test_region_tree_counts_each_level(world, client_for):
    client = client_for("city")
    city = client.get("/registry/tree/520300000000/").text
    assert "红花岗区" in city and "汇川区" in city
    county = client.get("/registry/tree/520302000000/")
    assert "老城街道" in county.text
    village = client.get("/registry/tree/520302001001/")
    assert "甲村户主0" in village.text and "共 3 条" in village.text


def test_home_shows_counts_of_the_users_scope(world, client_for):
    page = client_for("county_a").get("/").text
    assert "未脱贫户" in page and "建设中" not in page  # every mechanism has landed
    for mechanism, link in (("责任在村落实", "/responsibility/"), ("组织在村建强", "/organization/"),
                            ("干部在村成长", "/cadres/"), ("资源在村整合", "/resources/"), ("成效在村检验", "/verification/")):
        assert mechanism in page and f'href="{link}' in page, mechanism


def test_a_number_registered_in_another_county_is_refused_without_saying_where(world):
    import pytest

    from wuzaicun.audit.models import AuditEntry
    from wuzaicun.core.errors import DomainError
    from wuzaicun.registry.services import save_household

    other = county_b_household(world)
    with pytest.raises(DomainError) as refused:
        save_household(actor=world.users["county_a"], region_code="520302001001", head_name="重复",
                       resident_id=other.reveal_resident_id(), members=2, status="未脱贫", identified_year=2015,
                       exit_year=None, cause="因病", income_per_head=None)
    assert refused.value.message == "该身份证号无法在此登记，请联系上级管理员核对"
    assert AuditEntry.objects_unscoped.filter(action="denied", actor=world.users["county_a"]).exists()
    own = county_a_household(world)
    with pytest.raises(DomainError, match="已登记为户主"):
        save_household(actor=world.users["county_a"], region_code="520302001001", head_name="重复",
                       resident_id=own.reveal_resident_id(), members=2, status="未脱贫", identified_year=2015,
                       exit_year=None, cause="因病", income_per_head=None)


def test_home_lists_what_waits_for_the_user(world, client_for):
    township = client_for("township_a").get("/").text
    assert "待审核的季度对账" in township and "待对账的台账条目" in township
    leader = client_for("leader_a").get("/").text
    assert "id=\"todos\"" not in leader
    inspector = client_for("inspector_a").get("/").text
    assert "指派给我的进行中的抽查计划" in inspector
