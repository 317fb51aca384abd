"""Valid resident ID numbers for tests and synthetic data."""

from __future__ import annotations

import datetime as dt

from wuzaicun.core.identifiers import resident_id_check_digit


def make_resident_id(area: str, born: dt.date, sequence: int, *, male: bool = True) -> str:
    """A valid 18-digit number: 6-digit area, birth date, 3-digit sequence (odd for men), check digit."""
    seq = sequence % 500 * 2 + (1 if male else 0)
    first17 = f"{area[:6]}{born:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_digit(first17)
