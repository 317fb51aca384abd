"""Streaming readers for .csv (UTF-8 with or without BOM, GB18030) and .xlsx; rows are never all held.

The .xlsx reader walks the first worksheet's XML with lxml's iterparse and clears each row once read,
so memory stays flat however long the sheet (openpyxl's read-only mode does the same, ~5x slower).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from wuzaicun.core.errors import DomainError
from wuzaicun.core.text import excel_serial_to_date

Row = list[Any]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_M = "{%s}" % _MAIN
_DATE_BUILTIN = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57})
_DATE_CODE = re.compile(r"(?<!\\)[ymdhs]|年|月|日", re.IGNORECASE)
_COLUMN_RE = re.compile(r"[A-Z]+")


class ReadError(DomainError):
    code = "unreadable_file"


def sniff_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def iter_csv(path: Path) -> Iterator[tuple[int, Row]]:
    encoding = sniff_encoding(path)
    with path.open(encoding=encoding, newline="", errors="strict") as fh:
        try:
            for line, row in enumerate(csv.reader(fh), start=1):
                yield line, row  # type: ignore[misc]
        except UnicodeDecodeError:
            raise ReadError("文件编码无法识别：请另存为 UTF-8 或 GB18030 编码的 CSV") from None
        except csv.Error as exc:
            raise ReadError(f"CSV 格式错误：{exc}") from None


def _column_index(ref: str) -> int:
    letters = _COLUMN_RE.match(ref)
    index = 0
    for ch in letters.group(0) if letters else "":
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _first_sheet_path(zf: zipfile.ZipFile) -> str:
    workbook = etree.fromstring(zf.read("xl/workbook.xml"), parser=_parser())
    sheet = workbook.find(f"{_M}sheets/{_M}sheet")
    if sheet is None:
        raise ReadError("工作簿中没有工作表")
    rel_id = sheet.get(f"{{{_REL}}}id")
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), parser=_parser())
    for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise ReadError("工作簿结构不完整：找不到第一个工作表")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    out: list[str] = []
    with zf.open("xl/sharedStrings.xml") as fh:
        for _, si in etree.iterparse(fh, events=("end",), tag=f"{_M}si", resolve_entities=False, no_network=True, huge_tree=True):
            # Rich text splits a string into runs; phonetic hints (rPh) are not part of the value.
            out.append("".join(t.text or "" for t in si.iter(f"{_M}t") if t.getparent().tag != f"{_M}rPh"))
            si.clear()
    return out


def _date_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    if "xl/styles.xml" not in zf.namelist():
        return frozenset()
    styles = etree.fromstring(zf.read("xl/styles.xml"), parser=_parser())
    custom = {
        int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "")
        for fmt in styles.iterfind(f"{_M}numFmts/{_M}numFmt")
    }
    dates: set[int] = set()
    for index, xf in enumerate(styles.iterfind(f"{_M}cellXfs/{_M}xf")):
        fmt_id = int(xf.get("numFmtId", "0"))
        code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", custom.get(fmt_id, ""))
        if fmt_id in _DATE_BUILTIN or (fmt_id in custom and _DATE_CODE.search(code)):
            dates.add(index)
    return frozenset(dates)


def _number(text: str, is_date: bool) -> Any:
    value = float(text)
    if is_date:
        return excel_serial_to_date(value)
    return int(value) if value.is_integer() and "E" not in text.upper() else value


def iter_xlsx(path: Path) -> Iterator[tuple[int, Row]]:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ReadError("不是有效的 .xlsx 文件") from None
    with zf:
        try:
            sheet_path = _first_sheet_path(zf)
            strings = _shared_strings(zf)
            date_styles = _date_styles(zf)
        except (KeyError, etree.XMLSyntaxError):
            raise ReadError("不是有效的 .xlsx 文件") from None
        with zf.open(sheet_path) as fh:
            yield from _rows(fh, strings, date_styles)


def _rows(fh: IO[bytes], strings: list[str], date_styles: frozenset[int]) -> Iterator[tuple[int, Row]]:
    row_tag, cell_tag, v_tag, is_tag, t_tag = (f"{_M}{n}" for n in ("row", "c", "v", "is", "t"))
    expected = 0
    try:
        for _, row in etree.iterparse(
            fh, events=("end",), tag=row_tag, resolve_entities=False, no_network=True, huge_tree=True
        ):
            r = row.get("r")
            line = int(r) if r else expected + 1
            expected = line
            values: Row = []
            for cell in row.iterchildren(cell_tag):
                ref = cell.get("r")
                index = _column_index(ref) if ref else len(values)
                kind = cell.get("t", "n")
                if kind == "inlineStr":
                    node = cell.find(is_tag)
                    value: Any = "".join(t.text or "" for t in node.iter(t_tag)) if node is not None else ""
                else:
                    v = cell.find(v_tag)
                    raw = v.text if v is not None else None
                    if raw is None:
                        value = None
                    elif kind == "s":
                        value = strings[int(raw)]
                    elif kind == "n":
                        value = _number(raw, int(cell.get("s", "0")) in date_styles)
                    elif kind == "b":
                        value = "是" if raw == "1" else "否"
                    elif kind == "d":
                        value = dt.date.fromisoformat(raw[:10])
                    else:  # str (formula result), e (error)
                        value = raw
                if index >= len(values):
                    values.extend([None] * (index - len(values)))
                    values.append(value)
                else:
                    values[index] = value
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            yield line, values
    except etree.XMLSyntaxError:
        raise ReadError("工作表内容损坏，无法读取") from None


def iter_rows(path: Path) -> Iterator[tuple[int, Row]]:
    """(1-based sheet line, cell values) for every row of a .csv or .xlsx file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return iter_csv(path)
    if suffix == ".xlsx":
        return iter_xlsx(path)
    raise ReadError(f"不支持的文件类型“{suffix}”：请上传 .xlsx 或 .csv 文件")
