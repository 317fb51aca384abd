"""村级集体经济's pure checks: an entity's fields, a village's 空壳村 status, the collective-income score.

空壳村 (a shell village) in a year: a village with no collective-economy entity existing that year (founded
by its end, or with no founding date), or whose entities had no collective income that year (集体收入 0).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from wuzaicun.core.identifiers import credit_code_problem

from ..models.economy import EntityKind

KIND_BY_LABEL: dict[str, str] = {label: value for value, label in EntityKind.choices}
NAME_MAX = 100
# The collective income (元/年) that scores 100 on the `collective_income` indicator; linear from 0 below it.
# settings.COLLECTIVE_INCOME_FULL_SCORE changes it.
DEFAULT_INCOME_FULL_SCORE = Decimal("50000")


def normalise_credit_code(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def entity_problems(*, name: str, kind: str, credit_code: str, founded_on: dt.date | None,
                    today: dt.date | None = None) -> list[tuple[str, str]]:
    """(field label, Chinese reason) for each problem of an entity's own fields."""
    problems: list[tuple[str, str]] = []
    if not name.strip():
        problems.append(("名称", "名称不能为空"))
    elif len(name) > NAME_MAX:
        problems.append(("名称", f"名称不能超过{NAME_MAX}个字（实为{len(name)}个）"))
    if kind not in EntityKind.values:
        problems.append(("类型", f"类型应为{'、'.join(KIND_BY_LABEL)}之一"))
    if credit_code and (reason := credit_code_problem(credit_code)):
        problems.append(("统一社会信用代码", f"统一社会信用代码“{credit_code}”{reason}"))
    if founded_on is not None and today is not None and founded_on > today:
        problems.append(("成立日期", f"成立日期 {founded_on} 晚于今天"))
    return problems


def shell_reason(*, entities: int, collective_income: Decimal | None) -> str | None:
    """Why a village is a 空壳村 this year, or None when it is not."""
    if entities == 0:
        return "没有村集体经济实体"
    if not collective_income or collective_income <= 0:
        return "当年没有集体收入"
    return None


def income_score(income: Decimal | None, full: Decimal) -> Decimal:
    """0 for no collective income, 100 at or above `full`, linear between (two decimals)."""
    if not income or income <= 0:
        return Decimal(0)
    if full <= 0 or income >= full:
        return Decimal(100)
    return (Decimal(100) * income / full).quantize(Decimal("0.01"))


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)
