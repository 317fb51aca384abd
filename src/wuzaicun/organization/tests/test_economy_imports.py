"""The `entities` template (DESIGN.md §4.2): exact headers, updates in scope, codes elsewhere refused."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from wuzaicun.core.identifiers import credit_code_check_char
from wuzaicun.organization.models import CollectiveEntity, EntityIncome
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import ExportContext

HEADER = ["区划代码", "名称", "类型", "统一社会信用代码", "成立日期", "年度", "经营收入", "集体收入"]
A1, A2, B1 = "520302001001", "520302001002", "520303100201"


def code(village: str, serial: int) -> str:
    body = f"93{village}{serial:03d}"
    return body + credit_code_check_char(body)


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_the_template_has_exactly_the_designs_headers() -> None:
    assert get_template("entities").headers == HEADER


def test_rows_register_entities_and_their_years(world, tmp_path) -> None:
    path = _write(tmp_path / "e.csv", [
        [A1, "甲村茶叶专业合作社", "专业合作社", code(A1, 1), "2015/3/1", "2016", "120000", "30000.5"],
        [A1, "甲村茶叶专业合作社", "专业合作社", code(A1, 1), "2015/3/1", "2015", "80000", "0"],
        [A2, "乙村股份经济合作有限公司", "股份合作公司", "", "2016年5月1日", "2016", "", ""],
    ])
    report = import_file(actor=world.users["county_a"], kind="entities", path=path)
    assert report.ok, report.issues
    tea = CollectiveEntity.objects_unscoped.get(credit_code=code(A1, 1))
    assert tea.kind == "cooperative" and tea.founded_on == dt.date(2015, 3, 1)
    assert dict(EntityIncome.objects_unscoped.filter(entity=tea).values_list("year", "collective_income")) == {
        2016: Decimal("30000.50"), 2015: Decimal(0)}
    company = CollectiveEntity.objects_unscoped.get(village_id=A2)
    assert company.kind == "joint_stock" and company.credit_code is None
    assert EntityIncome.objects_unscoped.get(entity=company).operating_income == 0


def test_an_entity_in_scope_is_updated_by_code_or_by_village_and_name(world, tmp_path) -> None:
    by_code = CollectiveEntity.objects_unscoped.create(village=world.regions[A1], name="旧名", kind="other",
                                                       credit_code=code(A1, 1))
    by_name = CollectiveEntity.objects_unscoped.create(village=world.regions[A2], name="乙村合作社", kind="other")
    path = _write(tmp_path / "u.csv", [
        [A1, "甲村新名专业合作社", "专业合作社", code(A1, 1), "", "2016", "1", "1"],
        [A2, "乙村合作社", "专业合作社", code(A2, 1), "", "2016", "2", "2"],
    ])
    report = import_file(actor=world.users["county_a"], kind="entities", path=path)
    assert report.ok, report.issues
    by_code.refresh_from_db()
    by_name.refresh_from_db()
    assert by_code.name == "甲村新名专业合作社" and by_code.kind == "cooperative" and by_code.version == 2
    assert by_name.credit_code == code(A2, 1)
    assert CollectiveEntity.objects_unscoped.count() == 2 and EntityIncome.objects_unscoped.count() == 2


def test_bad_rows_are_named_and_nothing_is_written(world, tmp_path) -> None:
    CollectiveEntity.objects_unscoped.create(village=world.regions[B1], name="丙村合作社", kind="cooperative",
                                             credit_code=code(B1, 1))
    wrong = code(A1, 2)[:-1] + ("0" if code(A1, 2)[-1] != "0" else "1")
    path = _write(tmp_path / "b.csv", [
        [A1, "甲村合作社", "专业合作社", code(A1, 3), "", "2016", "1", "1"],  # fine
        [A1, "甲村某合作社", "专业合作社", code(B1, 1), "", "2016", "1", "1"],  # code registered in county B
        [A1, "甲村二社", "专业合作社", wrong, "", "2016", "1", "1"],  # check character
        [A1, "甲村三社", "银行", "", "", "2016", "1", "1"],  # kind
        [B1, "丙村二社", "其他", "", "", "2016", "1", "1"],  # village out of scope
        [A1, "甲村合作社", "专业合作社", code(A1, 3), "", "2016", "5", "5"],  # same entity and year as row 2
        [A1, "甲村四社", "其他", "", "2016-13-01", "2016", "x", "1"],  # date and number
    ])
    report = import_file(actor=world.users["county_a"], kind="entities", path=path)
    found = {(i.line, i.column): i.message for i in report.issues}
    assert set(found) == {(3, "统一社会信用代码"), (4, "统一社会信用代码"), (5, "类型"), (6, "区划代码"), (7, "年度"),
                          (8, "成立日期"), (8, "经营收入")}
    assert found[(3, "统一社会信用代码")] == "该统一社会信用代码已被其他实体登记"  # never says where
    assert "校验码错误" in found[(4, "统一社会信用代码")]
    assert CollectiveEntity.objects_unscoped.count() == 1 and not EntityIncome.objects_unscoped.exists()


def test_export_round_trips_within_scope(world, tmp_path) -> None:
    mine = CollectiveEntity.objects_unscoped.create(village=world.regions[A1], name="甲村合作社", kind="cooperative",
                                                    credit_code=code(A1, 1), founded_on=dt.date(2015, 1, 2))
    theirs = CollectiveEntity.objects_unscoped.create(village=world.regions[B1], name="丙村合作社", kind="other")
    for entity in (mine, theirs):
        EntityIncome.objects_unscoped.create(entity=entity, year=2016, operating_income=Decimal("10.5"),
                                             collective_income=Decimal(3))
    target = tmp_path / "out.xlsx"
    export_to_xlsx(get_template("entities"), ExportContext(actor=world.users["county_a"], year=2016), target)
    sheet = load_workbook(target).active
    assert sheet is not None
    data = [[c.value for c in row] for row in sheet.iter_rows() if row[0].value in (A1, B1)]
    assert len(data) == 1 and data[0][:4] == [A1, "甲村合作社", "专业合作社", code(A1, 1)]
    report = import_file(actor=world.users["county_a"], kind="entities", path=target)
    assert report.ok, report.issues
    assert CollectiveEntity.objects_unscoped.count() == 2 and EntityIncome.objects_unscoped.count() == 2
