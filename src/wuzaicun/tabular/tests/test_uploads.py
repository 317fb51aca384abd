"""Uploads are checked before anything parses them: type, magic bytes, size, ZIP bombs, macros — in Chinese."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from wuzaicun.tabular.services import store_upload, upload_dir
from wuzaicun.tabular.uploads import UploadRefused, check_upload

from . import sheets


def good_xlsx(tmp_path: Path) -> Path:
    return sheets.write_xlsx(tmp_path / "good.xlsx", [["区划代码"], ["520302001001"]])


def refused(path: Path, name: str | None = None) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(path, original_name=name or path.name)
    return caught.value.message


def test_a_real_xlsx_and_a_real_csv_pass(tmp_path):
    check_upload(good_xlsx(tmp_path), original_name="户.xlsx")
    check_upload(sheets.write_csv(tmp_path / "户.csv", [["区划代码"], ["520302001001"]]), original_name="户.CSV")


def test_a_macro_workbook_is_refused_by_its_name(tmp_path):
    assert "不接受含宏的 .xlsm 文件" in refused(good_xlsx(tmp_path), "户.xlsm")


def test_a_macro_project_inside_an_xlsx_is_refused(tmp_path):
    path = good_xlsx(tmp_path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 100)

    assert "宏" in refused(path)


def test_an_old_xls_is_refused_with_how_to_convert_it(tmp_path):
    path = tmp_path / "户.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)

    assert refused(path) == "不支持旧版 .xls 文件：请在 Excel 中另存为 .xlsx"


@pytest.mark.parametrize("name", ["户.txt", "户.exe", "户"])
def test_other_file_types_are_refused(tmp_path, name):
    path = tmp_path / "x"
    path.write_text("区划代码\n")

    assert "不支持的文件类型" in refused(path, name)


def test_an_xlsx_whose_bytes_are_not_a_zip_is_refused(tmp_path):
    path = sheets.write_csv(tmp_path / "renamed.xlsx", [["区划代码"], ["520302001001"]])

    assert refused(path) == "文件内容不是 .xlsx 格式（扩展名与内容不符）"


@pytest.mark.parametrize("head", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
def test_a_csv_that_is_really_a_workbook_is_refused(tmp_path, head):
    path = tmp_path / "renamed.csv"
    path.write_bytes(head + b"rest of a binary file")

    assert "不是 CSV 文本" in refused(path)


@pytest.mark.parametrize("where", ["start", "late"])
def test_a_csv_with_nul_bytes_is_refused(tmp_path, where):
    path = tmp_path / "nul.csv"
    text = "区划代码,户主姓名\n" + "520302001001,张三\n" * (1 if where == "start" else 5000)
    data = text.encode()
    path.write_bytes(data[:20] + b"\x00" + data[20:] if where == "start" else data + b"\x00\x00,x\n")

    assert "空字符" in refused(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    assert refused(path) == "文件为空"


def test_a_file_over_the_configured_size_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    path = tmp_path / "big.csv"
    path.write_bytes(b"520302001001,zhang\n" * 200_000)

    message = refused(path)

    assert message.startswith("文件过大") and "上限为 2 MB" in message


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * (64 * 1024 * 1024))
    assert path.stat().st_size < 200 * 1024  # 64 MB squeezed into a few hundred kilobytes

    assert "压缩比异常" in refused(path)


def test_a_zip_with_thousands_of_entries_is_refused(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(2_001):
            zf.writestr(f"xl/media/{i}.bin", b"x")

    assert "压缩条目过多" in refused(path)


def test_a_truncated_zip_is_refused(tmp_path):
    data = good_xlsx(tmp_path).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])

    assert refused(path) == "不是有效的 .xlsx 文件"


def test_a_refused_upload_is_not_kept(tmp_path):
    before = set(upload_dir().iterdir())

    with pytest.raises(UploadRefused):
        store_upload([b"PK\x03\x04 not really"], original_name="户.csv")

    assert set(upload_dir().iterdir()) == before


def test_an_accepted_upload_is_kept_under_a_random_name(tmp_path):
    stored = store_upload([good_xlsx(tmp_path).read_bytes()], original_name="../../etc/户.xlsx")

    assert stored.path.parent == upload_dir() and stored.path.name == f"{stored.token}.xlsx"
    assert stored.path.exists()


def test_an_xlsx_unpacking_beyond_the_configured_size_is_refused_before_parsing(tmp_path, settings):
    path = sheets.write_xlsx(tmp_path / "wide.xlsx", [["区划代码", "户主姓名"]] + [["520302001001", f"户主{i}"]
                                                                               for i in range(3_000)])
    with zipfile.ZipFile(path) as zf:
        unpacked = sum(info.file_size for info in zf.infolist())
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = unpacked - 1

    message = refused(path)

    assert message.startswith("文件解压后过大") and "已拒绝" in message
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = unpacked
    check_upload(path, original_name=path.name)


def test_an_xlsx_declaring_more_rows_than_the_limit_is_refused_before_parsing(tmp_path, settings, monkeypatch):
    path = sheets.write_xlsx(tmp_path / "long.xlsx", [["区划代码"]] + [["520302001001"]] * 150)
    settings.IMPORT_MAX_ROWS = 100
    parsed = []

    def rows(*args):
        parsed.append(args)
        return iter(())

    monkeypatch.setattr("wuzaicun.tabular.readers._rows", rows)

    assert refused(path) == "工作表有 151 行，超过上限 100 行，已拒绝：请拆分后分批导入"
    assert not parsed  # refused from the sheet's declared range, before its rows were read


def test_the_default_limits_admit_a_million_row_households_export(tmp_path):
    """Measured on our own export (the bulkiest xlsx a user sends back: inline strings, escaped Chinese)."""
    from django.conf import settings as defaults

    from wuzaicun.tabular.registry import get_template
    from wuzaicun.tabular.writers import write_xlsx

    rows = 2_000
    row = ("520302001001", "欧阳德明明", "52030219800101123X", 12, "未脱贫", 2014, 2016, "缺劳力", Decimal("12345.67"))
    path = tmp_path / "export.xlsx"
    write_xlsx(path, title="贫困户", headers=get_template("households").headers, rows=[row] * rows)
    with zipfile.ZipFile(path) as zf:
        per_row = sum(info.file_size for info in zf.infolist()) / rows

    assert defaults.IMPORT_MAX_ROWS >= 1_000_001  # a million data rows and the header
    assert 1.5 * per_row * 1_000_001 <= defaults.IMPORT_MAX_UNCOMPRESSED_BYTES  # with room to spare
    assert defaults.IMPORT_MAX_UNCOMPRESSED_BYTES < 1_500_000_000  # the review's 1.5 GB bomb is refused
