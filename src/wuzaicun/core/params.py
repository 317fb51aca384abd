"""Query-string parameters pages and the API share: a year, a quarter, a region code or prefix."""

from __future__ import annotations

from .errors import DomainError


def year_param(text: str | None, *, default: int) -> int:
    """A year between 1949 and 2100, or the default when absent; anything else is refused in Chinese."""
    value = (text or "").strip().removesuffix("年")
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or not 1949 <= int(value) <= 2100:
        raise DomainError(f"年度“{text}”无效，应为 1949–2100 之间的四位数字", field="年度", code="invalid_year")
    return int(value)


def quarter_param(text: str | None, *, default: int) -> int:
    value = (text or "").strip()
    if not value:
        return default
    if value not in ("1", "2", "3", "4"):
        raise DomainError(f"季度“{text}”无效，应为 1–4", field="季度", code="invalid_quarter")
    return int(value)


def region_param(text: str | None) -> str | None:
    """A 12-digit region code or its 2/4/6/9-digit prefix, as the 12-digit code; None when absent."""
    from wuzaicun.regions.codes import code_from_prefix

    value = (text or "").strip()
    if not value:
        return None
    try:
        return code_from_prefix(value)
    except ValueError:
        raise DomainError(f"区划代码“{text}”无效，应为12位区划代码或其2/4/6/9位前缀", field="区划代码",
                          code="invalid_region") from None
