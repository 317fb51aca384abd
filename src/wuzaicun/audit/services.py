"""Writing the audit trail: one function, called by every service inside its own transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from wuzaicun.core.context import current_request

from .models import Action, AuditEntry, Result


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for fields that changed; callers pass values already masked."""
    return {k: [_plain(old.get(k)), _plain(new.get(k))] for k in new if _plain(old.get(k)) != _plain(new.get(k))}


def record(
    *,
    actor: Any,
    action: Action | str,
    object_type: str = "",
    object_id: object = "",
    region_code: str = "",
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
    result: Result | str = Result.OK,
    actor_name: str | None = None,
) -> AuditEntry:
    """Append one audit row, chained to the one before. Called inside the caller's transaction, so it rolls
    back with the change; one extra small query (the chain's lock and head, audit/chain.py)."""
    from .chain import append

    info = current_request.get()
    is_user = getattr(actor, "pk", None) is not None and getattr(actor, "is_authenticated", False)
    return append(dict(
        actor=actor if is_user else None,
        actor_name=actor_name if actor_name is not None else (actor.get_username() if is_user else "系统"),
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        region_code=region_code,
        summary=summary[:300],
        changes=dict(changes or {}),
        result=result,
        request_id=info.request_id if info else "cli",
        ip=info.ip if info else "",
    ))
