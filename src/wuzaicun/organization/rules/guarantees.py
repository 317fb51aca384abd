"""组织保障's standards as data, and the pure check of one village-year against them.

The seed (DESIGN.md §2.3) gives six standards: cadre pay ¥2,000 a month, operating funds ¥45,000 a year,
service funds ¥50,000 a year (reached: at or above), and activity funds per party member > ¥100, training
funds per cadre > ¥500, 党员群众之家 > 300 m² (the seed says 超过: strictly above). Each year's values are
configurable (`GuaranteeStandard`); these are the defaults.

A blank money value is a shortfall (未填报: nothing shows the standard is met). A blank home area is not:
the seed's standard is the size of the homes built (新建“党员群众之家”689个、每个面积均超过300平方米), and
a village that has not built one yet is not below it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Standard:
    code: str  # also the Guarantee field it reads
    title: str
    unit: str
    default: Decimal
    strict: bool  # True: the value must be above the standard (超过); False: at or above (达到)
    blank_is_shortfall: bool = True

    @property
    def comparison(self) -> str:
        return "超过" if self.strict else "不低于"

    def describe(self, value: Decimal) -> str:
        return f"{self.title}{self.comparison}{fmt(value)}{self.unit}"


STANDARDS: tuple[Standard, ...] = (
    Standard("cadre_monthly_pay", "村干部月报酬", "元/月", Decimal("2000"), strict=False),
    Standard("operating_funds", "村级组织运转经费", "元/年", Decimal("45000"), strict=False),
    Standard("service_funds", "服务群众专项经费", "元/年", Decimal("50000"), strict=False),
    Standard("activity_funds_per_member", "党员人均活动经费", "元/人·年", Decimal("100"), strict=True),
    Standard("training_funds_per_cadre", "村干部人均培训经费", "元/人·年", Decimal("500"), strict=True),
    Standard("home_area", "党员群众之家面积", "平方米", Decimal("300"), strict=True, blank_is_shortfall=False),
)
STANDARDS_BY_CODE: dict[str, Standard] = {s.code: s for s in STANDARDS}


def fmt(value: Decimal) -> str:
    """2000 → 2,000; 100.50 → 100.50 (never a float, never an exponent)."""
    whole = value == value.to_integral_value()
    return f"{value:,.0f}" if whole else f"{value:,.2f}"


def default_values() -> dict[str, Decimal]:
    return {s.code: s.default for s in STANDARDS}


def meets(standard: Standard, value: Decimal | None, threshold: Decimal) -> bool:
    if value is None:
        return not standard.blank_is_shortfall
    return value > threshold if standard.strict else value >= threshold


def applies(standard: Standard, value: Decimal | None) -> bool:
    """Whether the standard is checked for this value at all (a home not built is not measured)."""
    return value is not None or standard.blank_is_shortfall


@dataclass(frozen=True)
class Shortfall:
    code: str
    message: str


def shortfalls(values: Mapping[str, Decimal | None], thresholds: Mapping[str, Decimal]) -> list[Shortfall]:
    """The standards a village-year falls short of, each with a Chinese message, in the standards' order."""
    found = []
    for standard in STANDARDS:
        value = values.get(standard.code)
        threshold = thresholds.get(standard.code, standard.default)
        if meets(standard, value, threshold):
            continue
        if value is None:
            message = f"未填报{standard.title}"
        else:
            message = (f"{standard.title}{fmt(value)}{standard.unit}，"
                       f"{'未超过' if standard.strict else '低于'}标准{fmt(threshold)}{standard.unit}")
        found.append(Shortfall(standard.code, message))
    return found


def met_share(values: Mapping[str, Decimal | None], thresholds: Mapping[str, Decimal]) -> tuple[int, int]:
    """(standards met, standards that apply) for one village-year."""
    checked = [s for s in STANDARDS if applies(s, values.get(s.code))]
    met = sum(1 for s in checked if meets(s, values.get(s.code), thresholds.get(s.code, s.default)))
    return met, len(checked)


def standard_value_problem(code: str, value: Decimal) -> str | None:
    """A standard's configured value: a known code, not negative."""
    standard = STANDARDS_BY_CODE.get(code)
    if standard is None:
        return f"未知的保障标准代码“{code}”（可选：{'、'.join(STANDARDS_BY_CODE)}）"
    if value < 0:
        return f"{standard.title}标准不能为负数"
    return None
