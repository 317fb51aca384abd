"""The `cadre_scores` template: exact headers, entered indicators by title, cadres assessed in scope, all or nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from wuzaicun.cadres.models import CadreScore
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import ExportContext
from wuzaicun.testing.factories import next_resident_id

from .test_grading_helpers import A1, B1, FS, YEAR, cadre

HEADER = ["年度", "考核对象", "身份证号", "姓名", "指标", "得分"]
pytestmark = pytest.mark.django_db


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_the_template_has_exactly_the_briefs_headers():
    assert get_template("cadre_scores").headers == HEADER


def test_rows_enter_scores_and_a_reimport_replaces_them(world, tmp_path):
    number = next_resident_id("520302")
    person = cadre(world, A1, "张书记", resident_id=number)
    path = _write(tmp_path / "s.csv", [[str(YEAR), "第一书记", number, "张书记", "民主评议", "88.5"],
                                       [str(YEAR), "第一书记", number, "张书记", "群众满意度", "92"]])
    report = import_file(actor=world.users["county_a"], kind="cadre_scores", path=path)
    assert report.ok, report.issues
    assert dict(CadreScore.objects_unscoped.filter(person=person).values_list("indicator__code", "score")) == {
        "democratic": 88.5, "satisfaction": 92}
    _write(path, [[str(YEAR), "第一书记", number, "张书记", "民主评议", "70"]])
    assert import_file(actor=world.users["county_a"], kind="cadre_scores", path=path).ok
    assert CadreScore.objects_unscoped.get(person=person, indicator__code="democratic").score == 70


def test_every_bad_row_is_named_and_nothing_is_written(world, tmp_path):
    ok_number, b_number, stranger = next_resident_id("520302"), next_resident_id("520303"), next_resident_id("520302")
    cadre(world, A1, "张书记", resident_id=ok_number)
    cadre(world, B1, "赵书记", resident_id=b_number)
    path = _write(tmp_path / "s.csv", [
        [str(YEAR), "第一书记", ok_number, "张书记", "民主评议", "88"],
        [str(YEAR), "第一书记", ok_number, "张书记", "责任台账兑现率", "88"],
        [str(YEAR), "第一书记", ok_number, "张书记", "民主评议", "90"],
        [str(YEAR), "第一书记", b_number, "赵书记", "群众满意度", "88"],
        [str(YEAR), "驻村干部", ok_number, "张书记", "群众满意度", "88"],
        [str(YEAR), "第一书记", ok_number, "李四", "群众满意度", "88"],
        [str(YEAR), "第一书记", stranger, "王五", "群众满意度", "88"],
        [str(YEAR), "书记", ok_number, "张书记", "群众满意度", "101"],
    ])
    report = import_file(actor=world.users["county_a"], kind="cadre_scores", path=path)
    assert not report.ok
    issues = {(i.line, i.column): i.message for i in report.issues}
    assert "由系统根据数据计算" in issues[(3, "指标")]
    assert "与第2行重复" in issues[(4, "身份证号")]
    assert "不是您管辖范围内" in issues[(5, "身份证号")]
    assert "不是您管辖范围内2016年度考核的驻村干部" in issues[(6, "身份证号")]
    assert "不符" in issues[(7, "姓名")]
    assert "未登记" in issues[(8, "身份证号")]
    assert (9, "考核对象") in issues and (9, "得分") in issues
    assert CadreScore.objects_unscoped.count() == 0


def test_the_export_masks_ids_and_stays_in_scope(world, tmp_path):
    number = next_resident_id("520302")
    a = cadre(world, A1, "张书记", resident_id=number)
    b = cadre(world, B1, "赵书记")
    from .test_grading_helpers import enter
    enter(a, FS, "democratic", 80)
    enter(b, FS, "democratic", 80)
    out = tmp_path / "out.xlsx"
    export_to_xlsx(get_template("cadre_scores"), ExportContext(actor=world.users["county_a"], year=YEAR), out)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0][:6]) == HEADER and len(rows) == 2
    assert rows[1][3] == "张书记" and rows[1][2] != number and "*" in rows[1][2]
