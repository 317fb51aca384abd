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



def region_option(text: str | None) -> str | None:
    """`--region`: a 12-digit code or its 2/4/6/9-digit prefix, as the 12-digit code; None when not given."""
    if not text:
        return None
    from wuzaicun.regions.codes import code_from_prefix

    try:
        return code_from_prefix(text)
    except ValueError:
        raise CommandError(f"区划代码“{text}”无效，应为12位区划代码或其2/4/6/9位前缀") from None
