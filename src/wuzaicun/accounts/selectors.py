"""Reads for accounts: users within the reader's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from . import policy
from .models import User
from .scope import get_for_user, scoped


def users_for(user: Any, *, q: str = "") -> QuerySet[User]:
    queryset = scoped(User, user).select_related("scope")
    if q:
        queryset = queryset.filter(username__icontains=q) | queryset.filter(full_name__icontains=q)
    return queryset.order_by("username")


def get_user_for_user(user: Any, pk: int) -> User:
    return get_for_user(scoped(User, user).select_related("scope"), user, pk=pk)


def lockouts_for(user: Any, *, q: str = "") -> QuerySet[Any]:
    """Failed-login records (django-axes) of the accounts in the reader's scope, each with `locked` (at or over the
    failure limit within the cool-off) and the account's name and role; a security administrator of the whole
    deployment also sees names that match no account (someone guessing)."""
    from axes.models import AccessAttempt
    from django.db.models import BooleanField, Case, OuterRef, Subquery, Value, When
    from django.utils import timezone

    accounts = scoped(User, user)
    rows = AccessAttempt.objects.all()
    if user.scope_prefix != "" and getattr(getattr(user, "scope", None), "level", None) != 1:
        rows = rows.filter(username__in=accounts.values("username"))
    if q:
        rows = rows.filter(username__icontains=q)
    rules = policy.current()
    since = timezone.now() - policy.lockout_cool_off()
    account = accounts.filter(username=OuterRef("username"))
    result: QuerySet[Any] = rows.annotate(
        locked=Case(When(failures_since_start__gte=rules.lockout_failures, attempt_time__gte=since,
                         then=Value(True)), default=Value(False), output_field=BooleanField()),
        account_name=Subquery(account.values("full_name")[:1]),
        account_role=Subquery(account.values("role")[:1]),
    ).order_by("-locked", "-attempt_time")
    return result


def online_sessions_for(user: Any, *, q: str = "") -> QuerySet[Any]:
    """在线会话 of the accounts in scope whose session has not expired, the latest active first; `last_seen` is
    the session's expiry less the policy's idle minutes (the expiry moves on with each minute of activity)."""
    from datetime import timedelta

    from django.db.models import DateTimeField, ExpressionWrapper, F, Value
    from django.utils import timezone

    from .models import UserSession

    rows = scoped(UserSession, user).filter(session__expire_date__gt=timezone.now()).select_related("user", "session")
    if q:
        rows = rows.filter(Q(user__username__icontains=q) | Q(user__full_name__icontains=q))
    idle = timedelta(minutes=policy.current().idle_minutes)
    result: QuerySet[Any] = rows.annotate(last_seen=ExpressionWrapper(
        F("session__expire_date") - Value(idle), output_field=DateTimeField())).order_by("-session__expire_date")
    return result


def twofa_status_for(user: Any, *, q: str = "") -> QuerySet[User]:
    """双因素认证 (安全管理员): the users in the reader's scope, each with `has_2fa` (a confirmed authenticator)."""
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
    return users_for(user, q=q).annotate(has_2fa=Exists(devices))
