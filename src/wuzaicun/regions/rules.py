"""Pure checks on region and village-year values."""

from __future__ import annotations

from .codes import is_code, level_of, parent_code


def region_code_problem(code: str, known: set[str] | frozenset[str]) -> str | None:
    """None when a new region code is acceptable: 12 digits and its parent known (a province needs none)."""
    if not is_code(code):
        return f"“{code}”不是12位统计用区划代码"
    parent = parent_code(code)
    if parent is not None and parent not in known:
        return f"上级区划“{parent}”不存在（上级须已在系统中或在本文件中排在前面）"
    return None


def village_year_problems(
    *, year: int, is_poor: bool, exit_year: int | None, demonstration: str
) -> list[tuple[str, str]]:
    """(field label, Chinese reason) for inconsistent village-year facts."""
    problems: list[tuple[str, str]] = []
    if exit_year is not None and not is_poor:
        problems.append(("出列年度", "只有贫困村才有出列年度"))
    if exit_year is not None and not 2000 <= exit_year <= year + 10:
        problems.append(("出列年度", f"“{exit_year}”不在合理范围内"))
    return problems


def is_village_code(code: str) -> bool:
    return is_code(code) and level_of(code) == 5
