"""What the writers hand out: nothing a user typed comes back as a formula; templates carry their drop-downs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from wuzaicun.core.operator import OPERATOR
from wuzaicun.registry.models import Household, Person
from wuzaicun.tabular.engine import export_to_csv, export_to_xlsx
from wuzaicun.tabular.readers import iter_rows
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file, write_error_file
from wuzaicun.tabular.spec import ExportContext
from wuzaicun.tabular.writers import safe_cell, template_workbook, write_csv, write_xlsx
from wuzaicun.testing import factories

from . import sheets

DANGEROUS = ["=1+1", "+86 138", "-2+3", "@SUM(A1:A2)", "\t=cmd|' /C calc'!A0", "\r=1", '=HYPERLINK("http://x","点我")']


@pytest.mark.parametrize("value", DANGEROUS)
def test_safe_cell_makes_text_that_starts_like_a_formula_inert(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "written"),
    [("张德明", "张德明"), ("a=b", "a=b"), (None, ""), (True, "是"), (False, "否"), (4, 4), (-3, -3),
     (Decimal("2300.50"), Decimal("2300.50")), (dt.date(2016, 3, 1), dt.date(2016, 3, 1))],
)
def test_safe_cell_leaves_ordinary_values_as_they_are(value, written):
    assert safe_cell(value) == written


def test_an_exported_workbook_keeps_formula_like_text_as_quote_prefixed_text_unchanged(tmp_path):
    target = tmp_path / "out.xlsx"
    rows = [[value, 1, dt.date(2016, 3, 1)] for value in DANGEROUS]

    assert write_xlsx(target, title="测试", headers=["值", "数", "日期"], rows=rows) == len(DANGEROUS)

    sheet = load_workbook(target).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [sheet.cell(row=i + 2, column=1) for i in range(len(DANGEROUS))]
    assert [c.value for c in texts] == DANGEROUS
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)
    assert not sheet.cell(row=1, column=1).quotePrefix
    assert sheet.cell(row=2, column=3).is_date
    with zipfile.ZipFile(target) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<t>=1+1</t>" in xml


def test_a_csv_export_prefixes_formula_like_text_too():
    out = io.StringIO()
    write_csv(out, headers=["值"], rows=[[v] for v in DANGEROUS])

    values = [row[0] for row in csv.reader(io.StringIO(out.getvalue()))][1:]
    assert values == ["'" + v for v in DANGEROUS]


@pytest.mark.parametrize("value", [*DANGEROUS, "'=1", "''+2", "'abc", "'", "it's", "-", "=", "a=b"])
def test_the_csv_reader_undoes_exactly_what_the_csv_writer_added(tmp_path, value):
    path = tmp_path / "values.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        write_csv(fh, headers=["值"], rows=[[value]])

    rows = [values for _, values in iter_rows(path)]

    assert rows == [["值"], [value]]


def test_exporting_households_named_like_formulas_gives_inert_cells(world, tmp_path):
    factories.household(world.region(sheets.VILLAGE_A1), head_name="=1+2")
    factories.household(world.region(sheets.VILLAGE_A1), head_name="@A1")
    target = tmp_path / "households.xlsx"

    export_to_xlsx(get_template("households"), ExportContext(actor=OPERATOR), target)

    sheet = load_workbook(target).worksheets[0]
    names = {row[1].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert names["=1+2"].quotePrefix and names["@A1"].quotePrefix
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


FORMULA_LIKE_NAMES = ["=1+1", "-5", "@x", "+86"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_households_named_like_formulas_come_back_unchanged_from_export_and_reimport(world, tmp_path, suffix):
    village = world.region(sheets.VILLAGE_A1)
    for name in FORMULA_LIKE_NAMES:
        factories.household(village, head_name=name)
    county_a = world.users["county_a"]
    before = sorted(Household.objects_unscoped.values_list("pk", "head_name"))
    target = tmp_path / f"households{suffix}"
    ctx = ExportContext(actor=county_a, full_ids=True, reason="核对")
    (export_to_csv if suffix == ".csv" else export_to_xlsx)(get_template("households"), ctx, target)

    report = import_file(actor=county_a, kind="households", path=target)

    assert report.ok, report.issues
    assert sorted(Household.objects_unscoped.values_list("pk", "head_name")) == before
    assert set(FORMULA_LIKE_NAMES) <= {name for _, name in before}


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_people_named_like_formulas_come_back_unchanged_from_export_and_reimport(world, tmp_path, suffix):
    village = world.region(sheets.VILLAGE_A1)
    for name in FORMULA_LIKE_NAMES:
        factories.person(village, name=name, post="-", ethnicity="@族")
    county_a = world.users["county_a"]
    fields = ("pk", "name", "post", "ethnicity")
    before = sorted(Person.objects_unscoped.values_list(*fields))
    target = tmp_path / f"people{suffix}"
    ctx = ExportContext(actor=county_a, full_ids=True, reason="核对")
    (export_to_csv if suffix == ".csv" else export_to_xlsx)(get_template("people"), ctx, target)

    report = import_file(actor=county_a, kind="people", path=target)

    assert report.ok, report.issues
    assert sorted(Person.objects_unscoped.values_list(*fields)) == before


def test_the_error_workbook_does_not_turn_uploaded_text_into_formulas(world, tmp_path):
    headers = [*sheets.HOUSEHOLD_HEADERS, "备注"]
    row = {**sheets.household(家庭人口=0), "户主姓名": "=1+1", "备注": "+cmd"}
    source = sheets.write_csv(tmp_path / "bad.csv", sheets.table(headers, [row]))
    report = import_file(actor=OPERATOR, kind="households", path=source)
    target = tmp_path / "errors.xlsx"

    write_error_file(report, source, target)

    sheet = load_workbook(target).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.cell(row=2, column=2).value == "=1+1" and sheet.cell(row=2, column=2).quotePrefix
    assert sheet.cell(row=2, column=4).fill.fgColor.rgb.endswith("FFC7CE")


def test_the_template_workbook_has_the_headers_notes_and_drop_downs_for_choice_columns(tmp_path):
    template = get_template("households")
    target = tmp_path / "template.xlsx"

    template_workbook(template, target)

    sheet = load_workbook(target).worksheets[0]
    assert [c.value for c in sheet[1]] == template.headers
    assert sheet["A1"].comment.text.startswith("必填")
    assert sheet["G1"].comment.text.startswith("选填")  # 脱贫年度
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
             for dv in sheet.data_validations.dataValidation}
    assert set(lists) == {"E", "H"}  # 贫困状态, 致贫原因
    assert lists["E"] == '"未脱贫,已脱贫"'
    assert "因病" in lists["H"] and "自身发展动力不足" in lists["H"]
    assert all(dv.type == "list" for dv in sheet.data_validations.dataValidation)


def test_every_template_can_be_downloaded_with_its_headers(tmp_path):
    from wuzaicun.tabular.registry import all_templates

    for template in all_templates():
        target = tmp_path / f"{template.kind}.xlsx"
        template_workbook(template, target)
        sheet = load_workbook(target).worksheets[0]
        assert [c.value for c in sheet[1]] == template.headers
        for dv in sheet.data_validations.dataValidation:
            assert len(dv.formula1) <= 257  # Excel refuses lists longer than 255 characters
