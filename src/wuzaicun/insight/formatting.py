"""How a figure reads: thousand separators, money in 亿元/万元 where natural, the exact value always at hand."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .figures import Figure

YI = Decimal(100_000_000)
WAN = Decimal(10_000)


def exact(value: int | Decimal, unit: str) -> str:
    """The value in full with thousand separators: 1,800,000; 7,180,000,000.00 (money and land to the fen)."""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


def readable(value: int | Decimal, unit: str) -> tuple[str, str]:
    """(number, unit) as a reader takes it in: money from 10,000 yuan in 万元, from 100 million in 亿元 (two
    decimals, rounded half-up); land and counts whole with separators; shares with two decimals."""
    if unit == "元" and isinstance(value, Decimal):
        for size, name in ((YI, "亿元"), (WAN, "万元")):
            if abs(value) >= size:
                return f"{(value / size).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}", name
        return f"{value:,.2f}", unit
    if unit == "亩" and isinstance(value, Decimal) and value == value.to_integral_value():
        return f"{value:,.0f}", unit
    return exact(value, unit), unit


def seed_text(figure: Figure) -> str:
    """The seed's stated figure as shown beside the computed one (全市材料数), '' when it states none."""
    if figure.seed is None:
        return ""
    number, unit = readable(figure.seed, figure.unit)
    return f"{number}{'余' if figure.seed_more else ''}{unit}"
