"""Spreadsheet writers: every cell goes through `safe_cell`, so nothing a user typed becomes a formula."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .spec import Template

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")


def starts_like_formula(text: str) -> bool:
    return text.startswith(_DANGEROUS_START)


def safe_cell(value: Any, *, sheet: Worksheet | None = None) -> Any:
    """A value safe to write, whose text comes back unchanged when the file is imported again.

    Text starting with = + - @ tab or CR is made inert. In an .xlsx (pass the write-only `sheet`) it
    becomes a text cell with Excel's quote-prefix style: shown as typed, never a formula, value
    unchanged. In a .csv (no sheet) it gets one leading apostrophe, which the CSV reader strips again;
    so does text that is apostrophes before such a start, so that stripping one is always exact.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    text = str(value)
    if sheet is None:
        return "'" + text if starts_like_formula(text.lstrip("'")) else text
    if not starts_like_formula(text):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl takes any text starting with = for a formula
    cell.quotePrefix = True
    return cell


def write_xlsx(
    target: Path | IO[bytes], *, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Stream rows into a one-sheet workbook; returns the number of data rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(header) * 2 + 4)
    ws.append([_header_cell(ws, h) for h in headers])
    count = 0
    for row in rows:
        ws.append([safe_cell(v, sheet=ws) for v in row])
        count += 1
    wb.save(target)
    return count


def write_csv(target: IO[str], *, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    writer = csv.writer(target)
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        count += 1
    return count


def _cell(ws: Worksheet, value: Any) -> Cell:
    """A styleable cell holding `value` made safe."""
    safe = safe_cell(value, sheet=ws)
    return safe if isinstance(safe, Cell) else WriteOnlyCell(ws, value=safe)


def _header_cell(ws: Worksheet, header: str) -> Any:
    cell = WriteOnlyCell(ws, value=header)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    return cell


def template_workbook(template: Template, target: Path | IO[bytes]) -> None:
    """The empty template: headers, notes on each column, drop-downs for choice columns (下载模板)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = template.title[:31]
    for index, column in enumerate(template.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        note = ("必填。" if column.required else "选填。") + column.note
        cell.comment = Comment(note, "wuzaicun")
        ws.column_dimensions[letter].width = column.width
        if column.choices:
            options = ",".join(c for c in column.choices if c)
            validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=not column.required)
            validation.error = f"请从下拉列表中选择{column.header}"
            validation.add(f"{letter}2:{letter}100000")
            ws.add_data_validation(validation)
        else:
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    wb.save(target)


def error_workbook(
    rows: Iterable[tuple[int, Sequence[Any]]],
    issues: dict[int, dict[int, str]],
    target: Path | IO[bytes],
    *,
    title: str,
    header_line: int,
    width: int,
) -> None:
    """The uploaded sheet again, bad cells filled red with the reason as a comment, and a 错误原因 column.

    `issues` maps a sheet line to {column index: reason}; index -1 is a reason for the row as a whole.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    written = 0
    for line, values in rows:
        while written < line - 1:  # rows the reader skipped (empty in the file) keep their place
            ws.append([])
            written += 1
        written = line
        by_column = issues.get(line, {})
        cells: list[Any] = []
        for index in range(max(width, len(values))):
            value = values[index] if index < len(values) else None
            cell = _cell(ws, value)
            if index in by_column:
                cell.fill = _ERROR_FILL
                cell.comment = Comment(by_column[index], "wuzaicun")
            cells.append(cell)
        if line == header_line:
            cells.append(_header_cell(ws, "错误原因"))
        elif by_column:
            cells.append(_cell(ws, "；".join(by_column.values())))
        ws.append(cells)
    wb.save(target)
