"""The engine as a user meets it: all or nothing, every problem listed by 行号 and 列, the marked error workbook."""

from __future__ import annotations

import time

import pytest
from openpyxl import load_workbook

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError
from wuzaicun.registry.models import Household
from wuzaicun.tabular import engine
from wuzaicun.tabular.engine import HeaderNotFound, NoDataRows, format_issues
from wuzaicun.tabular.services import import_file, write_error_file

from . import sheets
from .sheets import HOUSEHOLD_HEADERS, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1


def households_file(tmp_path, rows, *, headers=HOUSEHOLD_HEADERS, suffix=".csv", name="户"):
    lines = sheets.table(headers, rows)
    path = tmp_path / f"{name}{suffix}"
    return (sheets.write_csv if suffix == ".csv" else sheets.write_xlsx)(path, lines)


def run(world, path, *, user="county_a", dry_run=False):
    return import_file(actor=world.users[user], kind="households", path=path, dry_run=dry_run)


def import_entries():
    return list(AuditEntry.objects_unscoped.filter(action="import"))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_valid_file_is_imported_whole_with_one_audit_row(world, tmp_path, suffix):
    before = Household.objects_unscoped.count()
    rows = [sheets.household(VILLAGE_A1), sheets.household(VILLAGE_A2, 贫困状态="已脱贫", 脱贫年度=2016)]

    report = run(world, households_file(tmp_path, rows, suffix=suffix))

    assert report.ok and (report.total_rows, report.imported) == (2, 2)
    assert Household.objects_unscoped.count() == before + 2
    [entry] = import_entries()
    assert entry.object_type == "household" and entry.actor == world.users["county_a"]
    assert "2 行" in entry.summary
    assert not any(r["身份证号"] in entry.summary for r in rows)


def test_one_bad_row_writes_nothing_and_every_problem_is_listed_by_line_and_column(world, tmp_path):
    before = Household.objects_unscoped.count()
    good = sheets.household()
    bad_digit = sheets.household()
    bad_digit["身份证号"] = bad_digit["身份证号"][:17] + ("0" if bad_digit["身份证号"][17] != "0" else "1")
    rows = [good, bad_digit, sheets.household(户主姓名=""), sheets.household(贫困状态="返贫", 家庭人口="四")]

    report = run(world, households_file(tmp_path, rows))

    assert not report.ok and report.imported == 0
    assert Household.objects_unscoped.count() == before
    assert import_entries() == []
    assert [(i.line, i.column) for i in report.issues] == [
        (3, "身份证号"), (4, "户主姓名"), (5, "家庭人口"), (5, "贫困状态"),
    ]
    messages = {(i.line, i.column): i.message for i in report.issues}
    assert messages[(3, "身份证号")] == "身份证号校验码错误"
    assert messages[(4, "户主姓名")] == "必填项为空"
    assert "不是整数" in messages[(5, "家庭人口")]
    assert "不是可选值" in messages[(5, "贫困状态")] and "未脱贫" in messages[(5, "贫困状态")]
    assert report.failed_lines == 3 and report.issue_count == 4
    assert format_issues(report)[0] == "第3行 [身份证号] 身份证号校验码错误"


def test_a_bad_row_in_a_late_batch_rolls_back_the_batches_already_inserted(world, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    before = Household.objects_unscoped.count()
    rows = [sheets.household() for _ in range(7)] + [sheets.household(识别年度=1800)]

    report = run(world, households_file(tmp_path, rows))

    assert [(i.line, i.column) for i in report.issues] == [(9, "识别年度")]
    assert Household.objects_unscoped.count() == before


def test_a_number_registered_elsewhere_after_the_check_stops_the_whole_import(world, tmp_path, monkeypatch):
    """The file is checked before the write begins; what a write depends on is looked up again while writing."""
    from wuzaicun.testing import factories

    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    rows = [sheets.household() for _ in range(5)]
    write = engine._write

    def meanwhile(*args, **kwargs):  # another county registers row 5's number between check and write
        factories.household(world.regions[VILLAGE_B1], resident_id=rows[3]["身份证号"])
        return write(*args, **kwargs)

    monkeypatch.setattr(engine, "_write", meanwhile)
    before = Household.objects_unscoped.count()

    report = run(world, households_file(tmp_path, rows))

    assert [(i.line, i.column) for i in report.issues] == [(5, "身份证号")] and report.imported == 0
    assert Household.objects_unscoped.count() == before + 1  # only the other county's
    assert import_entries() == []


def test_a_dry_run_checks_everything_and_writes_nothing(world, tmp_path):
    before = Household.objects_unscoped.count()
    rows = [sheets.household() for _ in range(3)]

    report = run(world, households_file(tmp_path, rows), dry_run=True)

    assert report.ok and report.dry_run and report.total_rows == 3 and report.imported == 0
    assert Household.objects_unscoped.count() == before
    assert import_entries() == []


def test_a_dry_run_still_finds_problems_that_need_the_database(world, tmp_path):
    taken = world.households[VILLAGE_B1][0].reveal_resident_id()

    report = run(world, households_file(tmp_path, [sheets.household(resident_id=taken)]), dry_run=True)

    assert [(i.line, i.column) for i in report.issues] == [(2, "身份证号")]
    assert "无法在此登记" in report.issues[0].message


def test_extra_columns_are_ignored_whatever_they_hold(world, tmp_path):
    headers = ["序号", *HOUSEHOLD_HEADERS, "备注"]
    rows = [{**sheets.household(), "序号": 1, "备注": "=HYPERLINK(\"http://x\")"}]

    report = run(world, households_file(tmp_path, rows, headers=headers))

    assert report.ok and report.imported == 1


def test_missing_required_columns_are_named_in_chinese(world, tmp_path):
    headers = [h for h in HOUSEHOLD_HEADERS if h not in ("身份证号", "致贫原因")]

    with pytest.raises(HeaderNotFound) as refused:
        run(world, households_file(tmp_path, [sheets.household()], headers=headers))

    assert refused.value.message == "第1行的表头缺少必填列：身份证号、致贫原因"


def test_a_file_without_any_template_header_names_the_expected_headers(world, tmp_path):
    path = sheets.write_csv(tmp_path / "x.csv", [["姓名", "年龄"], ["张三", "30"]])

    with pytest.raises(HeaderNotFound, match=r"没有找到表头.*区划代码、户主姓名、身份证号"):
        run(world, path)


def test_headers_with_stars_spaces_and_notes_in_brackets_are_recognised(world, tmp_path):
    headers = ["*区划代码", "户主 姓名", "身份证号（18位）", "家庭人口(人)", "＊贫困状态", "识别年度", "脱贫年度", "致贫原因",
               "人均纯收入（元）"]
    row = sheets.household()
    lines = [headers, [row[h] for h in HOUSEHOLD_HEADERS]]

    report = run(world, sheets.write_csv(tmp_path / "h.csv", lines))

    assert report.ok and report.imported == 1


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_blank_rows_are_skipped_and_later_lines_keep_their_sheet_numbers(world, tmp_path, suffix):
    lines = sheets.table(HOUSEHOLD_HEADERS, [sheets.household()])
    lines += [[""] * 9, ["", " ", "　"], sheets.table(HOUSEHOLD_HEADERS, [sheets.household(家庭人口=0)])[1]]
    path = (sheets.write_csv if suffix == ".csv" else sheets.write_xlsx)(tmp_path / f"b{suffix}", lines)

    report = run(world, path)

    assert report.total_rows == 2
    assert [(i.line, i.column) for i in report.issues] == [(5, "家庭人口")]


def test_issues_come_sorted_by_line_then_column_even_when_found_later(world, tmp_path):
    """Out-of-scope numbers are found when a batch is flushed, after later rows were checked."""
    taken = world.households[VILLAGE_B1][0].reveal_resident_id()
    first = sheets.household()
    rows = [
        sheets.household(致贫原因="懒"),
        sheets.household(resident_id=taken),
        first,
        sheets.household(resident_id=first["身份证号"], 家庭人口=99),
    ]

    report = run(world, households_file(tmp_path, rows))

    assert [(i.line, i.column) for i in report.issues] == [
        (2, "致贫原因"), (3, "身份证号"), (5, "身份证号"), (5, "家庭人口"),  # every problem of line 5 at once
    ]


def test_the_error_workbook_marks_each_bad_cell_and_adds_the_reasons(world, tmp_path):
    rows = [sheets.household(), sheets.household(家庭人口=0, 致贫原因="懒"), sheets.household()]
    source = households_file(tmp_path, rows, suffix=".xlsx")
    report = run(world, source)
    target = tmp_path / "errors.xlsx"

    write_error_file(report, source, target)

    sheet = load_workbook(target).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [*HOUSEHOLD_HEADERS, "错误原因"]
    members, cause = sheet.cell(row=3, column=4), sheet.cell(row=3, column=8)
    for cell in (members, cause):
        assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "不能小于 1" in members.comment.text
    assert "不是可选值" in cause.comment.text
    reasons = sheet.cell(row=3, column=10).value
    assert "家庭人口" in reasons and "致贫原因" in reasons
    assert sheet.cell(row=2, column=4).fill.fgColor.rgb != members.fill.fgColor.rgb
    assert sheet.cell(row=2, column=10).value is None and sheet.cell(row=4, column=10).value is None
    assert sheet.cell(row=3, column=2).value == rows[1]["户主姓名"]


def test_the_error_workbook_keeps_title_rows_and_marks_lines_below_them(world, tmp_path):
    lines = [["红花岗区贫困户"], [], *sheets.table(HOUSEHOLD_HEADERS, [sheets.household(识别年度="去年")])]
    source = sheets.write_xlsx(tmp_path / "t.xlsx", lines)
    report = run(world, source)
    target = tmp_path / "errors.xlsx"

    write_error_file(report, source, target)

    sheet = load_workbook(target).worksheets[0]
    assert sheet.cell(row=1, column=1).value == "红花岗区贫困户"
    assert sheet.cell(row=3, column=10).value == "错误原因"
    assert "识别年度" in sheet.cell(row=4, column=10).value
    assert sheet.cell(row=4, column=6).comment is not None


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_header_only_file_is_refused_as_having_no_data_rows(world, tmp_path, suffix):
    path = households_file(tmp_path, [], suffix=suffix)

    with pytest.raises(NoDataRows, match="表头（第1行）之后没有数据行"):
        run(world, path, dry_run=True)
    assert not import_entries()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_of_blank_rows_is_refused_quickly_as_having_no_data_rows(world, tmp_path, suffix):
    lines = [HOUSEHOLD_HEADERS] + [[""] * 9] * 20_000
    path = (sheets.write_csv if suffix == ".csv" else sheets.write_xlsx)(tmp_path / f"blank{suffix}", lines)
    before = Household.objects_unscoped.count()

    started = time.perf_counter()
    with pytest.raises(NoDataRows, match="没有数据行"):
        run(world, path)

    assert time.perf_counter() - started < 5
    assert Household.objects_unscoped.count() == before and not import_entries()


def test_a_file_longer_than_the_row_limit_stops_the_import_and_writes_nothing(world, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 10
    path = households_file(tmp_path, [sheets.household() for _ in range(30)])
    before = Household.objects_unscoped.count()

    with pytest.raises(DomainError, match="文件超过 10 行的上限"):
        run(world, path)

    assert Household.objects_unscoped.count() == before and not import_entries()


def test_the_count_of_failed_rows_is_exact_when_only_the_first_issues_are_kept(world, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "MAX_KEPT_ISSUES", 3)
    rows = [sheets.household(家庭人口=0, 致贫原因="懒") for _ in range(6)] + [sheets.household()]

    report = run(world, households_file(tmp_path, rows), dry_run=True)

    assert len(report.issues) == 3
    assert (report.total_rows, report.failed_lines, report.issue_count) == (7, 6, 12)
    assert format_issues(report)[-1] == "……另有 9 处问题未列出"


def test_a_row_reports_every_problem_in_one_pass(world, tmp_path):
    """A type error no longer hides the row's region and ID problems until the next upload."""
    row = sheets.household(区划代码="520303100201", 家庭人口="三口", resident_id="520302199001011234")
    report = run(world, households_file(tmp_path, [row]))
    assert {i.column for i in report.issues} == {"区划代码", "家庭人口", "身份证号"}
    assert report.failed_lines == 1 and report.issue_count == 3
    assert not Household.objects_unscoped.filter(head_name=row["户主姓名"]).exists()
