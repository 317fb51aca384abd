"""Reads of the audit trail: scoped by the region each entry concerns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from wuzaicun.accounts.scope import narrowed, scoped

from .models import LOGIN_ACTIONS, Action, AuditEntry

# The two views of the trail for the audit administrator: 登录日志 and 操作日志 (everything else).
LOG_KINDS = {"logins": "登录日志", "operations": "操作日志"}


def actions_of(kind: str) -> list[tuple[str, str]]:
    """The (value, label) actions a log view offers as its filter."""
    if kind == "logins":
        return [(v, str(label)) for v, label in Action.choices if v in LOGIN_ACTIONS]
    if kind == "operations":
        return [(v, str(label)) for v, label in Action.choices if v not in LOGIN_ACTIONS]
    return [(v, str(label)) for v, label in Action.choices]


def entries_for(
    user: Any, *, action: str = "", actor: str = "", object_type: str = "",
    since: dt.date | None = None, until: dt.date | None = None, result: str = "", region: str | None = None,
    kind: str = "",
) -> QuerySet[AuditEntry]:
    queryset = narrowed(scoped(AuditEntry, user, with_unassigned=True), region)
    if kind == "logins":
        queryset = queryset.filter(action__in=LOGIN_ACTIONS)
    elif kind == "operations":
        queryset = queryset.exclude(action__in=LOGIN_ACTIONS)
    if action:
        queryset = queryset.filter(action=action)
    if actor:
        queryset = queryset.filter(actor_name__icontains=actor)
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    if result:
        queryset = queryset.filter(result=result)
    if since:
        queryset = queryset.filter(at__date__gte=since)
    if until:
        queryset = queryset.filter(at__date__lte=until)
    return queryset.order_by("-id")


def names_for_page(user: Any, page: list[AuditEntry]) -> dict[str, Any]:
    """The names a page of audit rows mentions: accounts in the user's scope, and places (public names)."""
    from wuzaicun.accounts.models import User
    from wuzaicun.regions.selectors import region_names

    from .labels import region_codes_in

    ids = {int(e.object_id) for e in page if e.object_type == "user" and str(e.object_id).isdigit()}
    users = {u.pk: u.display_name for u in scoped(User, user).filter(pk__in=ids)} if ids else {}
    return {"user_names": users, "region_names": region_names(region_codes_in(page))}
