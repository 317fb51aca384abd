"""The 干部培训 pages: the list with the year's figures (scoped, bounded queries), the form with the pickers, the
session page with its attendance (add several, duplicates refused by name, remove), coverage with the untrained."""

from __future__ import annotations

from wuzaicun.cadres.models import Attendance, TrainingSession

from .test_training_helpers import COUNTY_A, build_training, session


def test_the_list_shows_the_scope_with_the_years_figures(client_for, world) -> None:
    build_training(world)
    page = client_for("county_a").get("/cadres/trainings/?year=2016").content.decode()
    assert "红花岗区2016年村干部培训班" in page and "汇川区" not in page and "共 1 条" in page
    assert 'id="training-figures"' in page and "县级培训班" in page
    city = client_for("city").get("/cadres/trainings/?year=2016&level=city").content.decode()
    assert "遵义市2016年脱贫攻坚专题培训班" in city and "共 1 条" in city
    assert "共 3 条" in client_for("city").get("/cadres/trainings/?year=2016").content.decode()
    assert "共 0 条" in client_for("county_a").get("/cadres/trainings/?year=2017").content.decode()


def test_the_list_runs_in_bounded_queries(client_for, world, django_assert_max_num_queries) -> None:
    build_training(world)
    client = client_for("city")
    with django_assert_max_num_queries(16):
        client.get("/cadres/trainings/?year=2016")
    for n in range(6):
        session(world, COUNTY_A, f"第{n}期", level="county")
    with django_assert_max_num_queries(16):
        response = client.get("/cadres/trainings/?year=2016")
    assert "第5期" in response.content.decode()
    with django_assert_max_num_queries(16):
        client.get("/cadres/trainings/coverage/?year=2016&group=village_cadres")


def test_a_session_is_made_through_the_form_and_refused_with_its_reason(client_for, world) -> None:
    client = client_for("county_a")
    form = client.get("/cadres/trainings/new/").content.decode()
    assert "/regions/pick/regions/" in form and "村干部" in form and "培训对象" in form
    assert "中共红花岗区委组织部" in form  # the organiser defaults to the scope's organisation department
    data = {"name": "红花岗区第一期", "level": "county", "region_code": COUNTY_A, "organiser": "区委组织部",
            "topic": "驻村帮扶", "start": "2016-04-01", "end": "2016-04-03", "target_groups": ["dispatched"]}
    refused = client.post("/cadres/trainings/new/", data | {"end": "2016-03-01"})
    assert refused.status_code == 200 and "结束日期 2016-03-01 早于开始日期 2016-04-01" in refused.content.decode()
    wrong = client.post("/cadres/trainings/new/", data | {"level": "city"})
    assert "市级培训班须由市（州）举办" in wrong.content.decode()
    saved = client.post("/cadres/trainings/new/", data)
    assert saved.status_code == 302
    made = TrainingSession.objects_unscoped.get(name="红花岗区第一期")
    assert made.target_groups == ["dispatched"]
    edit = client.post(f"/cadres/trainings/{made.pk}/edit/", data | {"topic": "产业扶贫"})
    assert edit.status_code == 302
    made.refresh_from_db()
    assert made.topic == "产业扶贫"


def test_the_session_page_adds_several_attendees_refuses_a_duplicate_and_removes(client_for, world) -> None:
    t = build_training(world)
    client = client_for("county_a")
    pk = t.sessions["a"].pk
    page = client.get(f"/cadres/trainings/{pk}/").content.decode()
    assert "暂无参训人员" in page and "/registry/pick/people/" in page and "村干部" in page
    added = client.post(f"/cadres/trainings/{pk}/attendees/",
                        {"person_ids": [t.people["cadre_a"].pk, t.people["head_a"].pk]})
    assert added.status_code == 302
    page = client.get(f"/cadres/trainings/{pk}/").content.decode()
    assert "村干部a" in page and "乡书记a" in page and "共 2 条" in page
    again = client.post(f"/cadres/trainings/{pk}/attendees/", {"person_ids": [t.people["cadre_a"].pk]})
    assert again.status_code == 400 and "村干部a已在“红花岗区2016年村干部培训班”的参训名单中" in again.content.decode()
    removed = client.post(f"/cadres/trainings/{pk}/attendees/{t.people['cadre_a'].pk}/remove/")
    assert removed.status_code == 302
    assert list(Attendance.objects_unscoped.filter(session_id=pk).values_list("person__name", flat=True)) == ["乡书记a"]


def test_other_scopes_and_readers_are_refused(client_for, world) -> None:
    t = build_training(world)
    client = client_for("county_a")
    assert client.get(f"/cadres/trainings/{t.sessions['b'].pk}/").status_code == 404
    assert client.get(f"/cadres/trainings/{t.sessions['city'].pk}/").status_code == 404
    assert client.post(f"/cadres/trainings/{t.sessions['b'].pk}/delete/").status_code == 404
    assert client.post(f"/cadres/trainings/{t.sessions['b'].pk}/attendees/",
                       {"person_ids": [t.people["cadre_a"].pk]}).status_code == 404
    reader = client_for("leader_a")
    assert reader.get(f"/cadres/trainings/{t.sessions['a'].pk}/").status_code == 200
    assert reader.post(f"/cadres/trainings/{t.sessions['a'].pk}/delete/").status_code == 403
    assert reader.get("/cadres/trainings/new/").status_code == 403
    assert client.post(f"/cadres/trainings/{t.sessions['a'].pk}/delete/").status_code == 302
    assert not TrainingSession.objects_unscoped.filter(pk=t.sessions["a"].pk).exists()


def test_coverage_shows_each_group_and_lists_the_untrained(client_for, world) -> None:
    build_training(world)
    page = client_for("county_a").get("/cadres/trainings/coverage/?year=2016&group=township_heads").content.decode()
    table = page.split('id="coverage-table"')[1].split("</table>")[0]
    assert "县处级领导干部" in table and "100.00%" in table and "0.00%" in table
    untrained = page.split('id="untrained-table"')[1]
    assert "乡书记a" in untrained and "乡书记b" not in untrained and "共 1 条" in page
    city = client_for("city").get("/cadres/trainings/coverage/?year=2016&group=village_cadres").content.decode()
    assert "50.00%" in city and "村干部a" in city.split('id="untrained-table"')[1]
    assert "村干部b" not in city.split('id="untrained-table"')[1]
