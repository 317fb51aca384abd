"""Pure checks on people and households, shared by the forms, the API and the imports."""

from __future__ import annotations

import re

from wuzaicun.core.identifiers import resident_id_problem, sex_from_resident_id
from wuzaicun.core.masking import is_masked

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalise_resident_id(value: str) -> str:
    return value.strip().replace(" ", "").upper()


# What an import says of a number a masked export wrote: it cannot be taken for a number.
MASKED_RESIDENT_ID = "身份证号已脱敏，无法导入，请使用完整身份证号导出"
MASKED_PHONE = "联系电话已脱敏，无法导入，请使用完整身份证号导出（含完整联系电话）"


def masked_id_error(value: str) -> str | None:
    return MASKED_RESIDENT_ID if is_masked(value) else None


def resident_id_error(value: str) -> str | None:
    problem = resident_id_problem(value)
    return f"身份证号{problem}" if problem else None


def phone_error(value: str) -> str | None:
    if not value or _MOBILE.match(value) or _LANDLINE.match(value):
        return None
    return f"“{value}”不是有效的手机号或座机号"


def sex_error(sex: str | None, resident_id: str) -> str | None:
    if sex and sex != sex_from_resident_id(resident_id):
        return f"性别“{sex}”与身份证号不符"
    return None


def household_problems(
    *, status: str, identified_year: int, exit_year: int | None, members: int
) -> list[tuple[str, str]]:
    """(column, reason) for inconsistent household facts."""
    problems: list[tuple[str, str]] = []
    if status not in ("未脱贫", "已脱贫"):
        problems.append(("贫困状态", f"“{status}”不是可选值（未脱贫、已脱贫）"))
    if status == "已脱贫" and exit_year is None:
        problems.append(("脱贫年度", "贫困状态为“已脱贫”时必须填写脱贫年度"))
    if status == "未脱贫" and exit_year is not None:
        problems.append(("脱贫年度", "贫困状态为“未脱贫”时不应填写脱贫年度"))
    if exit_year is not None and exit_year < identified_year:
        problems.append(("脱贫年度", f"脱贫年度 {exit_year} 早于识别年度 {identified_year}"))
    if not 1 <= members <= 30:
        problems.append(("家庭人口", f"家庭人口 {members} 不在 1–30 之间"))
    return problems
