"""The figures' cache: computed once per data generation and audience, never older than the last committed write.

`cached(key_parts, compute)` answers `compute()`'s value, stored in Django's cache under the key parts and the
data generation (`core.generation.current()`, one query): any committed write to business data changes the
generation, so the next read misses and computes afresh; nothing is ever invalidated by hand. `cached_for(user,
kind, year=, region=, compute=)` keys by the user's audience (scope prefix and permissions), not by the user: two
users who may read the same rows share an entry, two who may not never do (docs/insight.md, I40–I45).

Inside a transaction of its own (an `atomic()` block that is not a test's) the cache is neither read nor
written: the transaction may hold uncommitted writes, whose figures must not outlive a rollback.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db import router

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import prefix_for
from wuzaicun.core import generation
from wuzaicun.core.db import in_own_transaction
from wuzaicun.core.models import DataGeneration

T = TypeVar("T")

TIMEOUT = 60 * 60  # an entry of an old generation is never read again: an hour frees the store soon enough
KEY_PREFIX = "wz:insight:v1"
_MISSING = object()


def audience(user: Any) -> str:
    """What the figures depend on about the user: the scope prefix and the permissions held (a role without
    a model's read permission sees none of it, `scope.may_read`). Users with the same audience see the same
    rows. 'none' for a user who sees nothing."""
    prefix = prefix_for(user)
    if prefix is None:
        return "none"
    can = getattr(user, "can", None)
    held = "".join("1" if can is not None and can(perm) else "0" for perm in Perm)
    return f"{prefix or '*'}:{int(held, 2):x}"


def key_for(stamp: int, key_parts: Sequence[object]) -> str:
    text = "\x1f".join(str(part) for part in key_parts)
    kind = str(key_parts[0]) if key_parts else ""
    return f"{KEY_PREFIX}:{kind}:{stamp}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def cached(key_parts: Sequence[object], compute: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """`compute()`'s value for these key parts at the current data generation (computed and stored on a miss).

    The key parts must name everything the value depends on besides the data: the kind of value first, then
    the audience (`audience(user)`), the year, the region, ... Values must pickle (Redis)."""
    if in_own_transaction():
        return compute()
    # the stamp from the database the figures will be read from: a lagging replica's stamp and rows arrive together,
    # so figures read there are never filed under the primary's newer stamp
    stamp = generation.current(using=router.db_for_read(DataGeneration))
    if not stamp:  # no counter rows: nothing guarantees freshness
        return compute()
    key = key_for(stamp, key_parts)
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return cast(T, found)
    value = compute()
    cache.set(key, value, timeout)
    return value


def cached_for(user: Any, kind: str, *, year: int, region: str | None, compute: Callable[[], T],
               extra: Sequence[object] = ()) -> T:
    """`cached` keyed by (kind, the user's audience, year, region, *extra)."""
    return cached((kind, audience(user), year, region or "", *extra), compute)
