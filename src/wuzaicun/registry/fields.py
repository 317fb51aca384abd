"""Encrypted personal identifiers: ciphertext column + blind-index column, masked for display."""

from __future__ import annotations

from wuzaicun.core import crypto

RESIDENT_ID = b"resident_id"
PHONE = b"phone"


def seal_resident_id(value: str) -> tuple[bytes, str]:
    """(ciphertext, blind index) for a validated resident ID."""
    return crypto.encrypt(value, context=RESIDENT_ID), crypto.blind_index(value, purpose=RESIDENT_ID)


def resident_id_hash(value: str) -> str:
    return crypto.blind_index(value, purpose=RESIDENT_ID)


def open_resident_id(blob: bytes | memoryview) -> str:
    return crypto.decrypt(blob, context=RESIDENT_ID)


def seal_phone(value: str) -> bytes:
    return crypto.encrypt(value, context=PHONE) if value else b""


def open_phone(blob: bytes | memoryview | None) -> str:
    return crypto.decrypt(blob, context=PHONE) if blob else ""
