"""Pure functions of 12-digit statistical division codes: a code's prefix is its ancestors' (2/4/6/9/12)."""

from __future__ import annotations

import re
from collections.abc import Iterable

PREFIX_LENGTHS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
_CODE_RE = re.compile(r"^\d{12}$")


def is_code(value: str) -> bool:
    return bool(_CODE_RE.match(value))


def level_of(code: str) -> int:
    """1 province, 2 city, 3 county, 4 township, 5 village."""
    if code[2:] == "0" * 10:
        return 1
    if code[4:] == "0" * 8:
        return 2
    if code[6:] == "0" * 6:
        return 3
    if code[9:] == "000":
        return 4
    return 5


def prefix_of(code: str) -> str:
    """The significant prefix: every descendant's code starts with it."""
    return code[: PREFIX_LENGTHS[level_of(code)]]


def code_from_prefix(prefix: str) -> str:
    """Expand a prefix such as 5203 to 520300000000; a full code is returned as it is."""
    if len(prefix) not in PREFIX_LENGTHS.values() or not prefix.isdigit():
        raise ValueError(prefix)
    return prefix.ljust(12, "0")


def parent_code(code: str) -> str | None:
    level = level_of(code)
    if level == 1:
        return None
    return code[: PREFIX_LENGTHS[level - 1]].ljust(12, "0")


def ancestor_codes(code: str) -> list[str]:
    """From the province down to the code's parent."""
    out: list[str] = []
    parent = parent_code(code)
    while parent is not None:
        out.append(parent)
        parent = parent_code(parent)
    return out[::-1]


def is_within(code: str, prefix: str) -> bool:
    return code.startswith(prefix)


def common_prefix(codes: Iterable[str]) -> str:
    """The longest text every code starts with ("" for none): the range (`code__within`) holding them all."""
    ordered = sorted(codes)
    if not ordered:
        return ""
    first, last = ordered[0], ordered[-1]
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]
