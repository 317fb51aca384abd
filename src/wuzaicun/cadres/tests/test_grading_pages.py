"""六定一化考核 pages: the grades list (filters, 共 N 条, bounded queries), compute / confirm / lock buttons, a grade's
sources, the configuration page, entered scores and outcomes; in scope both ways."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from wuzaicun.cadres.models import CadreGrade, CadreIndicator, CadreOutcome

from . import test_grading_helpers as helpers
from .test_grading_helpers import A1, A2, B1, FS, YEAR, cadre, entered_all

stand_ins = helpers.stand_ins
pytestmark = pytest.mark.django_db


def _graded(world, n=3):
    people = [cadre(world, A1 if i % 2 else A2, f"干部{i}") for i in range(n)]
    entered_all({p: 70 + i * 5 for i, p in enumerate(people)})
    return people


def test_the_grades_page_computes_confirms_and_locks(world, client_for, stand_ins):
    people = _graded(world)
    gap = cadre(world, A1, "缺项")
    county = client_for("county_a")
    html = county.get(f"/cadres/grades/?year={YEAR}").content.decode()
    assert "计算等次" in html and "暂无数据" in html
    response = county.post("/cadres/grades/compute/", {"year": YEAR, "role": FS})
    assert response.status_code == 302
    html = county.get(response.url).content.decode()
    assert "已计算2016年度第一书记考核等次" in html and "缺数据 1 人" in html
    for text in ("共 4 条", "缺数据", "缺：民主评议、群众满意度", "干部2", "同分规则", "优秀线 90"):
        assert text in html, text
    assert "缺项" in county.get(f"/cadres/grades/?year={YEAR}&missing=1").content.decode()
    assert "干部0" not in county.get(f"/cadres/grades/?year={YEAR}&missing=1").content.decode()
    county.post("/cadres/grades/confirm/", {"year": YEAR, "role": FS})
    assert set(CadreGrade.objects_unscoped.exclude(person=gap).values_list("status", flat=True)) == {"confirmed"}
    response = county.post("/cadres/grades/lock/", {"year": YEAR, "role": FS})
    assert "已锁定2016年度第一书记考核等次 3 人" in county.get(response.url).content.decode()
    response = county.post("/cadres/grades/compute/", {"year": YEAR, "role": FS})
    assert "已锁定，不能重新计算" in county.get(response.url).content.decode()
    assert people


def test_the_grades_list_asks_a_bounded_number_of_queries(world, client_for, stand_ins, django_assert_max_num_queries):
    _graded(world, 25)
    county = client_for("county_a")
    county.post("/cadres/grades/compute/", {"year": YEAR, "role": FS})
    with django_assert_max_num_queries(14):
        response = county.get(f"/cadres/grades/?year={YEAR}&page_size=20")
    assert "共 25 条" in response.content.decode()
    with django_assert_max_num_queries(14):
        county.get(f"/cadres/outcomes/?year={YEAR}")


def test_a_grade_page_shows_each_indicator_its_weight_score_and_sources(world, client_for, stand_ins):
    person = _graded(world, 1)[0]
    county = client_for("county_a")
    county.post("/cadres/grades/compute/", {"year": YEAR, "role": FS})
    grade = CadreGrade.objects_unscoped.get(person=person)
    html = county.get(f"/cadres/grades/{grade.pk}/").content.decode()
    for text in ("定工作目标", "责任台账兑现率", "20.00", "测试记录", "person_ledger_fulfilment的来源", "等次如何确定",
                 "综合得分", "甲村" if person.dispatches.first().village_id == A1 else "乙村"):
        assert text in html, text
    assert client_for("county_b").get(f"/cadres/grades/{grade.pk}/").status_code == 404


def test_outcomes_are_proposed_on_the_grade_page_and_approved_one_level_up(world, client_for, stand_ins):
    person = _graded(world, 1)[0]
    township, county = client_for("township_a"), client_for("county_a")
    county.post("/cadres/grades/compute/", {"year": YEAR, "role": FS})
    grade = CadreGrade.objects_unscoped.get(person=person)
    assert "等次确认后才能提出结果运用" in township.get(f"/cadres/grades/{grade.pk}/").content.decode()
    township.post("/cadres/grades/confirm/", {"year": YEAR, "role": FS})
    grade.refresh_from_db()
    assert grade.grade == "良"  # 94.00, but one cadre leaves no place for 优
    township.post(f"/cadres/grades/{grade.pk}/outcomes/", {"kind": "accountability", "reason": "不作为"})
    assert CadreOutcome.objects_unscoped.count() == 0  # 问责 is for 差: refused
    township.post(f"/cadres/grades/{grade.pk}/outcomes/", {"kind": "promotion", "reason": "表现突出"})
    outcome = CadreOutcome.objects_unscoped.get()
    assert township.post(f"/cadres/outcomes/{outcome.pk}/decide/", {"decision": "approved"}).status_code == 403
    page = county.get(f"/cadres/outcomes/?year={YEAR}").content.decode()
    assert "推荐进入乡镇领导班子" in page and "审批" in page and "共 1 条" in page
    county.post(f"/cadres/outcomes/{outcome.pk}/decide/", {"decision": "approved", "next": "/cadres/outcomes/"})
    outcome.refresh_from_db()
    assert outcome.state == "approved"
    assert "暂无数据" in client_for("county_b").get(f"/cadres/outcomes/?year={YEAR}").content.decode()


def test_the_configuration_page_refuses_a_sum_other_than_100_and_saves_the_policy(world, client_for):
    city, county = client_for("city"), client_for("county_a")
    page = city.get(f"/cadres/grades/config/?year={YEAR}&role={FS}").content.decode()
    assert "定惩戒约束" in page and "尚未使用" in page
    form = {"year": YEAR, "role": FS, "part": "weights", **{f"w-{c}": "10" for c in
            ("ledger", "visits", "spot_checks", "rectification", "training", "reconcile", "democratic", "satisfaction")}}
    html = city.post("/cadres/grades/config/", form).content.decode()
    assert "各项权重之和须为 100，当前为 80" in html
    form["w-ledger"], form["w-visits"] = "20", "20"
    assert city.post("/cadres/grades/config/", form).status_code == 302
    assert CadreIndicator.objects_unscoped.get(year=YEAR, role=FS, code="visits").weight == 20
    assert county.post("/cadres/grades/config/", form).status_code == 403
    policy = {"year": YEAR, "role": FS, "part": "policy", "excellent": "92", "good": "82", "passing": "62",
              "excellent_quota": "10", "good_quota": "", "veto": "55"}
    assert city.post("/cadres/grades/config/", policy).status_code == 302
    assert "优秀线 92" in city.get(f"/cadres/grades/?year={YEAR}").content.decode()


def test_scores_are_entered_on_their_page(world, client_for):
    person = cadre(world, A1, "张书记")
    other = cadre(world, B1, "赵书记")
    county = client_for("county_a")
    page = county.get(f"/cadres/grades/scores/?year={YEAR}&role={FS}").content.decode()
    assert "民主评议" in page and "群众满意度" in page and "下载模板" in page
    ok = county.post(f"/cadres/grades/scores/?year={YEAR}",
                     {"year": YEAR, "role": FS, "person_id": person.pk, "code": "democratic", "score": "86"})
    assert ok.status_code == 302
    assert "张书记" in county.get(ok.url).content.decode()
    refused = county.post("/cadres/grades/scores/",
                          {"year": YEAR, "role": FS, "person_id": other.pk, "code": "democratic", "score": "86"})
    assert refused.status_code == 200


def test_the_grade_command_prints_a_table_and_json(world, stand_ins, capsys):
    _graded(world, 2)
    call_command("grade", "--year", str(YEAR), "--role", "第一书记", "--region", A1[:6])
    out = capsys.readouterr().out
    assert "2016年度第一书记：计算 2 人" in out and "排名\t姓名" in out
    call_command("grade", "--year", str(YEAR), "--role", FS, "--confirm", "--json")
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["roles"][0]["confirmed"] == 2 and {r["status"] for r in data["roles"][0]["rows"]} == {"confirmed"}
    call_command("grade", "--year", str(YEAR), "--lock", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["roles"][0]["locked"] == 2 and [r["role"] for r in data["roles"]] == [
        "first_secretary", "resident", "village_secretary"]
