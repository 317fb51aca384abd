"""`wuzaicun import` and `wuzaicun export` as scripts run them: exit codes, messages on stderr, round trips."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from wuzaicun.audit.models import AuditEntry
from wuzaicun.registry.models import Household

from . import sheets
from .sheets import HOUSEHOLD_HEADERS, VILLAGE_B1


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def households_csv(tmp_path, rows, name="户.csv"):
    return sheets.write_csv(tmp_path / name, sheets.table(HOUSEHOLD_HEADERS, rows))


def test_a_bad_file_exits_1_listing_each_problem_on_stderr(world, tmp_path):
    before = Household.objects_unscoped.count()
    path = households_csv(tmp_path, [sheets.household(), sheets.household(家庭人口=0), sheets.household(致贫原因="懒")])
    err = io.StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("import", "households", str(path), stdout=io.StringIO(), stderr=err)

    assert exited.value.code == 1
    lines = err.getvalue().splitlines()
    assert lines[0] == "第3行 [家庭人口] “0”不能小于 1"
    assert lines[1].startswith("第4行 [致贫原因] “懒”不是可选值")
    assert lines[-1] == "共 3 行，成功 0 行，失败 2 行（2 处问题），未导入任何数据"
    assert Household.objects_unscoped.count() == before


def test_a_good_file_is_imported_and_reported_on_stderr_not_stdout(world, tmp_path):
    before = Household.objects_unscoped.count()
    path = households_csv(tmp_path, [sheets.household(), sheets.household()])

    out, err = run("import", "households", str(path))

    assert out == ""
    assert err.startswith("导入成功：共 2 行，成功 2 行，失败 0 行（新增 2，更新 0）")
    assert Household.objects_unscoped.count() == before + 2
    assert AuditEntry.objects_unscoped.filter(action="import", object_type="household").count() == 1


def test_dry_run_checks_and_writes_nothing(world, tmp_path):
    before = Household.objects_unscoped.count()
    path = households_csv(tmp_path, [sheets.household()])

    _, err = run("import", "households", str(path), "--dry-run")

    assert err.startswith("检查通过（未写入）：共 1 行")
    assert Household.objects_unscoped.count() == before
    assert not AuditEntry.objects_unscoped.filter(action="import").exists()


def test_acting_as_a_county_user_keeps_the_import_in_that_county(world, tmp_path):
    path = households_csv(tmp_path, [sheets.household(VILLAGE_B1, sheets.new_resident_id("520303"))])
    err = io.StringIO()

    with pytest.raises(SystemExit):
        call_command("import", "households", str(path), "--as", "county_a", stderr=err)
    assert err.getvalue().startswith("第2行 [区划代码]")

    _, ok = run("import", "households", str(path), "--as", "county_b")
    assert ok.startswith("导入成功")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("户.xlsm", b"PK\x03\x04", "不接受含宏的 .xlsm 文件"),
        ("户.csv", "姓名,年龄\n张三,30\n".encode(), "没有找到表头"),
        ("户.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 .xls 文件"),
    ],
)
def test_unreadable_files_stop_with_a_chinese_message(world, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run("import", "households", str(path))


def test_an_unknown_kind_lists_the_known_ones(world, tmp_path):
    path = households_csv(tmp_path, [sheets.household()])

    with pytest.raises(CommandError, match=r"未知的模板类型“farms”.*households"):
        run("import", "farms", str(path))


def test_a_missing_file_is_named(world, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        run("import", "households", str(tmp_path / "none.csv"))


def test_a_full_id_export_writes_the_import_columns_and_the_file_imports_back_unchanged(world, tmp_path):
    target = tmp_path / "export.xlsx"
    count = Household.objects_unscoped.count()

    _, err = run("export", "households", "--full-ids", "--reason", "核对户籍", "-o", str(target))

    assert err.startswith(f"已导出贫困户 {count} 行")
    sheet = load_workbook(target).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HOUSEHOLD_HEADERS
    assert len(rows) == count + 1
    numbers = {h.reveal_resident_id() for h in Household.objects_unscoped.all()}
    assert {row[2] for row in rows[1:]} == numbers

    _, err = run("import", "households", str(target))

    assert err.startswith(f"导入成功：共 {count} 行，成功 {count} 行，失败 0 行（新增 0，更新 {count}）")
    assert Household.objects_unscoped.count() == count


def test_an_export_without_full_ids_is_masked_even_for_the_operator(world, tmp_path):
    target = tmp_path / "export.xlsx"

    _, err = run("export", "households", "-o", str(target))

    assert "身份证号已脱敏" in err
    rows = list(load_workbook(target).worksheets[0].iter_rows(min_row=2, values_only=True))
    masked = {h.resident_id_masked for h in Household.objects_unscoped.all()}
    assert {row[2] for row in rows} == masked and all("********" in row[2] for row in rows)


def test_a_masked_export_reimported_is_refused_naming_the_row_and_column(world, tmp_path):
    target = tmp_path / "export.xlsx"
    run("export", "households", "--region", "520302", "-o", str(target))
    before = sorted(Household.objects_unscoped.values_list("pk", "version"))
    err = io.StringIO()

    with pytest.raises(SystemExit):
        call_command("import", "households", str(target), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0] == "第2行 [身份证号] 身份证号已脱敏，无法导入，请使用完整身份证号导出"
    assert lines[-1] == "共 6 行，成功 0 行，失败 6 行（6 处问题），未导入任何数据"
    assert sorted(Household.objects_unscoped.values_list("pk", "version")) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--full-ids",), "须用 --reason 说明导出原因"),
        (("--full-ids", "--reason", "  "), "须用 --reason 说明导出原因"),
        (("--reason", "核对"), "--reason 只与 --full-ids 一起使用"),
        (("--full-ids", "--reason", "核对", "--as", "leader_a"), "没有执行此操作的权限"),
        (("--full-ids", "--reason", "核对", "--as", "inspector_a"), "没有执行此操作的权限"),
        (("--full-ids", "--reason", "核对"), "不含身份证号"),
    ],
)
def test_a_full_id_export_needs_a_reason_and_a_role_that_may_see_ids(world, tmp_path, args, message):
    target = tmp_path / "export.xlsx"
    kind = "villages" if message == "不含身份证号" else "households"

    with pytest.raises(CommandError, match=message):
        run("export", kind, *args, "-o", str(target))

    assert not target.exists()
    assert not AuditEntry.objects_unscoped.filter(action="export").exists()


def test_export_is_audited_once_with_region_and_row_count_without_personal_data(world, tmp_path):
    target = tmp_path / "export.xlsx"

    run("export", "households", "--region", "520302", "-o", str(target))

    [entry] = AuditEntry.objects_unscoped.filter(action="export")
    assert entry.object_type == "household" and entry.summary == "导出贫困户 6 行（身份证号已脱敏）"
    assert entry.region_code == "520302000000"
    assert entry.changes == {"year": None, "region": "520302000000", "rows": 6, "full_ids": False}
    assert entry.actor_name == "系统"


def test_a_full_id_export_is_audited_with_the_reason(world, tmp_path):
    target = tmp_path / "export.csv"

    run("export", "households", "--as", "county_a", "--full-ids", "--reason", "民政核对", "-o", str(target))

    [entry] = AuditEntry.objects_unscoped.filter(action="export")
    assert entry.summary == "导出贫困户 6 行（完整身份证号，原因：民政核对）"
    assert entry.region_code == "520302000000" and entry.actor_name == "county_a"
    assert entry.changes == {"year": None, "region": "520302000000", "rows": 6, "full_ids": True, "reason": "民政核对"}
    numbers = {h.reveal_resident_id() for h in Household.objects_unscoped.filter(region__code__within="520302")}
    assert numbers <= set(target.read_text(encoding="utf-8-sig").replace("\r\n", ",").split(","))


def test_a_county_user_exports_only_masked_numbers_of_their_county(world, tmp_path):
    target = tmp_path / "leader.xlsx"

    run("export", "households", "--as", "leader_a", "-o", str(target))

    rows = list(load_workbook(target).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6 and {row[0][:6] for row in rows} == {"520302"}
    assert all("********" in row[2] for row in rows)


def test_an_export_of_another_countys_region_is_refused_and_logged_under_the_askers_county(world, tmp_path):
    target = tmp_path / "other.xlsx"

    with pytest.raises(CommandError, match="记录不存在或无权访问"):
        run("export", "households", "--as", "county_a", "--region", "520303", "-o", str(target))

    assert not target.exists()
    [entry] = AuditEntry.objects_unscoped.filter(actor=world.users["county_a"])
    assert entry.action == "denied" and entry.region_code == "520302000000"
    assert "520303" not in f"{entry.summary}{entry.changes}"
    assert not AuditEntry.objects_unscoped.filter(region_code__startswith="520303").exists()
