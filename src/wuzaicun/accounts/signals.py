"""Logins, logouts and failed logins go to the audit trail."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from wuzaicun.audit.models import Action, Result
from wuzaicun.audit.services import record

from . import policy, twofa
from .middleware import SESSION_STARTED
from .models import User
from .services import track_session


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = int(time.time())
    state = twofa.login_state(user)
    if request is not None and hasattr(request, "session"):
        request.session[twofa.SESSION_STATE] = state
    with transaction.atomic():
        if request is not None:
            track_session(request, user)
        record(actor=user, action=Action.LOGIN, object_type="user", object_id=user.pk,
               region_code=user.scope_id or "",
               summary="密码验证通过，待输入动态验证码" if state == twofa.PENDING else "登录成功")
    if state != twofa.PENDING:
        twofa.reset_failures(request, user)  # a complete login; with a second factor, only once the code passed


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    with transaction.atomic():
        record(actor=user, action=Action.LOGOUT, object_type="user", object_id=user.pk,
               region_code=user.scope_id or "", summary="退出登录")


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    account = User.objects_unscoped.filter(username=username).values_list("scope_id", flat=True).first()
    second = credentials.get("second_factor")  # a wrong dynamic code (accounts/twofa.py)
    with transaction.atomic():
        record(actor=None, actor_name=username, action=Action.LOGIN_FAILED, object_type="user",
               region_code=account or "",
               summary=f"登录失败（{second}）" if second else "登录失败（用户名或密码错误，或账号已锁定）",
               result=Result.REFUSED)


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    """django-axes locked an account after too many failures: a row of the login log (登录日志)."""
    name = str(username or "")[:150]
    account = User.objects_unscoped.filter(username=name).values_list("scope_id", flat=True).first()
    with transaction.atomic():
        record(actor=None, actor_name=name, action=Action.LOCKOUT, object_type="user", region_code=account or "",
               summary=f"登录失败次数过多，账号锁定{policy.current().lockout_minutes}分钟", result=Result.REFUSED)
