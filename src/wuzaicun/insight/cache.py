"""The figures' cache: each part computed once per audience and kept while none of the tables it read has changed.

`cached(key_parts, compute)` answers `compute()`'s value, stored in Django's cache under the key parts together
with the stamps (`core.generation.stamps()`, one query) of the business tables its queries read (collected with
`connection.execute_wrapper` while it computes). Any committed write to a table moves that table's stamp, so the
next read of a part that read the table misses and computes afresh; parts that never read it are still good
(a ledger entry does not recompute the 三变 totals). Nothing is ever invalidated by hand. `cached_for(user, kind,
year=, region=, compute=)` keys by the user's audience (scope prefix and permissions), not by the user: two users
who may read the same rows share an entry, two who may not never do (docs/insight.md, I40–I47).

The stamps are read before computing: a write that commits while a part computes leaves the part filed under the
older stamp, so it is recomputed on the next read (never kept over newer data). `one_stamp_read()` lets a page's
several parts share one read of the stamps.

Inside a transaction of its own (an `atomic()` block that is not a test's) the cache is neither read nor
written: the transaction may hold uncommitted writes, whose figures must not outlive a rollback.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db import connections, router

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import prefix_for
from wuzaicun.core import generation
from wuzaicun.core.db import in_own_transaction
from wuzaicun.core.models import DataGeneration

T = TypeVar("T")

TIMEOUT = 60 * 60  # an entry of an old generation is never read again: an hour frees the store soon enough
KEY_PREFIX = "wz:insight:v2"
_MISSING = object()
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]+")


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


def key_for(key_parts: Sequence[object]) -> str:
    text = "\x1f".join(str(part) for part in key_parts)
    kind = _UNSAFE.sub("_", str(key_parts[0]))[:80] if key_parts else ""  # readable, and safe for any store
    return f"{KEY_PREFIX}:{kind}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


# inside `one_stamp_read()`: a box holding the block's one read of the stamps, once made
_shared_stamps: ContextVar[list[dict[str, int]] | None] = ContextVar("insight_shared_stamps", default=None)
# The tables read by each part being computed (outermost first): a part computed inside another adds its tables
# to the enclosing parts', whether it was found or computed.
_reading: ContextVar[tuple[set[str], ...]] = ContextVar("insight_reading", default=())
_WORD = re.compile(r"[a-z][a-z0-9_]*")


@contextmanager
def one_stamp_read() -> Iterator[None]:
    """Within the block every `cached` part uses the same read of the stamps (a page of several parts: one query)."""
    token = _shared_stamps.set([])
    try:
        yield
    finally:
        _shared_stamps.reset(token)


def _stamps() -> dict[str, int]:
    box = _shared_stamps.get()
    if box:
        return box[0]
    # from the database the figures will be read from: a lagging replica's stamps and rows arrive together,
    # so figures read there are never filed under the primary's newer stamps
    found = generation.stamps(using=router.db_for_read(DataGeneration))
    if box is not None:
        box.append(found)
    return found


@contextmanager
def _tables_read(known: dict[str, int]) -> Iterator[set[str]]:
    """The business tables named by the queries run inside the block, on every database connection."""
    tables: set[str] = set()
    outer = _reading.get()
    token = _reading.set((*outer, tables))

    def collect(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        tables.update(word for word in _WORD.findall(str(sql).lower()) if word in known)
        return execute(sql, params, many, context)

    try:
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(collect))
            yield tables
    finally:
        _reading.reset(token)
    for enclosing in outer:
        enclosing.update(tables)


def cached(key_parts: Sequence[object], compute: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """`compute()`'s value for these key parts, good while the tables it read are unchanged (computed and stored
    on a miss).

    The key parts must name everything the value depends on besides the data: the kind of value first, then
    the audience (`audience(user)`), the year, the region, ... Values must pickle (Redis)."""
    if in_own_transaction():
        return compute()
    stamps = _stamps()
    if not stamps:  # no counter rows: nothing guarantees freshness
        return compute()
    key = key_for(key_parts)
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        read, value = cast(tuple[dict[str, int], T], found)
        if all(stamps.get(table) == stamp for table, stamp in read.items()):
            for enclosing in _reading.get():
                enclosing.update(table for table in read if table != generation.BASE)
            return value
    with _tables_read(stamps) as tables:
        value = compute()
    if tables:  # a part that named no business table is not kept: nothing would ever tell it is out of date
        cache.set(key, ({table: stamps[table] for table in (*tables, generation.BASE)}, value), timeout)
    return value


def cached_for(user: Any, kind: str, *, year: int, region: str | None, compute: Callable[[], T],
               extra: Sequence[object] = ()) -> T:
    """`cached` keyed by (kind, the user's audience, year, region, *extra)."""
    return cached((kind, audience(user), year, region or "", *extra), compute)


def source_for(user: Any) -> Callable[[str, Callable[[], T]], T]:
    """A source for `figures.reading` / `compute_stats`: a named part (the name says everything it depends on
    but the data and the user) cached for the user's audience."""
    who = audience(user)

    def source(name: str, compute: Callable[[], T]) -> T:
        return cached((name, who), compute)
    return source
