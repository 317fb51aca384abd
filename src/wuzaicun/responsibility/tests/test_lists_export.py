"""The 五张责任清单 workbook at scale: over JOB_EXPORT_ROWS entries a job of 下载中心, scoped and audited once."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from wuzaicun.audit.models import Action, AuditEntry
from wuzaicun.jobs.models import Job, JobState
from wuzaicun.jobs.worker import drain
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village

OTHER_COUNTY_VILLAGE = "520303100201"


def _exports() -> int:
    return AuditEntry.objects_unscoped.filter(action=Action.EXPORT, summary__startswith=f"导出{YEAR}年度五张责任清单").count()


def test_a_large_lists_export_becomes_a_job_with_only_the_owners_county(world, year_open, client_for, settings):
    settings.JOB_EXPORT_ROWS = 5  # a covered village has 6 entries
    cover_village(world, VILLAGE)
    cover_village(world, OTHER_COUNTY_VILLAGE)  # 汇川区: must not appear in 红花岗区's file
    owner = client_for("county_a")

    response = owner.post("/responsibility/lists/export/", {"year": YEAR}, follow=True)

    job = Job.objects_unscoped.get()
    assert response.redirect_chain == [(f"/jobs/{job.pk}/", 302)]
    assert "“红花岗区2016年度责任清单”数据量较大，已转入下载中心在后台生成" in response.text
    assert job.kind == "lists_export" and job.label == "导出红花岗区2016年度责任清单" and job.region_code == "520302000000"
    assert _exports() == 0  # nothing exported yet

    assert drain() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.rows_done == 6 and job.rows_total == 6
    assert job.message == "已导出红花岗区2016年度责任清单 6 条"
    assert _exports() == 1  # the job's export, once

    download = owner.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].endswith(".xlsx")
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["帮村清单", "联村清单", "驻村清单", "助村清单", "带村清单"]
    villages = {row[3] for sheet in book for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert villages == {"甲村"}
    helpers = list(book["助村清单"].iter_rows(min_row=3, values_only=True))
    assert [r[4] for r in helpers] == [len(world.households[VILLAGE])] * 3
    assert _exports() == 1  # the download is audited as a download of the job's result, not a second export
    assert client_for("county_b").get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_lists_job_is_not_queued_for_a_region_out_of_scope(world, year_open, client_for, settings):
    settings.JOB_EXPORT_ROWS = 0
    cover_village(world, OTHER_COUNTY_VILLAGE)
    response = client_for("county_a").post("/responsibility/lists/export/", {"year": YEAR, "region": "520303"})
    assert response.status_code == 404 and not Job.objects_unscoped.exists()


def test_a_lists_export_reads_its_rows_in_a_fixed_number_of_queries(world, year_open, client_for,
                                                                   django_assert_max_num_queries):
    cover_village(world, VILLAGE)
    client = client_for("county_a")
    with django_assert_max_num_queries(20) as few:
        client.post("/responsibility/lists/export/", {"year": YEAR})
    cover_village(world, "520302001002")
    with django_assert_max_num_queries(len(few.captured_queries)):  # twice the entries, not one query more
        assert client.post("/responsibility/lists/export/", {"year": YEAR}).status_code == 200


def test_the_lists_workbook_by_script_in_the_users_scope(world, year_open, tmp_path):
    cover_village(world, VILLAGE)
    cover_village(world, OTHER_COUNTY_VILLAGE)
    target = tmp_path / "清单.xlsx"
    err = io.StringIO()
    call_command("lists", "--year", str(YEAR), "--as", "county_a", "-o", str(target), stderr=err)
    assert "已导出红花岗区2016年度五张责任清单 6 条" in err.getvalue()
    book = load_workbook(target)
    assert {row[3] for sheet in book for row in sheet.iter_rows(min_row=3, values_only=True)} == {"甲村"}
    assert _exports() == 1
    refused = tmp_path / "refused.xlsx"
    with pytest.raises(CommandError, match="不存在或不在您的管辖范围内"):
        call_command("lists", "--year", str(YEAR), "--region", "520303", "--as", "county_a", "-o", str(refused))
    assert not refused.exists() and list(tmp_path.iterdir()) == [target]
