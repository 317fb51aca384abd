"""The `talents` template and the export-only sheets: all-or-nothing, errors per row and column, scope, round trip."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from wuzaicun.cadres.models import ProjectSecretary, SecretaryProject, Talent, TalentVillage, TalentVisit
from wuzaicun.registry.fields import open_resident_id
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import ExportContext

HEADER = ["姓名", "身份证号", "专业领域", "入选年度", "走访计划", "服务村区划代码"]
A, A1, A2, B1 = "520302000000", "520302001001", "520302001002", "520303100201"


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _id(person) -> str:
    return open_resident_id(person.resident_id_sealed)


def test_the_template_starts_with_the_briefs_headers() -> None:
    assert get_template("talents").headers[:6] == HEADER


def test_rows_register_or_update_talents(world, tmp_path) -> None:
    first, second = world.people[A1][0], world.people[A2][0]
    path = _write(tmp_path / "t.csv", [
        [first.name, _id(first), "农业", "2016", "每月一次", f"{A1}、{A2}"],
        [second.name, _id(second), "金融", "2016年", "每季度", A2],
    ])
    report = import_file(actor=world.users["county_a"], kind="talents", path=path)
    assert report.ok, report.issues
    talent = Talent.objects_unscoped.get(person=first)
    assert (talent.region_id, talent.field, talent.visit_every) == (A, "agriculture", 30)
    assert set(TalentVillage.objects_unscoped.filter(talent=talent).values_list("village_id", flat=True)) == {A1, A2}
    TalentVisit.objects_unscoped.create(talent=talent, village_id=A2, date=dt.date(2016, 3, 1), content="x")
    again = _write(tmp_path / "u.csv", [[first.name, _id(first), "科技", "2016", "每两月一次", A2]])
    assert import_file(actor=world.users["county_a"], kind="talents", path=again).ok
    talent.refresh_from_db()
    assert (talent.field, talent.visit_every) == ("technology", 60)
    assert list(TalentVillage.objects_unscoped.filter(talent=talent).values_list("village_id", flat=True)) == [A2]
    dropped = _write(tmp_path / "v.csv", [[first.name, _id(first), "科技", "2016", "每两月一次", A1]])
    refused = import_file(actor=world.users["county_a"], kind="talents", path=dropped)
    assert not refused.ok and "已走访过的服务村不能移除" in str(refused.issues)


def test_every_bad_row_is_named_and_nothing_is_written(world, tmp_path) -> None:
    a, b = world.people[A1][0], world.people[B1][0]
    path = _write(tmp_path / "t.csv", [
        [a.name, _id(a), "农业", "2016", "每月一次", A1],
        ["别人", _id(world.people[A1][1]), "农业", "2016", "每月一次", A1],
        [b.name, _id(b), "农业", "2016", "每月一次", A1],
        [a.name, _id(a), "魔法", "2016", "每天", f"{B1},12"],
        [a.name, _id(a), "农业", "2016", "每月一次", A1],
    ])
    report = import_file(actor=world.users["county_a"], kind="talents", path=path)
    assert not report.ok and not Talent.objects_unscoped.exists()
    found = {(i.line, i.column) for i in report.issues}
    assert (3, "姓名") in found and (4, "身份证号") in found
    assert (5, "专业领域") in found and (5, "走访计划") in found and (5, "服务村区划代码") in found
    assert (6, "身份证号") in found  # the same person and year twice


def test_the_exports_are_the_lists_in_scope(world, tmp_path) -> None:
    talent = Talent.objects_unscoped.create(person=world.people[A1][0], region_id=A, field="law", year=2016,
                                            visit_every=182)
    TalentVillage.objects_unscoped.create(talent=talent, village_id=A1)
    other = Talent.objects_unscoped.create(person=world.people[B1][0], region_id="520303000000", field="law",
                                           year=2016, visit_every=30)
    TalentVillage.objects_unscoped.create(talent=other, village_id=B1)
    secretary = ProjectSecretary.objects_unscoped.create(person=world.people[A1][1], region_id=A1, year=2016)
    SecretaryProject.objects_unscoped.create(secretary=secretary, role="lead", name="茶厂", village_id=A1)
    county = world.users["county_a"]
    sheets = {}
    for kind in ("talents", "talent_overdue", "project_secretaries"):
        target = tmp_path / f"{kind}.xlsx"
        export_to_xlsx(get_template(kind), ExportContext(actor=county, year=2016), target)
        sheets[kind] = [list(row) for row in load_workbook(target).active.iter_rows(values_only=True)]
    talents = sheets["talents"]
    assert len(talents) == 2 and talents[1][0] == world.people[A1][0].name and "*" in talents[1][1]
    assert talents[1][2] == "法律" and talents[1][4] == "每半年一次" and talents[1][5] == A1
    overdue = sheets["talent_overdue"]
    assert len(overdue) == 2 and overdue[1][5] == "甲村" and overdue[1][7] == "从未走访"
    assert list(sheets["project_secretaries"][1][6:]) == [1, 0]
