"""Reading .csv and .xlsx as officials save them: encodings, Excel's cell types, title rows, full-width text, dates."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.text import ParseError, normalise, parse_date, parse_int, parse_money, parse_year
from wuzaicun.registry.models import Household, Person
from wuzaicun.tabular.engine import locate_header
from wuzaicun.tabular.readers import ReadError, iter_rows
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import text

from . import sheets

CHINESE_LINES = [["区划代码", "户主姓名", "致贫原因"], ["520302001001", "张德明", "缺技术"], ["520302001002", "龙𠀀妹", "因病"]]


def rows_of(path: Path) -> list[list[object]]:
    return [values for _, values in iter_rows(path)]


# ---------------------------------------------------------------- csv


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_reads_the_same_chinese_text_in_each_encoding_excel_and_wps_save(tmp_path, encoding):
    path = sheets.write_csv(tmp_path / "户.csv", CHINESE_LINES, encoding=encoding)

    assert rows_of(path) == CHINESE_LINES  # no BOM glued to the first header, no mojibake


def test_gb18030_csv_is_not_mistaken_for_utf8_even_when_chinese_appears_late(tmp_path):
    lines = [["区划代码", "户主姓名"]] + [["520302001001", "abc"]] * 50 + [["520302001001", "王二"]]
    path = sheets.write_csv(tmp_path / "late.csv", lines, encoding="gb18030")

    assert rows_of(path)[-1] == ["520302001001", "王二"]


def test_csv_in_an_unknown_encoding_gives_a_chinese_message(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("区划代码\n".encode() + b"\xff\xfe\xfd" * 10 + b"\n" + b"\x81" + b"\n")

    with pytest.raises(ReadError, match=r"编码|CSV"):
        rows_of(path)


def test_line_numbers_are_the_sheet_lines_a_user_sees(tmp_path):
    path = sheets.write_csv(tmp_path / "l.csv", [["标题"], [], ["a", "b"]])

    assert [line for line, _ in iter_rows(path)] == [1, 2, 3]


# ---------------------------------------------------------------- xlsx written by openpyxl


def test_xlsx_cells_keep_their_types_strings_numbers_and_dates(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["文本", "整数", "小数", "日期", "日期时间", "中文日期格式", "两位小数格式"])
    excel_time = dt.datetime(2016, 3, 1, 9, 30)  # noqa: DTZ001 - Excel has no time zones
    ws.append(["张德明", 4, 2300.5, dt.date(2016, 3, 1), excel_time, 42430, 42430])
    ws["F2"].number_format = 'yyyy"年"m"月"d"日"'
    ws["G2"].number_format = "0.00"
    wb.save(tmp_path / "t.xlsx")

    _, row = rows_of(tmp_path / "t.xlsx")

    assert row[:3] == ["张德明", 4, 2300.5]
    assert row[3] == dt.date(2016, 3, 1)
    assert row[4] == dt.date(2016, 3, 1)
    assert row[5] == dt.date(2016, 3, 1)  # a serial shown through a custom Chinese date format
    assert row[6] == 42430  # the same serial with a number format stays a number


def test_xlsx_rich_text_inline_strings_are_joined(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["户主姓名"])
    ws.append([CellRichText(TextBlock(InlineFont(b=True), "张"), "德明")])
    wb.save(tmp_path / "rich.xlsx")

    assert rows_of(tmp_path / "rich.xlsx")[1] == ["张德明"]


def test_empty_cells_in_the_middle_keep_every_later_cell_in_its_column(tmp_path):
    sheets.write_xlsx(tmp_path / "gap.xlsx", [["A", "B", "C", "D"], ["a", None, None, "d"], [None, "b"]])

    rows = rows_of(tmp_path / "gap.xlsx")

    assert rows[1] == ["a", None, None, "d"]
    assert rows[2][:2] == [None, "b"]


def test_header_is_found_on_row_3_under_a_merged_title_and_columns_may_come_in_any_order(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["红花岗区2016年贫困户花名册"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：老城街道", None, None, None, "填报日期：2016年3月1日"])
    shuffled = ["致贫原因", "身份证号", "备注", "户主姓名", "区划代码", "识别年度", "家庭人口", "贫困状态"]
    ws.append(shuffled)
    wb.save(tmp_path / "title.xlsx")

    line, mapping = locate_header(get_template("households"), iter_rows(tmp_path / "title.xlsx"))

    assert line == 3
    assert mapping["region_code"] == shuffled.index("区划代码")
    assert mapping["resident_id"] == shuffled.index("身份证号")
    assert "exit_year" not in mapping  # optional columns may be left out


def test_shared_strings_as_excel_writes_them_with_rich_runs_and_phonetic_hints(tmp_path):
    """Excel (unlike openpyxl) keeps text in a shared-string table; phonetic hints are not the value."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    path = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                    f'<sheet name="户" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                    f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        zf.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}"><si><t>户主姓名</t></si>'
                    f'<si><r><t>张</t></r><r><t xml:space="preserve">德明 </t></r><rPh><t>zhang</t></rPh></si>'
                    f'<si><t>A&amp;B</t></si></sst>')
        zf.writestr("xl/worksheets/sheet1.xml", f'<x:worksheet xmlns:x="{main}"><x:sheetData>'
                    f'<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>'
                    f'<x:row r="4"><x:c r="A4" t="s"><x:v>1</x:v></x:c><x:c r="C4" t="s"><x:v>2</x:v></x:c>'
                    f'<x:c r="D4" t="b"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')

    assert list(iter_rows(path)) == [(1, ["户主姓名"]), (4, ["张德明 ", None, "A&B", "是"])]


def test_an_xlsx_declaring_entities_is_refused_not_expanded(tmp_path):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    path = tmp_path / "lol.xlsx"
    sheets.write_xlsx(path, [["户主姓名"]])
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (
        f'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        f'<worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        f"</sheetData></worksheet>"
    ).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)

    with pytest.raises(ReadError, match="损坏"):
        rows_of(path)


def test_a_file_that_is_not_a_workbook_gives_a_chinese_message(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip at all")

    with pytest.raises(ReadError, match=r"不是有效的 \.xlsx 文件"):
        rows_of(path)


# ---------------------------------------------------------------- full-width text and dates


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("５２０３０２００１００１", "520302001001"),
        ("ＡＢＣｘ", "ABCx"),
        ("　张　三　", "张 三"),
        ("  2016 \t 年 ", "2016 年"),
        (4.0, "4"),
        ("红花岗区（老城）：甲、乙，丙", "红花岗区（老城）：甲、乙，丙"),  # Chinese punctuation belongs to the text
    ],
)
def test_full_width_digits_letters_and_spaces_are_normalised(typed, clean):
    assert text(typed) == clean


@pytest.mark.parametrize("typed", ["2016-03-01", "2016/3/1", "2016年3月1日", "2016.3.1", "42430", "２０１６－０３－０１",
                                   "2016-03-01 00:00:00", 42430, 42430.0, dt.datetime(2016, 3, 1, 8)])  # noqa: DTZ001
def test_dates_in_every_form_officials_type(typed):
    assert parse_date(typed) == dt.date(2016, 3, 1)


@pytest.mark.parametrize("typed", ["2016-02-30", "去年", "3/1/2016", "2016"])
def test_what_is_not_a_date_is_refused_in_chinese(typed):
    with pytest.raises(ParseError, match="日期"):
        parse_date(typed)


def test_full_width_marks_inside_numbers_mean_their_ascii_twins():
    assert parse_money("１，２３４．５元") == Decimal("1234.50")
    assert parse_int("１，０００") == 1000
    assert parse_year("２０１６年") == 2016


def test_normalise_leaves_clean_text_alone():
    assert normalise("张德明") == "张德明"
    assert normalise("") == ""


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_party_dates_import_from_text_serials_and_date_cells(tmp_path, suffix):
    from wuzaicun.testing.world import build_world

    build_world(households_per_village=0)
    headers = [*sheets.PEOPLE_HEADERS, "入党时间"]
    typed = ["2016-03-01", "2016/3/1", "2016年3月1日", 42430 if suffix == ".xlsx" else "42430"]
    if suffix == ".xlsx":
        typed.append(dt.date(2016, 3, 1))
    rows = [sheets.person(入党时间=value) for value in typed]
    lines = sheets.table(headers, rows)
    path = (sheets.write_csv if suffix == ".csv" else sheets.write_xlsx)(tmp_path / f"p{suffix}", lines)

    report = import_file(actor=OPERATOR, kind="people", path=path)

    assert report.ok, report.issues
    numbers = {r["身份证号"] for r in rows}
    imported = [p for p in Person.objects_unscoped.all() if p.reveal_resident_id() in numbers]
    assert len(imported) == len(typed)
    assert {p.party_since for p in imported} == {dt.date(2016, 3, 1)}


@pytest.mark.django_db
def test_full_width_codes_and_numbers_import_as_if_typed_half_width(tmp_path):
    from wuzaicun.testing.world import build_world

    build_world(households_per_village=0)
    number = sheets.new_resident_id()
    wide = number.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    row = sheets.household(region="５２０３０２００１００１", resident_id=f"　{wide}　", 户主姓名="　张　德明",
                           家庭人口="４", 识别年度="２０１４年")
    path = sheets.write_csv(tmp_path / "wide.csv", sheets.table(sheets.HOUSEHOLD_HEADERS, [row]))

    report = import_file(actor=OPERATOR, kind="households", path=path)

    assert report.ok, report.issues
    stored = Household.objects_unscoped.get(head_name="张 德明")
    assert (stored.region_id, stored.members, stored.identified_year) == ("520302001001", 4, 2014)
    assert stored.reveal_resident_id() == number


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_reading_stops_at_the_first_line_beyond_the_row_limit(tmp_path, settings, suffix):
    settings.IMPORT_MAX_ROWS = 5
    lines = [["区划代码"]] + [[f"52030200100{i % 10}"] for i in range(50)]
    path = (sheets.write_csv if suffix == ".csv" else sheets.write_xlsx)(tmp_path / f"long{suffix}", lines)
    read = []

    with pytest.raises(ReadError) as caught:
        for line, _ in iter_rows(path):
            read.append(line)

    assert read == [1, 2, 3, 4, 5]
    assert caught.value.message.startswith("文件超过 5 行的上限")


def test_blank_lines_count_against_the_row_limit(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 100
    path = tmp_path / "blank.csv"
    path.write_text("区划代码\n" + "\n" * 10_000 + "520302001001\n", encoding="utf-8")

    with pytest.raises(ReadError, match="文件超过 100 行的上限"):
        rows_of(path)


def test_a_sheet_whose_rows_lie_far_below_the_limit_is_stopped_at_the_limit(tmp_path, settings):
    """A row numbered past the limit stops reading even when few rows precede it (no <dimension> to trust)."""
    settings.IMPORT_MAX_ROWS = 1_000
    path = sheets.write_xlsx(tmp_path / "far.xlsx", [["区划代码"], ["520302001001"]])
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<row r="2"', '<row r="30000000"').replace('r="A2"', 'r="A30000000"')
    parts["xl/worksheets/sheet1.xml"] = sheet.replace('<dimension ref="A1:A2"/>', "").encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)

    with pytest.raises(ReadError, match="文件超过 1,000 行的上限"):
        rows_of(path)
