"""Encryption at rest (AES-GCM, versioned keys outside the database) and a keyed HMAC blind index."""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_NONCE = 12


class FieldKeys:
    """The key ring: AES keys by version (the newest encrypts), and the blind-index HMAC key."""

    def __init__(self, aes: dict[int, bytes], index_key: bytes) -> None:
        if not aes:
            raise ValueError("field key ring is empty")
        self.aes = {v: AESGCM(k) for v, k in aes.items()}
        self.current = max(aes)
        self.index_key = index_key

    @classmethod
    def load(cls, path: Path) -> FieldKeys:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            data = {
                "aes": {"1": base64.b64encode(secrets.token_bytes(32)).decode()},
                "index": base64.b64encode(secrets.token_bytes(32)).decode(),
            }
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump(data, fh)
        data = json.loads(path.read_text())
        return cls(
            {int(v): base64.b64decode(k) for v, k in data["aes"].items()},
            base64.b64decode(data["index"]),
        )


@lru_cache(maxsize=1)
def keys() -> FieldKeys:
    return FieldKeys.load(Path(settings.FIELD_KEYS_FILE))


def encrypt(plain: str, *, context: bytes = b"") -> bytes:
    """Version byte, nonce, then ciphertext with its tag; `context` binds it to its column."""
    ring = keys()
    nonce = secrets.token_bytes(_NONCE)
    body = ring.aes[ring.current].encrypt(nonce, plain.encode(), context)
    return bytes([ring.current]) + nonce + body


def decrypt(blob: bytes | memoryview, *, context: bytes = b"") -> str:
    raw = bytes(blob)
    ring = keys()
    return ring.aes[raw[0]].decrypt(raw[1 : 1 + _NONCE], raw[1 + _NONCE :], context).decode()


def blind_index(value: str, *, purpose: bytes) -> str:
    """A keyed hash for exact look-up and duplicate detection; hex, 64 characters."""
    return hmac.digest(keys().index_key, purpose + b"\x00" + value.encode(), "sha256").hex()
