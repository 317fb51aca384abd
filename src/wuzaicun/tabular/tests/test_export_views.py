"""The export page: masked by default, full IDs only for roles that may see them and with a reason,
one audit row per export under the right region, another county's region refused like a missing record."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from wuzaicun.audit.models import AuditEntry
from wuzaicun.registry.models import Household

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNTY_A = "520302000000"


def exported_numbers(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]


def exports() -> list[AuditEntry]:
    return list(AuditEntry.objects_unscoped.filter(action="export"))


def test_the_export_page_offers_full_ids_only_to_a_role_that_may_see_them(world, client_for):
    county = client_for("county_a").get("/imports/households/export/?region=520302")
    leader = client_for("leader_a").get("/imports/households/export/?region=520302")

    assert county.status_code == leader.status_code == 200
    assert "导出完整身份证号" in county.text and 'name="reason"' in county.text
    # the region the list page passed (a prefix) is shown by name and posted as its code
    assert 'name="region" value="520302000000"' in county.text and 'picker-chip-label">红花岗区<' in county.text
    assert "导出完整身份证号" not in leader.text and 'name="reason"' not in leader.text
    assert not exports()  # showing the form exports nothing


def test_a_page_export_is_masked_by_default_and_audited_once_with_region_and_row_count(world, client_for):
    response = client_for("county_a").post("/imports/households/export/")

    numbers = exported_numbers(response)
    ours = Household.objects_unscoped.filter(region__code__within="520302")
    assert sorted(numbers) == sorted(h.resident_id_masked for h in ours)
    assert not {h.reveal_resident_id() for h in ours} & set(numbers)
    [entry] = exports()
    assert entry.actor == world.users["county_a"] and entry.region_code == COUNTY_A
    assert entry.summary == "导出贫困户 6 行（身份证号已脱敏）"
    assert entry.changes == {"year": None, "region": COUNTY_A, "rows": 6, "full_ids": False}


def test_a_full_id_export_asks_the_reason_and_audits_it(world, client_for):
    client = client_for("county_a")

    refused = client.post("/imports/households/export/", {"full_ids": "on", "reason": " "})

    assert refused.status_code == 200 and "导出完整身份证号须填写导出原因" in refused.text
    assert not exports()

    response = client.post("/imports/households/export/", {"region": "520302001001", "full_ids": "on",
                                                           "reason": "民政部门核对低保"})

    village = Household.objects_unscoped.filter(region_id="520302001001")
    assert sorted(exported_numbers(response)) == sorted(h.reveal_resident_id() for h in village)
    [entry] = exports()
    assert entry.region_code == "520302001001"
    assert entry.summary == "导出贫困户 3 行（完整身份证号，原因：民政部门核对低保）"
    assert entry.changes["reason"] == "民政部门核对低保" and entry.changes["rows"] == 3


def test_a_role_that_may_not_see_ids_gets_masked_numbers_whatever_it_posts(world, client_for):
    response = client_for("leader_a").post("/imports/households/export/", {"full_ids": "on", "reason": "想看"})

    assert all("********" in number for number in exported_numbers(response))
    [entry] = exports()
    assert entry.changes["full_ids"] is False


def test_another_countys_region_is_refused_and_nothing_of_it_shows_in_that_countys_log(world, client_for):
    response = client_for("county_a").post("/imports/households/export/", {"region": "520303"})

    assert response.status_code == 404 and "记录不存在或无权访问" in response.text
    assert not exports()
    [refusal] = AuditEntry.objects_unscoped.filter(actor=world.users["county_a"], action="denied")
    assert refusal.region_code == COUNTY_A and "520303" not in f"{refusal.summary}{refusal.changes}"
    log_b = client_for("auditor_b").get("/audit/")
    assert log_b.status_code == 200 and "county_a" not in log_b.text


def test_an_invalid_region_is_named_on_the_form(world, client_for):
    page = client_for("county_a").post("/imports/households/export/", {"region": "52030x"})

    assert page.status_code == 200 and "区划代码“52030x”无效" in page.text
    assert not exports()
