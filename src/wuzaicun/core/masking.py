"""Masking on the server: the internal and the public-notice (公示) profiles."""

from __future__ import annotations

MASK_CHAR = "*"


def is_masked(value: str) -> bool:
    """A value as a masking profile writes it (520321********1234, 138****1234): never a real number."""
    return MASK_CHAR in value


def mask_resident_id(value: str) -> str:
    """Internal profile: 520321********1234."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_resident_id_public(value: str) -> str:
    """Public-notice profile: the first two and last three characters."""
    if len(value) < 5:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 5) + value[-3:]


def mask_phone(value: str) -> str:
    """138****1234."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
