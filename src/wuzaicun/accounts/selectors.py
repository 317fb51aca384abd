"""Reads for accounts: users within the reader's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import User
from .scope import get_for_user, scoped


def users_for(user: Any, *, q: str = "") -> QuerySet[User]:
    queryset = scoped(User, user).select_related("scope")
    if q:
        queryset = queryset.filter(username__icontains=q) | queryset.filter(full_name__icontains=q)
    return queryset.order_by("username")


def get_user_for_user(user: Any, pk: int) -> User:
    return get_for_user(scoped(User, user).select_related("scope"), user, pk=pk)
