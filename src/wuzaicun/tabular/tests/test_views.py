"""The import pages: upload → preview with 共 N 行 and the problems → confirm; error file; who may use them."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from wuzaicun.audit.models import AuditEntry
from wuzaicun.registry.models import Household

from . import sheets
from .sheets import HOUSEHOLD_HEADERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, tmp_path, rows, *, name="户.csv", kind="households"):
    path = sheets.write_csv(tmp_path / "upload.csv", sheets.table(HOUSEHOLD_HEADERS, rows))
    return client.post(f"/imports/{kind}/upload/", {"file": SimpleUploadedFile(name, path.read_bytes())})


def test_upload_previews_the_row_count_and_problems_without_writing(world, client_for, tmp_path):
    before = Household.objects_unscoped.count()
    rows = [sheets.household(), sheets.household(家庭人口=0), sheets.household()]

    page = upload(client_for("county_a"), tmp_path, rows)

    assert page.status_code == 200
    assert "共 3 行" in page.text and "成功 0 行" in page.text and "失败 1 行（1 处问题）" in page.text
    assert "<td>第3行</td><td>家庭人口</td><td>“0”不能小于 1</td>" in page.text
    assert "下载错误标注文件" in page.text and "确认导入" not in page.text
    assert Household.objects_unscoped.count() == before


def test_confirm_imports_what_the_preview_checked(world, client_for, tmp_path):
    client = client_for("county_a")
    before = Household.objects_unscoped.count()
    page = upload(client, tmp_path, [sheets.household(), sheets.household()])
    assert "共 2 行" in page.text and "检查全部通过" in page.text and "确认导入" in page.text
    assert Household.objects_unscoped.count() == before

    done = client.post(f"/imports/households/confirm/{page.context['token']}/")

    assert done.status_code == 302 and done["Location"] == "/imports/"
    assert Household.objects_unscoped.count() == before + 2
    [entry] = AuditEntry.objects_unscoped.filter(action="import")
    assert entry.actor == world.users["county_a"] and "户.csv" in entry.summary
    assert "导入完成：贫困户共 2 行，成功 2 行，失败 0 行" in client.get("/imports/").text


def test_another_users_upload_cannot_be_confirmed(world, client_for, tmp_path):
    page = upload(client_for("county_a"), tmp_path, [sheets.household()])

    stolen = client_for("county_b").post(f"/imports/households/confirm/{page.context['token']}/")

    assert stolen.status_code == 400 and "上传文件已失效" in stolen.text
    assert not AuditEntry.objects_unscoped.filter(action="import").exists()


def test_the_error_file_is_an_xlsx_with_the_bad_cells_marked(world, client_for, tmp_path):
    client = client_for("county_a")
    page = upload(client, tmp_path, [sheets.household(), sheets.household(致贫原因="懒")])

    download = client.get(f"/imports/households/errors/{page.context['token']}/")

    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert "attachment" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert body.startswith(b"PK\x03\x04")
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    assert sheet.cell(row=1, column=10).value == "错误原因"
    assert "致贫原因" in sheet.cell(row=3, column=10).value
    assert sheet.cell(row=3, column=8).comment is not None


def test_the_preview_never_shows_a_full_resident_id(world, client_for, tmp_path):
    rows = [sheets.household(), sheets.household(家庭人口=0)]
    numbers = [r["身份证号"] for r in rows]

    page = upload(client_for("county_a"), tmp_path, rows)

    assert page.status_code == 200
    for number in numbers:
        assert number not in page.text
        assert f"{number[:6]}********{number[-4:]}" in page.text


def test_a_refused_upload_shows_the_reason_on_the_form(world, client_for):
    page = client_for("county_a").post(
        "/imports/households/upload/", {"file": SimpleUploadedFile("户.xlsm", b"PK\x03\x04")}
    )

    assert page.status_code == 200 and "不接受含宏的 .xlsm 文件" in page.text


def test_a_missing_column_is_named_on_the_form(world, client_for, tmp_path):
    path = sheets.write_csv(tmp_path / "x.csv", [["区划代码", "户主姓名"], ["520302001001", "张三"]])

    page = client_for("county_a").post(
        "/imports/households/upload/", {"file": SimpleUploadedFile("x.csv", path.read_bytes())}
    )

    assert "表头缺少必填列：身份证号、家庭人口、贫困状态、识别年度、致贫原因" in page.text


def test_a_user_without_the_import_right_gets_403_everywhere(world, client_for, tmp_path):
    client = client_for("leader_a")

    assert client.get("/imports/").status_code == 403
    assert client.get("/imports/households/upload/").status_code == 403
    refused = upload(client, tmp_path, [sheets.household()])
    assert refused.status_code == 403
    assert client.post("/imports/households/confirm/abc/").status_code == 403
    assert client.get("/imports/households/errors/abc/").status_code == 403
    assert AuditEntry.objects_unscoped.filter(action="denied", actor=world.users["leader_a"]).exists()


def test_a_township_admin_may_import_households_but_not_regions(world, client_for):
    client = client_for("township_a")

    assert client.get("/imports/households/upload/").status_code == 200
    assert client.get("/imports/regions/upload/").status_code == 403


def test_the_template_download_is_an_xlsx_with_the_headers(world, client_for):
    download = client_for("county_a").get("/imports/households/template/")

    assert download.status_code == 200 and download["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert [c.value for c in sheet[1]] == HOUSEHOLD_HEADERS


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    response = client.get("/imports/households/upload/")

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_header_only_upload_is_refused_as_having_no_data_rows(world, client_for, tmp_path):
    page = upload(client_for("county_a"), tmp_path, [])

    assert page.status_code == 200 and "没有数据行" in page.text
    assert "检查全部通过" not in page.text and 'id="confirm-import"' not in page.text


def test_the_preview_counts_every_failed_row_though_it_lists_only_the_first_problems(
    world, client_for, tmp_path, monkeypatch
):
    from wuzaicun.tabular import engine

    monkeypatch.setattr(engine, "MAX_KEPT_ISSUES", 2)
    rows = [sheets.household(家庭人口=0) for _ in range(5)]

    page = upload(client_for("county_a"), tmp_path, rows)

    assert "共 5 行" in page.text and "失败 5 行（5 处问题）" in page.text
