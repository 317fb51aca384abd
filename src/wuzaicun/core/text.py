"""Normalisation of typed values: trimming, full-width characters, dates in the forms officials type."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

# Full-width digits and Latin letters map to half-width, the ideographic and no-break spaces to a plain
# space. Chinese punctuation (，（）：) stays: it belongs to the text (名称 “红花岗区（老城）”).
_FULL_WIDTH = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)} | {
    0x3000: 0x20, 0xA0: 0x20,
}
# Inside a number or a date the full-width marks mean their ASCII twins: ２０１６－０３－０１, １，２３４．５.
_NUMBER_MARKS = str.maketrans("．－／，＋：", ".-/,+:")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def normalise(value: str) -> str:
    """Trim, fold full-width digits, letters and spaces, and collapse runs of white space.

    Called for every cell of an import, so the common cases (a code, a number, a name) return early.
    """
    if not value.isascii():
        value = value.translate(_FULL_WIDTH)
    if value.isalnum():
        return value
    return " ".join(value.split())  # str.split() splits on the same Unicode white space as regex \s


class ParseError(ValueError):
    """A value that does not parse; the message is Chinese."""


def parse_date(value: str | dt.date | float | int) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        return excel_serial_to_date(float(value))
    text = normalise(value).translate(_NUMBER_MARKS)
    if " " in text:  # "2016-03-01 00:00:00" from a spreadsheet that stored a datetime
        text = text.split(" ", 1)[0]
    for pattern in _DATE_PATTERNS:
        if m := pattern.match(text):
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise ParseError(f"“{value}”不是有效日期") from None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):  # an Excel serial typed or saved as text (10000 is 1927-05-18)
        return excel_serial_to_date(float(text))
    raise ParseError(f"“{value}”不是日期，应写作 2016-03-01、2016/3/1 或 2016年3月1日")


def excel_serial_to_date(serial: float) -> dt.date:
    if not 1 <= serial < 2958466:
        raise ParseError(f"“{serial:g}”不是有效的 Excel 日期")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_int(value: str, *, low: int | None = None, high: int | None = None) -> int:
    text = normalise(value).translate(_NUMBER_MARKS).replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not re.fullmatch(r"-?\d+", text):
        raise ParseError(f"“{value}”不是整数")
    number = int(text)
    if low is not None and number < low:
        raise ParseError(f"“{value}”不能小于 {low}")
    if high is not None and number > high:
        raise ParseError(f"“{value}”不能大于 {high}")
    return number


def parse_year(value: str) -> int:
    text = normalise(value).translate(_NUMBER_MARKS).removesuffix("年")
    if not re.fullmatch(r"\d{4}(\.0+)?", text):
        raise ParseError(f"“{value}”不是年份，应写作 2016 或 2016年")
    return parse_int(text, low=1949, high=2100)


_FEN = Decimal("0.01")
MONEY_LIMIT = Decimal("10000000000")  # the money columns hold 12 digits, 2 after the point


def parse_money(value: str) -> Decimal:
    text = normalise(value).translate(_NUMBER_MARKS).replace(",", "").removesuffix("元")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ParseError(f"“{value}”不是金额") from None
    if not amount.is_finite() or amount < 0:
        raise ParseError(f"“{value}”不是有效金额")
    if amount >= MONEY_LIMIT:
        raise ParseError(f"“{value}”超出金额上限（不到100亿元）")
    return amount.quantize(_FEN)


def parse_yes_no(value: str) -> bool:
    text = normalise(value)
    if text in {"是", "Y", "y", "1", "TRUE", "True", "true", "√"}:
        return True
    if text in {"否", "N", "n", "0", "FALSE", "False", "false", "", "×"}:
        return False
    raise ParseError(f"“{value}”应填“是”或“否”")


def required_text(value: str, *, field: str, max_length: int, hint: str = "") -> str:
    """A free-text field a workflow step requires (a reason, a contribution): trimmed, not empty, not too
    long; else a DomainError naming the field."""
    from .errors import DomainError

    text = value.strip()
    if not text:
        raise DomainError(f"请填写{field}{hint}", field=field)
    if len(text) > max_length:
        raise DomainError(f"{field}不能超过 {max_length} 个字（实为 {len(text)} 个）", field=field)
    return text
