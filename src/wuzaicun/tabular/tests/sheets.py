"""Spreadsheet files for import tests: .csv in a chosen encoding, .xlsx written by openpyxl, template rows."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from wuzaicun.testing.ids import make_resident_id

HOUSEHOLD_HEADERS = ["区划代码", "户主姓名", "身份证号", "家庭人口", "贫困状态", "识别年度", "脱贫年度", "致贫原因", "人均纯收入"]
PEOPLE_HEADERS = ["姓名", "身份证号", "性别", "民族", "政治面貌", "工作单位", "职务", "职级", "联系电话", "区划代码"]

VILLAGE_A1 = "520302001001"  # 甲村, county A (红花岗区)
VILLAGE_A2 = "520302001002"  # 乙村, county A
VILLAGE_B1 = "520303100201"  # 丙村, county B (汇川区)

_serial = {"n": 0}


def new_resident_id(area: str = "520302", *, male: bool = True, born: dt.date | None = None) -> str:
    """A valid number not used by the world's factories (they start at 1950-01-01)."""
    _serial["n"] += 1
    n = _serial["n"]
    return make_resident_id(area, born or dt.date(1970, 1, 1) + dt.timedelta(days=n // 400), n % 400, male=male)


def household(
    region: str = VILLAGE_A1, resident_id: str | None = None, **overrides: Any
) -> dict[str, Any]:
    """One valid households-template row as {header: value}; override any column by its header."""
    row: dict[str, Any] = {
        "区划代码": region, "户主姓名": "张德明", "身份证号": resident_id or new_resident_id(region[:6]),
        "家庭人口": 4, "贫困状态": "未脱贫", "识别年度": 2014, "脱贫年度": "", "致贫原因": "因病",
        "人均纯收入": "2300.50",
    }
    row.update(overrides)
    return row


def person(region: str = VILLAGE_A1, resident_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    number = resident_id or new_resident_id(region[:6])
    row: dict[str, Any] = {
        "姓名": "李明", "身份证号": number, "性别": "男" if int(number[16]) % 2 else "女", "民族": "汉族",
        "政治面貌": "中共党员", "工作单位": "", "职务": "", "职级": "一般干部", "联系电话": "", "区划代码": region,
    }
    row.update(overrides)
    return row


def table(headers: Sequence[str], rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """Header line, then each row's values in the headers' order."""
    return [list(headers), *([row.get(h, "") for h in headers] for row in rows)]


def write_csv(path: Path, lines: Iterable[Sequence[Any]], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(["" if v is None else v for v in line] for line in lines)
    return path


def write_xlsx(path: Path, lines: Iterable[Sequence[Any]], *, title: str = "Sheet1") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for line in lines:
        sheet.append([None if v == "" else v for v in line])
    workbook.save(path)
    return path


def read_xlsx(path: Path) -> list[list[Any]]:
    sheet = load_workbook(path).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
