"""Helpers for the `wuzaicun` management commands: the acting user, and messages to stderr."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from .operator import OPERATOR


def acting_user(username: str | None) -> Any:
    """The user a command acts as (`--as NAME`), else the server's operator, with no scope limit."""
    if not username:
        return OPERATOR
    from wuzaicun.accounts.models import User

    user = User.objects_unscoped.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在或已停用")
    return user

