"""整合项目: rules table-driven, services (place, money, stages, evidence, beneficiaries, version), pages in two
counties both ways with constant queries, the template's round trip and messages, API, coverage, indicators."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import Conflict, DomainError, NotFound
from wuzaicun.core.operator import OPERATOR
from wuzaicun.resources.indicators.projects import project_completion, project_funds_poor
from wuzaicun.resources.models import Project, ProjectBeneficiary, ProjectEvidence, ProjectFunding
from wuzaicun.resources.rules.projects import amount_problem, place_of, place_problem, stage_problem
from wuzaicun.resources.selectors.projects import fund_totals
from wuzaicun.resources.services.projects import (
    OutOfOrder,
    add_beneficiaries,
    add_evidence,
    advance_stage,
    create_project,
    delete_project,
    set_funding,
    update_project,
)
from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.tabular.services import import_file
from wuzaicun.testing.api import api_client

A1, A2, B1 = "520302001001", "520302001002", "520303100201"
TOWN_A, COUNTY_A, COUNTY_B = "520302001000", "520302000000", "520303000000"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
D = dt.date


def project(world: Any, region: str = A1, *, name: str = "通组硬化路", user: str = "", **fundings: str) -> Project:
    actor = world.users[user or ("county_a" if region.startswith("520302") else "county_b")]
    money = {k: Decimal(v) for k, v in (fundings or {"road": "100000.01", "poverty": "50000"}).items()}
    return create_project(actor=actor, name=name, year=2016, region_code=region, approved_on=D(2016, 3, 1),
                          fundings=money, description="硬化道路2公里")


# --- rules -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "expected"), [
    ("520302000000", ("520302000000", None, None)),
    ("520302001000", ("520302000000", "520302001000", None)),
    ("520302001001", ("520302000000", "520302001000", "520302001001")),
])
def test_a_code_gives_county_township_and_village(code, expected):
    assert place_of(code) == expected


@pytest.mark.parametrize(("code", "message"), [("520300000000", "须为县、乡镇或村"), ("5203", "12位数字")])
def test_a_city_or_a_bad_code_is_no_place_for_a_project(code, message):
    with pytest.raises(ValueError, match=message):
        place_of(code)


@pytest.mark.parametrize(("county", "township", "village", "message"), [
    (COUNTY_A, TOWN_A, A1, None),
    (COUNTY_B, TOWN_A, None, "不在统筹县"),
    (COUNTY_A, TOWN_A, B1, "不在管理乡镇"),
    (COUNTY_A, None, A1, "须同时有管理乡镇"),
])
def test_the_place_is_consistent(county, township, village, message):
    problem = place_problem(county, township, village)
    assert (problem is None) if message is None else (message in str(problem))


@pytest.mark.parametrize(("amount", "message"), [
    ("0.01", None), ("1000000000", None), ("0", "应大于0"), ("-5", "应大于0"), ("1000000000.01", "不能超过"),
    ("1.005", "精确到分"), (None, "请填写"),
])
def test_amounts_are_positive_bounded_and_to_the_fen(amount, message):
    problem = amount_problem(None if amount is None else Decimal(amount), "小康路")
    assert (problem is None) if message is None else (message in str(problem))


TODAY = D(2017, 1, 1)


@pytest.mark.parametrize(("current", "target", "on", "previous", "evidence", "message"), [
    ("approved", "implementing", D(2016, 4, 1), D(2016, 3, 1), 0, None),
    ("approved", "accepted", D(2016, 4, 1), D(2016, 3, 1), 1, "须先进入“实施”"),
    ("implementing", "approved", D(2016, 4, 1), D(2016, 3, 1), 0, "不能回到"),
    ("approved", "implementing", D(2016, 2, 1), D(2016, 3, 1), 0, "不能早于立项日期"),
    ("implementing", "accepted", D(2016, 9, 1), D(2016, 4, 1), 0, "至少一份佐证材料"),
    ("implementing", "accepted", D(2016, 9, 1), D(2016, 4, 1), 1, None),
    ("accepted", "completed", D(2018, 1, 1), D(2016, 9, 1), 1, "不能晚于今天"),
    ("completed", "completed", D(2016, 12, 1), D(2016, 10, 1), 1, "不能回到或停留"),
])
def test_stages_go_one_step_on_with_dates_in_order(current, target, on, previous, evidence, message):
    problem = stage_problem(current=current, target=target, on=on, previous_on=previous, evidence=evidence,
                            today=TODAY)
    assert (problem is None) if message is None else (message in str(problem))


# --- services --------------------------------------------------------------------------------------------------

def test_a_project_is_registered_with_its_place_and_exact_funds_and_audited(world):
    p = project(world)
    assert (p.county_id, p.township_id, p.village_id, p.region_id) == (COUNTY_A, TOWN_A, A1, A1)
    assert sorted(ProjectFunding.objects_unscoped.filter(project=p).values_list("source", "amount")) == [
        ("poverty", Decimal("50000.00")), ("road", Decimal("100000.01"))]
    assert AuditEntry.objects_unscoped.filter(object_type="project", object_id=str(p.pk)).exists()
    at_town = project(world, TOWN_A, name="乡镇统筹产业园")
    assert (at_town.village_id, at_town.region_id) == (None, TOWN_A)


def test_a_place_outside_scope_and_bad_money_are_refused_and_nothing_is_saved(world):
    with pytest.raises(NotFound):
        project(world, B1, user="county_a")
    with pytest.raises(DomainError, match="应大于0"):
        project(world, road="0")
    with pytest.raises(DomainError, match="至少填写一项"):
        create_project(actor=world.users["county_a"], name="x", year=2016, region_code=A1,
                       approved_on=D(2016, 3, 1), fundings={})
    with pytest.raises(DomainError, match="须在立项年度2016年之内"):
        create_project(actor=world.users["county_a"], name="x", year=2016, region_code=A1,
                       approved_on=D(2015, 3, 1), fundings={"road": Decimal(1)})
    assert not Project.objects_unscoped.exists()


def test_edits_carry_the_version_read(world):
    p = project(world)
    actor = world.users["county_a"]
    set_funding(actor=actor, project_id=p.pk, expected_version=1, source="water", amount=Decimal("8.88"))
    with pytest.raises(Conflict):
        update_project(actor=actor, project_id=p.pk, expected_version=1, name="新名", region_code=A1,
                       approved_on=D(2016, 3, 1))
    saved = update_project(actor=actor, project_id=p.pk, expected_version=2, name="新名", region_code=A2,
                           approved_on=D(2016, 3, 2))
    assert (saved.name, saved.village_id, saved.version) == ("新名", A2, 3)


def test_the_life_refuses_skipping_and_needs_evidence_at_acceptance(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    actor = world.users["county_a"]
    p = project(world)
    with pytest.raises(OutOfOrder, match="须先进入“实施”"):
        advance_stage(actor=actor, project_id=p.pk, expected_version=1, stage="accepted", on=D(2016, 5, 1))
    with pytest.raises(OutOfOrder, match="只有实施或验收阶段"):
        add_evidence(actor=actor, project_id=p.pk, files=[([PNG], "现场.png")])
    p = advance_stage(actor=actor, project_id=p.pk, expected_version=1, stage="implementing", on=D(2016, 4, 1))
    with pytest.raises(DomainError, match="至少一份佐证材料"):
        advance_stage(actor=actor, project_id=p.pk, expected_version=2, stage="accepted", on=D(2016, 9, 1))
    p = advance_stage(actor=actor, project_id=p.pk, expected_version=2, stage="accepted", on=D(2016, 9, 1),
                      files=[([PNG], "验收.png")])
    assert p.stage == "accepted" and ProjectEvidence.objects_unscoped.filter(project=p).count() == 1
    with pytest.raises(DomainError, match="不能早于验收日期"):
        advance_stage(actor=actor, project_id=p.pk, expected_version=3, stage="completed", on=D(2016, 8, 1))
    with pytest.raises(OutOfOrder, match="只有立项阶段"):
        delete_project(actor=actor, project_id=p.pk)


def test_beneficiaries_are_households_of_the_implementing_village(world):
    p = project(world)
    actor = world.users["county_a"]
    assert add_beneficiaries(actor=actor, project_id=p.pk, household_ids=[h.pk for h in world.households[A1][:2]]) == 2
    other = world.households[A2][0]
    with pytest.raises(DomainError, match=f"{other.head_name}户不是甲村的农户"):
        add_beneficiaries(actor=actor, project_id=p.pk, household_ids=[other.pk])
    town = project(world, TOWN_A, name="乡镇项目")
    with pytest.raises(DomainError, match="尚未落实到实施村"):
        add_beneficiaries(actor=actor, project_id=town.pk, household_ids=[world.households[A1][0].pk])
    assert ProjectBeneficiary.objects_unscoped.count() == 2


# --- pages -----------------------------------------------------------------------------------------------------

def test_the_list_shows_each_county_its_own_with_totals_and_poor_share(world, client_for):
    project(world, A1)  # 甲村 is poor in 2016: 150,000.01
    project(world, A2, name="乙村饮水", water="49999.99")
    project(world, B1, name="丙村项目")
    page = client_for("county_a").get("/resources/projects/?year=2016")
    assert page.status_code == 200 and "共 2 条" in page.text and "丙村项目" not in page.text
    assert "200,000.00 元" in page.text and "150,000.01 元" in page.text and "75.00%" in page.text
    assert "共 1 条" in client_for("county_b").get("/resources/projects/?year=2016").text
    assert "共 1 条" in client_for("county_a").get("/resources/projects/?year=2016&source=water").text
    assert "共 1 条" in client_for("county_a").get("/resources/projects/?year=2016&poor=1").text
    b = Project.objects_unscoped.get(name="丙村项目")
    assert client_for("county_a").get(f"/resources/projects/{b.pk}/").status_code == 404


def test_the_list_costs_the_same_queries_for_more_projects(world, client_for):
    project(world)
    client = client_for("county_a")
    client.get("/resources/projects/")
    with CaptureQueriesContext(connection) as one:
        client.get("/resources/projects/?year=2016")
    for i in range(4):
        project(world, A2, name=f"乙村项目{i}")
    with CaptureQueriesContext(connection) as five:
        page = client.get("/resources/projects/?year=2016")
    assert "共 5 条" in page.text and len(five) == len(one)


def test_the_funds_page_sums_sources_by_county_and_drills_to_townships(world, client_for):
    project(world, A1)
    project(world, TOWN_A, name="乡镇项目", social="1000")
    project(world, B1, name="丙村项目", road="7")
    page = client_for("city").get("/resources/projects/funds/?year=2016")
    assert page.status_code == 200 and "红花岗区" in page.text and "汇川区" in page.text
    totals = fund_totals(OPERATOR, year=2016, region=COUNTY_A)
    assert [r.name for r in totals.rows] == ["老城街道"] and totals.rows[0].total == Decimal("151000.01")
    assert totals.rows[0].poor == Decimal("150000.01")
    drill = client_for("county_a").get(f"/resources/projects/funds/?year=2016&region={COUNTY_A}")
    assert "老城街道" in drill.text and "汇川区" not in drill.text


def test_a_project_is_created_by_form_and_its_page_shows_fundings_and_masked_ids(world, client_for):
    client = client_for("county_a")
    posted = client.post("/resources/projects/new/", {
        "name": "甲村小康水", "year": 2016, "region_code": A1, "approved_on": "2016-03-01",
        "fund_water": "10,000.01", "fund_social": "5000"})
    p = Project.objects_unscoped.get(name="甲村小康水")
    assert posted.status_code == 302
    add_beneficiaries(actor=world.users["county_a"], project_id=p.pk, household_ids=[world.households[A1][0].pk])
    page = client.get(f"/resources/projects/{p.pk}/")
    assert "10,000.01" in page.text and "社会资金" in page.text and world.households[A1][0].resident_id_masked in page.text
    refused = client.post("/resources/projects/new/", {"name": "x", "year": 2016, "region_code": A1,
                                                       "approved_on": "2016-03-01"})
    assert refused.status_code == 400 and "至少填写一项资金来源" in refused.text


# --- template --------------------------------------------------------------------------------------------------

HEADER = ["年度", "项目名称", "区划代码", "资金来源", "金额（元）", "阶段", "立项日期", "建设内容"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_rows_of_a_project_are_grouped_and_round_trip(world, tmp_path):
    from openpyxl import load_workbook

    from wuzaicun.tabular.engine import export_to_xlsx
    from wuzaicun.tabular.registry import get_template
    from wuzaicun.tabular.spec import ExportContext

    path = _write(tmp_path / "p.csv", [
        ["2016", "甲村通组路", A1, "小康路", "10,000.01", "", "2016-03-01", "硬化2公里"],
        ["2016", "甲村通组路", A1, "精准脱贫", "500", "立项", "2016/3/1", ""],
        ["2016", "老城产业园", TOWN_A, "社会资金", "2000", "", "2016-05-01", ""],
    ])
    report = import_file(actor=world.users["county_a"], kind="projects", path=path)
    assert report.ok, report.issues
    road = Project.objects_unscoped.get(name="甲村通组路")
    assert road.village_id == A1 and road.description == "硬化2公里"
    assert sorted(ProjectFunding.objects_unscoped.filter(project=road).values_list("amount", flat=True)) == [
        Decimal("500.00"), Decimal("10000.01")]
    out = tmp_path / "out.xlsx"
    export_to_xlsx(get_template("projects"), ExportContext(actor=world.users["county_a"], year=2016), out)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == [h.replace("（元）", "") for h in HEADER] and len(rows) == 4
    again = tmp_path / "again.csv"
    _write(again, [[("" if c is None else str(c)) for c in r] for r in rows[1:]])
    assert import_file(actor=world.users["county_a"], kind="projects", path=again).ok
    assert Project.objects_unscoped.count() == 2 and ProjectFunding.objects_unscoped.count() == 3


def test_every_problem_of_a_row_is_named_and_nothing_is_written(world, tmp_path):
    path = _write(tmp_path / "bad.csv", [
        ["2016", "甲村路", B1, "小康路", "0", "", "2015-03-01", ""],
        ["2016", "乙村路", A2, "小康路", "1", "", "2016-03-01", ""],
        ["2016", "乙村路", A2, "小康路", "2", "", "2016-03-01", ""],
        ["2016", "丙项目", A2, "天上掉的钱", "5", "实施", "2016-03-01", ""],
    ])
    report = import_file(actor=world.users["county_a"], kind="projects", path=path)
    assert not report.ok
    found = {(i.line, i.column) for i in report.issues}
    assert {(2, "区划代码"), (2, "金额"), (2, "立项日期"), (4, "资金来源"), (5, "资金来源")} <= found
    assert any("与第3行重复" in i.message for i in report.issues)
    assert not Project.objects_unscoped.exists()


# --- API -------------------------------------------------------------------------------------------------------

def test_the_api_creates_advances_and_totals_in_scope(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = api_client("county_a")
    body = {"name": "甲村小康电", "year": 2016, "region_code": A1, "approved_on": "2016-03-01",
            "fundings": [{"source": "power", "amount": "300.10"}]}
    made = client.post("/api/resources/projects", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    pid = made.json()["id"]
    assert made.json()["fundings"][0]["amount"] == "300.10" and made.json()["poor_village"] is True
    stale = client.post(f"/api/resources/projects/{pid}/stage", json.dumps(
        {"version": 9, "stage": "implementing", "on": "2016-04-01"}), content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    moved = client.post(f"/api/resources/projects/{pid}/stage", json.dumps(
        {"version": 1, "stage": "implementing", "on": "2016-04-01"}), content_type="application/json")
    assert moved.json()["stage_label"] == "实施"
    skip = client.post(f"/api/resources/projects/{pid}/stage", json.dumps(
        {"version": 2, "stage": "completed", "on": "2016-05-01"}), content_type="application/json")
    assert skip.status_code == 409 and "须先进入“验收”" in skip.json()["message"]
    listed = client.get("/api/resources/projects?year=2016").json()
    assert listed["count"] == 1 and listed["results"][0]["total"] == "300.10"
    totals = client.get("/api/resources/project-fund-totals?year=2016").json()
    assert totals["total"]["total"] == "300.10" and totals["total"]["poor_share"] == "100.00"
    other = project(world, B1, name="丙村")
    assert client.get(f"/api/resources/projects/{other.pk}").status_code == 404


# --- coverage and indicators -----------------------------------------------------------------------------------

def test_a_project_with_no_village_is_a_gap_naming_it_and_linking_to_its_page(world):
    project(world, A1)
    town = project(world, TOWN_A, name="乡镇统筹产业园")
    report = coverage_report(OPERATOR, year=2016, region=COUNTY_A)
    gaps = [g for g in report.gaps if g.rule == "project_no_village"]
    assert report.summary["project_no_village"] == {"checked": 2, "gaps": 1}
    assert gaps[0].subject_id == str(town.pk) and "红花岗区老城街道“乡镇统筹产业园”尚未落实到实施村" in gaps[0].message


def test_indicators_for_villages_and_townships(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    actor = world.users["county_a"]
    done = project(world, A1)
    advance_stage(actor=actor, project_id=done.pk, expected_version=1, stage="implementing", on=D(2016, 4, 1))
    advance_stage(actor=actor, project_id=done.pk, expected_version=2, stage="accepted", on=D(2016, 9, 1),
                  files=[([PNG], "验收.png")])
    project(world, A1, name="第二个")
    project(world, A2, name="乙村", road="100000.01")
    assert project_completion(2016, [A1, A2, B1], 5) == {A1: Decimal("50.00"), A2: Decimal("0.00"),
                                                          B1: Decimal(100)}
    assert project_completion(2016, [TOWN_A], 4) == {TOWN_A: Decimal("33.33")}
    # 甲村 (poor) 300,000.02 of 400,000.03; 丙村 is poor and got nothing
    assert project_funds_poor(2016, [TOWN_A], 4) == {TOWN_A: Decimal("75.00")}
    assert project_funds_poor(2016, [A1, A2, B1], 5) == {A1: Decimal(100), A2: Decimal(100), B1: Decimal(0)}


# --- more pages ------------------------------------------------------------------------------------------------

def test_the_project_page_costs_the_same_queries_for_more_fundings_and_beneficiaries(world, client_for):
    p = project(world, road="1")
    client = client_for("county_a")
    client.get(f"/resources/projects/{p.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/resources/projects/{p.pk}/")
    actor = world.users["county_a"]
    for version, source in enumerate(("water", "power", "social"), start=1):
        set_funding(actor=actor, project_id=p.pk, expected_version=version, source=source, amount=Decimal(5))
    add_beneficiaries(actor=actor, project_id=p.pk, household_ids=[h.pk for h in world.households[A1]])
    with CaptureQueriesContext(connection) as more:
        page = client.get(f"/resources/projects/{p.pk}/")
    assert "受益户（3 户）" in page.text and "社会资金" in page.text and len(more) == len(few)


def test_stages_move_by_form_with_evidence_and_refuse_out_of_order(world, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    p = project(world)
    client = client_for("county_a")
    url = f"/resources/projects/{p.pk}/stage/"
    assert client.post(url, {"version": 1, "stage": "implementing", "on": "2016-04-01"}).status_code == 302
    refused = client.post(url, {"version": 2, "stage": "accepted", "on": "2016-09-01"})
    assert refused.status_code == 400 and "至少一份佐证材料" in refused.text
    stale = client.post(url, {"version": 1, "stage": "accepted", "on": "2016-09-01"})
    assert stale.status_code == 409 and "已被他人修改" in stale.text
    accepted = client.post(url, {"version": 2, "stage": "accepted", "on": "2016-09-01",
                                 "files": SimpleUploadedFile("验收报告.png", PNG, content_type="image/png")})
    assert accepted.status_code == 302
    page = client.get(f"/resources/projects/{p.pk}/")
    assert "验收报告.png" in page.text and "进入完成阶段" in page.text and "删除项目" not in page.text
    assert client_for("county_b").post(url, {"version": 3, "stage": "completed", "on": "2016-10-01"}).status_code == 404


def test_exports_of_the_list_and_the_funds_follow_scope_and_filters(world, client_for):
    import io

    from openpyxl import load_workbook

    project(world, A1)
    project(world, TOWN_A, name="乡镇项目", social="1000")
    project(world, B1, name="丙村项目")
    client = client_for("county_a")
    found = {}
    for kind, extra in (("projects", {"no_village": "1"}), ("project_funds", {})):
        response = client.post(f"/imports/{kind}/export/", {"year": "2016", **extra})
        assert "spreadsheet" in response["Content-Type"], response.content[:300]
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        found[kind] = [[c.value for c in row] for row in sheet.iter_rows(values_only=False)]
    assert [r[1] for r in found["projects"][1:]] == ["乡镇项目"]
    assert [r[2] for r in found["project_funds"][1:]] == ["红花岗区", "合计"]
    reporter = client_for("reporter_a").get("/resources/projects/?year=2016")
    assert "共 1 条" in reporter.text and "乡镇项目" not in reporter.text
