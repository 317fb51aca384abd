"""The `attendance` template: exact headers, sessions by name (and year) in scope, people by resident ID in
scope with a matching name, each bad column named, ambiguity refused, a recorded attendance skipped, and the
export round trip (masked numbers refused as masked)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from wuzaicun.cadres.models import Attendance
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import ExportContext

from .test_training_helpers import COUNTY_B, build_training, session

HEADERS = ["培训班名称", "身份证号", "姓名"]
SESSION_A = "红花岗区2016年村干部培训班"


def _write(path: Path, rows: list[list[str]], headers: list[str] = HEADERS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def _id(person) -> str:
    return person.reveal_resident_id()


def issues(report) -> list[tuple[int, str, str]]:
    return [(i.line, i.column, i.message) for i in report.issues]


def test_the_template_has_the_three_headers_and_an_optional_year() -> None:
    template = get_template("attendance")
    assert template.headers == [*HEADERS, "年度"]
    assert [c.header for c in template.columns if c.required] == HEADERS
    assert template.carries_ids and template.import_perm == "edit_cadres"


def test_a_good_file_records_attendance_and_skips_what_is_recorded(world, tmp_path) -> None:
    t = build_training(world)
    p = t.people
    Attendance.objects_unscoped.create(session=t.sessions["a"], person=p["leader_a"])
    path = _write(tmp_path / "a.csv", [
        [SESSION_A, _id(p["cadre_a"]), "村干部a"],
        [SESSION_A, _id(p["dispatched_a"]), "第一书记a"],
        [SESSION_A, _id(p["leader_a"]), "县领导a"],
    ])
    report = import_file(actor=world.users["county_a"], kind="attendance", path=path)
    assert report.ok, report.issues
    assert report.summary == "（新增参训 2 人次，已登记跳过 1 人次）"
    assert set(Attendance.objects_unscoped.filter(session=t.sessions["a"]).values_list("person__name", flat=True)) == {
        "村干部a", "第一书记a", "县领导a"}


def test_each_bad_column_is_named_and_nothing_is_written(world, tmp_path) -> None:
    t = build_training(world)
    p = t.people
    number = _id(p["cadre_a"])
    wrong_check = number[:-1] + ("0" if number[-1] != "0" else "1")
    path = _write(tmp_path / "bad.csv", [
        ["没有这个培训班", number, "村干部a"],  # 2
        ["汇川区2016年村干部培训班", number, "村干部a"],  # 3: county B's session
        [SESSION_A, wrong_check, "村干部a"],  # 4
        [SESSION_A, p["cadre_a"].resident_id_masked, "村干部a"],  # 5
        [SESSION_A, _id(p["cadre_b"]), "村干部b"],  # 6: county B's person
        [SESSION_A, _id(p["dispatched_a"]), "张三"],  # 7
        [SESSION_A, _id(p["leader_a"]), ""],  # 8
        [SESSION_A, _id(p["head_a"]), "乡书记a", "二〇一六"],  # 9
        [SESSION_A, number, "村干部a"],  # 10: fine, but line 11 repeats it
        [SESSION_A, number, "村干部a"],  # 11
    ], headers=[*HEADERS, "年度"])
    report = import_file(actor=world.users["county_a"], kind="attendance", path=path)
    found = {(line, column): message for line, column, message in issues(report)}
    assert sorted(found) == [(2, "培训班名称"), (3, "培训班名称"), (4, "身份证号"), (5, "身份证号"), (6, "身份证号"),
                             (7, "姓名"), (8, "姓名"), (9, "年度"), (11, "身份证号")]
    assert found[(2, "培训班名称")] == "没有名为“没有这个培训班”的培训班，或不在您的管辖范围内"
    assert "脱敏" in found[(5, "身份证号")]
    assert found[(6, "身份证号")] == "该身份证号未登记为人员，或不在您的管辖范围内，请先登记人员"
    assert found[(7, "姓名")] == "姓名“张三”与该身份证号登记的姓名不一致"
    assert found[(8, "姓名")] == "必填项为空"
    assert found[(11, "身份证号")] == "与第10行重复（同一人员同一培训班只登记一次）"
    assert not Attendance.objects_unscoped.filter(session=t.sessions["a"]).exists()


def test_a_name_is_taken_in_the_latest_year_or_the_year_given_and_ambiguity_is_refused(world, tmp_path) -> None:
    t = build_training(world)
    p = t.people
    older = session(world, "520302000000", SESSION_A, level="county", start=dt.date(2015, 3, 1))
    row = [SESSION_A, _id(p["cadre_a"]), "村干部a"]
    report = import_file(actor=world.users["county_a"], kind="attendance", path=_write(tmp_path / "x.csv", [row]))
    assert report.ok and Attendance.objects_unscoped.filter(session=t.sessions["a"]).count() == 1
    report = import_file(actor=world.users["county_a"], kind="attendance",
                         path=_write(tmp_path / "y.csv", [[*row, "2015"]], headers=[*HEADERS, "年度"]))
    assert report.ok and Attendance.objects_unscoped.filter(session=older).count() == 1
    report = import_file(actor=world.users["county_a"], kind="attendance", year=2014,
                         path=_write(tmp_path / "z.csv", [row]))
    assert issues(report) == [(2, "培训班名称", f"2014年没有名为“{SESSION_A}”的培训班，或不在您的管辖范围内")]
    session(world, COUNTY_B, SESSION_A, level="county")  # the same name in county B, 2016
    report = import_file(actor=world.users["city"], kind="attendance", path=_write(tmp_path / "w.csv", [row]))
    assert issues(report) == [(2, "培训班名称", f"2016年名为“{SESSION_A}”的培训班有2个（汇川区、红花岗区举办），"
                                               "无法确定是哪一个，请改用更明确的名称")]


def test_the_export_imports_back_with_full_ids_and_a_masked_one_is_refused(world, tmp_path) -> None:
    t = build_training(world)
    Attendance.objects_unscoped.create(session=t.sessions["a"], person=t.people["cadre_a"])
    full = tmp_path / "full.xlsx"
    export_to_xlsx(get_template("attendance"), ExportContext(actor=world.users["city"], year=2016, full_ids=True,
                                                             reason="核对"), full)
    report = import_file(actor=world.users["city"], kind="attendance", path=full)
    assert report.ok, report.issues
    assert report.summary == "（新增参训 0 人次，已登记跳过 3 人次）"
    masked = tmp_path / "masked.xlsx"
    export_to_xlsx(get_template("attendance"), ExportContext(actor=world.users["county_a"], year=2016), masked)
    report = import_file(actor=world.users["county_a"], kind="attendance", path=masked)
    assert [(line, column, "脱敏" in message) for line, column, message in issues(report)] == [
        (2, "身份证号", True)]


def test_the_export_only_sheets(world, tmp_path) -> None:
    from openpyxl import load_workbook

    build_training(world)
    found = {}
    for kind, filters in (("training_sessions", {}), ("untrained_cadres", {"group": "township_heads"})):
        target = tmp_path / f"{kind}.xlsx"
        export_to_xlsx(get_template(kind), ExportContext(actor=world.users["county_a"], year=2016, filters=filters),
                       target)
        found[kind] = [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]
    sessions = [r for r in found["training_sessions"] if r[0] and "培训班" in str(r[0]) and r[1] in ("县级", "市级")]
    assert [(r[0], r[1], r[-1]) for r in sessions] == [(SESSION_A, "县级", 0)]
    untrained = [r for r in found["untrained_cadres"] if r[0] == 2016]
    assert [(r[1], r[2], "*" in str(r[3])) for r in untrained] == [("贫困乡镇党政一把手", "乡书记a", True)]
