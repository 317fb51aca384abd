"""The pages of 千村千人计划 and 项目书记: lists in scope with bounded queries, the overdue tab, forms, details."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wuzaicun.cadres.models import ProjectSecretary, SecretaryProject, Talent, TalentVillage, TalentVisit
from wuzaicun.cadres.selectors.talents import overdue_pairs, overdue_rows

A, TA, A1, A2 = "520302000000", "520302001000", "520302001001", "520302001002"
B, B1, B2 = "520303000000", "520303100201", "520303100202"


def make_talent(world, village: str, region: str, *, every: int = 30, villages: tuple[str, ...] = (),
                person_index: int = 0, year: int = 2016) -> Talent:
    talent = Talent.objects_unscoped.create(person=world.people[village][person_index], region=world.regions[region],
                                            field="agriculture", year=year, visit_every=every)
    for code in villages or (village,):
        TalentVillage.objects_unscoped.create(talent=talent, village=world.regions[code])
    return talent


def visit(world, talent: Talent, village: str, day: dt.date) -> None:
    TalentVisit.objects_unscoped.create(talent=talent, village=world.regions[village], date=day, content="技术指导")


@pytest.fixture
def talents(world):
    a = make_talent(world, A1, A, villages=(A1, A2))
    b = make_talent(world, B1, B)
    visit(world, a, A1, dt.date(2016, 12, 20))
    visit(world, a, A2, dt.date(2016, 3, 1))
    return {"a": a, "b": b}


def test_the_list_shows_the_scope_with_villages_and_totals(client_for, talents) -> None:
    page = client_for("county_a").get("/cadres/talents/?year=2016").content.decode()
    table = page.split('id="talents-table"')[1]
    assert "甲村党员0" in table and "甲村、乙村" in table and "丙村" not in table and "共 1 条" in page
    assert "逾期未走访" in page and "520302********" in table  # the resident ID masked
    other = client_for("county_b").get("/cadres/talents/?year=2016").content.decode()
    assert "丙村党员0" in other and "甲村党员0" not in other


def test_the_list_filters_by_name_and_field(client_for, talents) -> None:
    client = client_for("city")
    assert "共 2 条" in client.get("/cadres/talents/?year=2016").content.decode()
    assert "共 1 条" in client.get("/cadres/talents/?year=2016&q=丙村").content.decode()
    assert "共 0 条" in client.get("/cadres/talents/?year=2016&field=finance").content.decode()
    assert "共 1 条" in client.get(f"/cadres/talents/?year=2016&region={B}").content.decode()


@pytest.mark.parametrize(("every", "last", "overdue"), [
    (30, None, True),                    # never visited in 2016: overdue at the year's end
    (30, dt.date(2016, 12, 1), False),   # 30 days before 31 December: still on time
    (30, dt.date(2016, 11, 30), True),   # 31 days: overdue
    (60, dt.date(2016, 11, 1), False),
    (91, dt.date(2016, 9, 30), True),    # 92 days
    (182, dt.date(2016, 7, 2), False),   # 182 days
    (182, dt.date(2016, 7, 1), True),
])
def test_the_overdue_query_agrees_with_the_rule(world, every, last, overdue) -> None:
    talent = make_talent(world, A1, A, every=every)
    if last:
        visit(world, talent, A1, last)
        visit(world, talent, A1, last - dt.timedelta(days=100))  # an older visit never counts
    rows = overdue_pairs(world.users["county_a"], year=2016)
    assert rows.count() == (1 if overdue else 0)
    if overdue:
        row = overdue_rows(rows, year=2016)[0]
        assert row["last_visit"] == last and row["overdue"] > 0


def test_a_visit_after_the_day_checked_does_not_count(world) -> None:
    talent = make_talent(world, A1, A)
    visit(world, talent, A1, dt.date(2016, 6, 1))
    assert overdue_pairs(world.users["city"], year=2016, on=dt.date(2016, 5, 1)).count() == 1
    assert overdue_pairs(world.users["city"], year=2016, on=dt.date(2016, 6, 30)).count() == 0


def test_the_overdue_tab_lists_pairs_in_scope_in_constant_queries(client_for, talents, world,
                                                                  django_assert_max_num_queries) -> None:
    client = client_for("county_a")
    with django_assert_max_num_queries(20):  # the page with its four totals and the region tree
        page = client.get("/cadres/talents/?year=2016&tab=overdue").content.decode()
    table = page.split('id="overdue-table"')[1]
    assert "乙村" in table and "2016-03-01" in table and "甲村</a>" not in table and "丙村" not in table
    for n in range(2, 8):
        extra = make_talent(world, A2, A, person_index=n % 2, year=2016 + n)
        TalentVillage.objects_unscoped.filter(talent=extra).delete()
    for person in range(2):
        make_talent(world, A2, A, villages=(A1, A2), person_index=person, year=2017)
    with django_assert_max_num_queries(12):
        client.get("/cadres/talents/?year=2017&tab=overdue", headers={"HX-Request": "true"})
    with django_assert_max_num_queries(20):
        client.get("/cadres/talents/?year=2017")


def test_a_township_user_sees_overdue_pairs_of_its_villages_without_a_dead_link(client_for, talents) -> None:
    page = client_for("township_a").get("/cadres/talents/?year=2016&tab=overdue").content.decode()
    table = page.split('id="overdue-table"')[1]
    assert "乙村" in table and "/cadres/talents/" not in table


def test_a_talent_is_added_by_the_form_and_visited(client_for, world) -> None:
    client = client_for("county_a")
    person = world.people[A1][0]
    response = client.post("/cadres/talents/new/?year=2016", {
        "person_id": person.pk, "field": "technology", "year": 2016, "visit_every": 60, "village_codes": [A1, A2]})
    assert response.status_code == 302, response.content.decode()
    talent = Talent.objects_unscoped.get()
    detail = client.get(f"/cadres/talents/{talent.pk}/").content.decode()
    assert "从未走访" in detail and "逾期" in detail and "登记走访" in detail
    response = client.post(f"/cadres/talents/{talent.pk}/", {"village_code": A2, "date": "2016-05-01", "content": "测土配方"})
    assert response.status_code == 302
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    refused = client.post(f"/cadres/talents/{talent.pk}/", {"village_code": A2, "date": future, "content": "x"})
    assert refused.status_code == 200 and "不能登记未来的走访" in refused.content.decode()
    assert "测土配方" in client.get(f"/cadres/talents/{talent.pk}/").content.decode()
    edit = client.post(f"/cadres/talents/{talent.pk}/edit/", {"field": "finance", "visit_every": 30,
                                                              "village_codes": [A1]})
    assert "已走访过乙村" in edit.content.decode()
    assert client.post(f"/cadres/talents/{talent.pk}/delete/").status_code == 302
    assert not Talent.objects_unscoped.exists()


def test_pages_out_of_scope_answer_404_and_readers_cannot_edit(client_for, talents) -> None:
    b = talents["b"]
    assert client_for("county_a").get(f"/cadres/talents/{b.pk}/").status_code == 404
    assert client_for("county_a").post(f"/cadres/talents/{b.pk}/delete/").status_code == 404
    assert client_for("leader_a").get("/cadres/talents/new/").status_code == 403
    page = client_for("leader_a").get(f"/cadres/talents/{talents['a'].pk}/").content.decode()
    assert "登记走访" not in page


@pytest.fixture
def secretaries(world):
    a = ProjectSecretary.objects_unscoped.create(person=world.people[A1][1], region=world.regions[TA], year=2016)
    b = ProjectSecretary.objects_unscoped.create(person=world.people[B1][1], region=world.regions[B1], year=2016)
    SecretaryProject.objects_unscoped.create(secretary=a, role="lead", name="甲村茶厂", village=world.regions[A1],
                                             amount=Decimal("3000000"))
    SecretaryProject.objects_unscoped.create(secretary=a, role="drive", name="乙村菜园", village=world.regions[A2])
    SecretaryProject.objects_unscoped.create(secretary=b, role="lead", name="丙村果园", village=world.regions[B1])
    return {"a": a, "b": b}


def test_the_secretaries_list_counts_projects_in_scope(client_for, secretaries, world,
                                                       django_assert_max_num_queries) -> None:
    client = client_for("county_a")
    page = client.get("/cadres/secretaries/?year=2016").content.decode()
    totals = page.split('id="secretary-totals"')[1].split('id="search-form"')[0]
    assert "1 人" in totals and "3,000,000.00" in totals
    table = page.split('id="secretaries-table"')[1]
    assert "甲村党员1" in table and "丙村" not in table
    city = client_for("city").get("/cadres/secretaries/?year=2016").content.decode()
    assert "2 人" in city and "共 2 条" in city
    for n in range(5):
        s = ProjectSecretary.objects_unscoped.create(person=world.people[A2][n % 2], region=world.regions[A2],
                                                     year=2017 + n)
        SecretaryProject.objects_unscoped.create(secretary=s, role="lead", name=f"项目{n}", village=world.regions[A2])
    with django_assert_max_num_queries(18):
        client.get("/cadres/secretaries/?year=2016")
    with django_assert_max_num_queries(10):
        client.get("/cadres/secretaries/?year=2016", headers={"HX-Request": "true"})


def test_a_secretary_and_projects_through_the_pages(client_for, world, secretaries) -> None:
    client = client_for("county_a")
    response = client.post("/cadres/secretaries/new/?year=2016", {
        "person_id": world.people[A2][1].pk, "region_code": A2, "year": 2016})
    assert response.status_code == 302
    secretary = ProjectSecretary.objects_unscoped.get(person=world.people[A2][1])
    added = client.post(f"/cadres/secretaries/{secretary.pk}/", {
        "name": "乙村光伏", "role": "lead", "village_code": A2, "amount": "1234.56"})
    assert added.status_code == 302
    refused = client.post(f"/cadres/secretaries/{secretary.pk}/", {
        "name": "甲村项目", "role": "lead", "village_code": A1, "amount": ""})
    assert "不在项目书记所在的“乙村”内" in refused.content.decode()
    detail = client.get(f"/cadres/secretaries/{secretary.pk}/").content.decode()
    assert "乙村光伏" in detail and "1,234.56" in detail and "领办" in detail
    project = SecretaryProject.objects_unscoped.get(name="乙村光伏")
    assert client.post(f"/cadres/secretaries/projects/{project.pk}/edit/", {
        "name": "乙村光伏电站", "role": "drive", "village_code": A2, "amount": ""}).status_code == 302
    assert client.post(f"/cadres/secretaries/projects/{project.pk}/delete/").status_code == 302
    assert client_for("county_b").get(f"/cadres/secretaries/{secretary.pk}/").status_code == 404
    assert client.get(f"/cadres/secretaries/{secretaries['b'].pk}/").status_code == 404


def test_the_forms_render_with_the_current_values(client_for, talents, secretaries) -> None:
    client = client_for("county_a")
    assert "新增千村千人计划人才" in client.get("/cadres/talents/new/?year=2016").content.decode()
    edit = client.get(f"/cadres/talents/{talents['a'].pk}/edit/").content.decode()
    assert "甲村" in edit and "乙村" in edit and "修改千村千人计划人才" in edit
    assert "新增项目书记" in client.get("/cadres/secretaries/new/").content.decode()
    assert "老城街道" in client.get(f"/cadres/secretaries/{secretaries['a'].pk}/edit/").content.decode()
    project = SecretaryProject.objects_unscoped.get(name="甲村茶厂")
    assert "甲村茶厂" in client.get(f"/cadres/secretaries/projects/{project.pk}/edit/").content.decode()
    assert client_for("county_b").get(f"/cadres/secretaries/projects/{project.pk}/edit/").status_code == 404
