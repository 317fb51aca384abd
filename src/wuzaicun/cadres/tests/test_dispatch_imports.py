"""The `dispatches` template (DESIGN.md §4.2): exact headers, a good file, each bad column named with its line,
不脱钩 in a file, and an export that imports back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from wuzaicun.cadres.models import Dispatch
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import ExportContext

from .test_dispatch_world import A1, A2, B1, D, dispatch, person, units

HEADER = ["姓名", "身份证号", "类型", "派出单位", "区划代码", "开始日期", "结束日期"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _row(world, village: str, i: int = 0, **change: str) -> list[str]:
    p = person(world, village, i)
    row = {"姓名": p.name, "身份证号": p.reveal_resident_id(), "类型": "第一书记", "派出单位": "红花岗区农业农村局",
           "区划代码": village, "开始日期": "2015/3/1", "结束日期": ""} | change
    return [row[h] for h in HEADER]


@pytest.fixture
def u(world):
    return units(world)


def test_the_template_has_exactly_the_designs_headers() -> None:
    assert get_template("dispatches").headers == HEADER


def test_a_good_file_creates_then_updates(world, u, tmp_path) -> None:
    actor = world.users["county_a"]
    path = _write(tmp_path / "d.csv", [
        _row(world, A1),
        _row(world, A2, 1, 类型="驻村干部", 派出单位="遵义市人民政府办公室", 开始日期="2016年1月5日"),
    ])
    report = import_file(actor=actor, kind="dispatches", path=path)
    assert report.ok, report.issues
    assert Dispatch.objects_unscoped.count() == 2
    resident = Dispatch.objects_unscoped.get(village_id=A2)
    assert resident.kind == "resident" and resident.unit == u["city"] and resident.start == D(2016, 1, 5)
    again = _write(tmp_path / "e.csv", [_row(world, A2, 1, 类型="驻村干部", 派出单位="红花岗区农业农村局",
                                             开始日期="2016-01-05", 结束日期="2016-12-31")])
    assert import_file(actor=actor, kind="dispatches", path=again).ok
    resident.refresh_from_db()
    assert resident.unit == u["a"] and resident.end == D(2016, 12, 31) and Dispatch.objects_unscoped.count() == 2


@pytest.mark.parametrize(("change", "column", "message"), [
    ({"姓名": "张冒名"}, "姓名", "与该身份证号登记的姓名不符"),
    ({"身份证号": "520302195001010000"}, "身份证号", "身份证号"),
    ({"类型": "组长"}, "类型", "不是选派类型"),
    ({"派出单位": "汇川区财政局"}, "派出单位", "不存在或不在您的管辖范围内"),
    ({"区划代码": B1}, "区划代码", "不是村级区划代码，或不在您的管辖范围内"),
    ({"区划代码": "520302001000"}, "区划代码", "不是村级区划代码"),
    ({"开始日期": "2016-13-01"}, "开始日期", ""),
    ({"结束日期": "2015-01-01"}, "结束日期", "早于开始日期"),
    ({"结束日期": "2016-06-30"}, "结束日期", "甲村尚未出列，群众不脱贫、干部不脱钩"),
])
def test_each_bad_column_is_named_and_nothing_is_written(world, u, tmp_path, change, column, message) -> None:
    path = _write(tmp_path / "d.csv", [_row(world, A2, 1, 类型="驻村干部"), _row(world, A1, **change)])
    report = import_file(actor=world.users["county_a"], kind="dispatches", path=path)
    assert not report.ok
    [issue] = report.issues
    assert (issue.line, issue.column) == (3, column) and message in issue.message
    assert not Dispatch.objects_unscoped.exists()


def test_someone_out_of_scope_is_not_found(world, u, tmp_path) -> None:
    path = _write(tmp_path / "d.csv", [[*_row(world, B1)[:4], A1, "2015-03-01", ""]])
    [issue] = import_file(actor=world.users["county_a"], kind="dispatches", path=path).issues
    assert issue.column == "身份证号" and "不在您的管辖范围内" in issue.message


def test_a_successor_in_the_same_file_lets_a_dispatch_end_and_is_linked(world, u, tmp_path) -> None:
    path = _write(tmp_path / "d.csv", [
        _row(world, A1, 0, 结束日期="2016-06-30"),
        _row(world, A1, 1, 开始日期="2016-06-30"),
    ])
    report = import_file(actor=world.users["county_a"], kind="dispatches", path=path)
    assert report.ok, report.issues
    first = Dispatch.objects_unscoped.get(person=person(world, A1, 0))
    assert first.successor == Dispatch.objects_unscoped.get(person=person(world, A1, 1))


def test_a_successor_already_registered_counts(world, u, tmp_path) -> None:
    dispatch(world, u["a"], A1, i=1, start=D(2016, 6, 1))
    path = _write(tmp_path / "d.csv", [_row(world, A1, 0, 结束日期="2016-06-30")])
    assert import_file(actor=world.users["county_a"], kind="dispatches", path=path).ok


def test_the_export_imports_back(world, u, tmp_path) -> None:
    dispatch(world, u["a"], A1)
    dispatch(world, u["city"], A2, i=1, kind="resident", end=D(2016, 12, 31))
    dispatch(world, u["b"], B1)
    out = tmp_path / "out.xlsx"
    ctx = ExportContext(actor=world.users["county_a"], full_ids=True, reason="核对")
    export_to_xlsx(get_template("dispatches"), ctx, out)
    sheet = load_workbook(out).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[:7] == HEADER)
    data = [r for r in rows[header + 1:] if r[0]]
    assert len(data) == 2 and {r[4] for r in data} == {A1, A2}
    report = import_file(actor=world.users["county_a"], kind="dispatches", path=out)
    assert report.ok, report.issues
    assert Dispatch.objects_unscoped.count() == 3
    masked = tmp_path / "masked.xlsx"
    export_to_xlsx(get_template("dispatches"), ExportContext(actor=world.users["county_a"]), masked)
    assert person(world, A1).reveal_resident_id() not in str(list(load_workbook(masked).active.values))


def test_groups_and_placements_export_in_scope(world, u, tmp_path) -> None:
    from wuzaicun.cadres.models import Placement

    from .test_dispatch_world import TOWNSHIP_A, group

    g = group(world, u["a"], A1)
    Dispatch.objects_unscoped.filter(pk=dispatch(world, u["a"], A1).pk).update(group=g)
    group(world, u["b"], B1)
    Placement.objects_unscoped.create(person=person(world, A1), kind="upper", region=world.regions[TOWNSHIP_A],
                                      post="党委书记", start=D(2016, 1, 1))
    for kind, expected in (("working_groups", ["520302001001", "甲村", "红花岗区农业农村局", "", 1]),
                           ("placements", [person(world, A1).name, "未脱贫乡镇党政正职上管一级", TOWNSHIP_A, "老城街道"])):
        out = tmp_path / f"{kind}.xlsx"
        export_to_xlsx(get_template(kind), ExportContext(actor=world.users["county_a"], year=2016), out)
        rows = [[c.value for c in r] for r in load_workbook(out).active.iter_rows()]
        header = next(i for i, r in enumerate(rows) if r[0] in ("区划代码", "姓名"))
        data = [r for r in rows[header + 1:] if r[0]]
        assert len(data) == 1 and [v if v is not None else "" for v in data[0][:len(expected)]] == expected, data
