"""Read replicas (docs/decisions.md D36): pages and the API read a streaming replica, writes go to the primary.

Active only when settings list replica aliases (`DATABASE_REPLICA_URL`, README 生产部署); otherwise Django's
single database is used and nothing here is consulted. Outside a request (commands, jobs, tests) the router
answers the primary: only `ReplicaMiddleware` opens a request scope that may read a replica.

Inside a request, a read goes to the primary when
- the request may write (POST, PUT, PATCH, DELETE): it reads what it is about to change where it will change it;
- the request has written (a model routed for writing, or any statement other than SELECT on the primary);
- the primary is inside a transaction (`atomic`);
- the model is one whose reads must be exact: sessions, accounts, the lockout, the audit trail;
- the browser carries the sticky cookie: the same user wrote in the last `DATABASE_REPLICA_STICKY_SECONDS`,
  so a lagging replica cannot hide his own change on the page he is redirected to.
Otherwise it goes to one replica, chosen at random once per request.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

STICKY_COOKIE = "wzc_primary"
# Apps whose rows are read from the primary only: login, sessions and the lockout must see the write they
# follow, the audit chain is appended under a lock and verified row by row.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "contenttypes", "accounts", "axes", "audit"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# statements that change no row: reads, and the transaction control and session settings around them
_NOT_WRITES = ("SELECT", "SHOW", "EXPLAIN", "SET", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


@dataclass
class _Scope:
    replica: str  # the replica this request reads
    pinned: bool = False  # reads go to the primary from now on
    wrote: bool = False  # a replicated model was written: the browser gets the sticky cookie


_scope: ContextVar[_Scope | None] = ContextVar("wuzaicun_replica_scope", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def _primary_only(model: type[Model]) -> bool:
    return model._meta.app_label in PRIMARY_ONLY_APPS


class ReplicaRouter:
    """Django database router: see the module's docstring."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if (scope is None or scope.pinned or _primary_only(model)
                or connections[DEFAULT_DB_ALIAS].in_atomic_block):
            return DEFAULT_DB_ALIAS
        return scope.replica

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.pinned = True
            if not _primary_only(model):
                scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # the replicas hold the primary's rows: an object read from either may point at one from the other
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def pin_to_primary() -> None:
    """The rest of this request reads the primary (a view that must see the latest rows calls it)."""
    if (scope := _scope.get()) is not None:
        scope.pinned = True


def note_write() -> None:
    """Business rows were written past the ORM (the bulk path's COPY or executemany): the rest of the request reads
    the primary, and the user gets the sticky cookie, as after an ORM write."""
    if (scope := _scope.get()) is not None:
        scope.pinned = True
        scope.wrote = True


def reading_replica() -> str | None:
    """The replica this request would read now, or None when it reads the primary (for tests and the bench)."""
    scope = _scope.get()
    if scope is None or scope.pinned or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    return scope.replica


def _watch_writes(scope: _Scope) -> Callable[..., Any]:
    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        # raw SQL written past the ORM (and the ORM's own statements) pin the request to the primary
        if not scope.pinned and not sql.lstrip().upper().startswith(_NOT_WRITES):
            scope.pinned = True
        return execute(sql, params, many, context)

    return wrapper


@contextmanager
def request_scope(*, pinned: bool = False) -> Iterator[_Scope]:
    """The request-scoped routing state; also used by tests to drive the router without a request."""
    replicas = replica_aliases()
    scope = _Scope(replica=random.choice(replicas) if replicas else DEFAULT_DB_ALIAS,
                   pinned=pinned or not replicas)
    token = _scope.set(scope)
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(_watch_writes(scope)):
            yield scope
    finally:
        _scope.reset(token)


class ReplicaMiddleware:
    """Opens the routing scope of each request and keeps a user who wrote on the primary for a few seconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = bool(replica_aliases())
        self.sticky = int(getattr(settings, "DATABASE_REPLICA_STICKY_SECONDS", 10))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        pinned = request.method not in SAFE_METHODS or STICKY_COOKIE in request.COOKIES
        with request_scope(pinned=pinned) as scope:
            response = self.get_response(request)
        if scope.wrote and self.sticky > 0:
            response.set_cookie(STICKY_COOKIE, "1", max_age=self.sticky, httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response
