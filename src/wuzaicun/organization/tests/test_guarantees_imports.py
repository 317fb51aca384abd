"""The `guarantees` template: all-or-nothing, errors per row and column, updates, scope, round trip."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from wuzaicun.organization.models import Guarantee
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import ExportContext

HEADER = ["年度", "区划代码", "村干部月报酬", "村级组织运转经费", "服务群众专项经费", "党员人均活动经费", "村干部人均培训经费",
          "党员群众之家面积"]
A1, A2, B1 = "520302001001", "520302001002", "520303100201"


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_the_template_has_the_issues_headers() -> None:
    assert get_template("guarantees").headers == HEADER


def test_rows_record_or_update_village_years(world, tmp_path) -> None:
    Guarantee.objects_unscoped.create(village=world.regions[A2], year=2016, cadre_monthly_pay=Decimal(1000))
    path = _write(tmp_path / "g.csv", [
        ["2016", A1, "2,000", "45000", "５００００", "120.5", "600", "350"],
        ["2016年", A2, "2100", "45000", "50000", "110", "510", ""],
    ])
    report = import_file(actor=world.users["county_a"], kind="guarantees", path=path)
    assert report.ok, report.issues
    one = Guarantee.objects_unscoped.get(village_id=A1)
    assert one.cadre_monthly_pay == Decimal("2000.00") and one.service_funds == Decimal(50000)
    assert one.home_area == Decimal("350.00")
    two = Guarantee.objects_unscoped.get(village_id=A2)
    assert two.cadre_monthly_pay == Decimal(2100) and two.home_area is None and two.version == 2
    assert Guarantee.objects_unscoped.count() == 2


def test_bad_rows_are_named_and_nothing_is_written(world, tmp_path) -> None:
    path = _write(tmp_path / "b.csv", [
        ["2016", A1, "2000", "45000", "50000", "120", "600", "350"],  # fine
        ["2016", B1, "2000", "45000", "50000", "120", "600", "350"],  # another county
        ["2016", A2, "两千", "45000", "50000", "120", "600", "350"],  # not a number
        ["2017", A2, "2000", "-1", "50000", "120", "600", "350"],  # negative
        ["2016", A1, "2000", "45000", "50000", "120", "600", "350"],  # same village-year as row 2
        ["20166", A2, "2000", "45000", "50000", "120", "600", "350"],  # bad year
        ["2016", "520302001000", "2000", "", "", "", "", ""],  # a township
    ])
    report = import_file(actor=world.users["county_a"], kind="guarantees", path=path)
    assert {(i.line, i.column) for i in report.issues} == {
        (3, "区划代码"), (4, "村干部月报酬"), (5, "村级组织运转经费"), (6, "区划代码"), (7, "年度"), (8, "区划代码")}
    assert all(i.message for i in report.issues)
    assert not Guarantee.objects_unscoped.exists()


def test_export_is_the_scope_and_re_imports(world, tmp_path) -> None:
    for code in (A1, B1):
        Guarantee.objects_unscoped.create(village=world.regions[code], year=2016, cadre_monthly_pay=Decimal("2000.5"),
                                          activity_funds_per_member=Decimal(150))
    target = tmp_path / "out.xlsx"
    export_to_xlsx(get_template("guarantees"), ExportContext(actor=world.users["county_a"], year=2016), target)
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    data = [r for r in rows if r and r[1] in (A1, B1)]
    assert [r[1] for r in data] == [A1]
    report = import_file(actor=world.users["county_a"], kind="guarantees", path=target)
    assert report.ok, report.issues
    assert Guarantee.objects_unscoped.get(village_id=A1).version == 1  # nothing changed
