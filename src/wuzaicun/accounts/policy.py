"""安全设置 (MLPS level 3, GB/T 22239-2019 8.1.4.1 身份鉴别 and 8.1.4.2): the security policy's fields, their bounds
(pure rules), and the current values.

The current policy is read from its one row and kept in this process for `SECURITY_POLICY_CACHE_SECONDS` (30 by
default; a change made in this process is seen at once, other app servers see it within that time), so no
request pays a query for it. Until the security administrator saves the page, the values come from settings.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Bound:
    field: str
    label: str
    low: int
    high: int
    setting: str  # the settings.py value used until the policy row exists
    unit: str = ""


FIELDS: tuple[Bound, ...] = (
    Bound("password_min_length", "密码最短长度", 8, 64, "PASSWORD_MIN_LENGTH", "位"),
    Bound("password_min_classes", "密码字符类别数", 3, 4, "PASSWORD_MIN_CLASSES", "类"),
    Bound("password_max_age_days", "密码有效期", 1, 90, "PASSWORD_MAX_AGE_DAYS", "天"),
    Bound("password_history", "不得重复使用最近几次密码", 5, 24, "PASSWORD_HISTORY", "次"),
    Bound("lockout_failures", "连续登录失败锁定次数", 3, 10, "LOCKOUT_FAILURES", "次"),
    Bound("lockout_minutes", "锁定时长", 5, 1440, "LOCKOUT_MINUTES", "分钟"),
    Bound("idle_minutes", "无操作自动退出", 5, 30, "IDLE_MINUTES", "分钟"),
    Bound("session_hours", "单次登录最长", 1, 24, "SESSION_HOURS", "小时"),
    Bound("reveal_daily_limit", "每人每天查看完整身份证号次数上限", 1, 200, "REVEAL_DAILY_LIMIT", "次"),
)
BY_FIELD = {b.field: b for b in FIELDS}


@dataclass(frozen=True)
class Policy:
    password_min_length: int
    password_min_classes: int
    password_max_age_days: int
    password_history: int
    lockout_failures: int
    lockout_minutes: int
    idle_minutes: int
    session_hours: int
    reveal_daily_limit: int
    # 双因素认证: the roles whose users must sign in with a second factor (TOTP); always the three administrators
    require_2fa_roles: tuple[str, ...] = ()


TWO_FACTOR_FIELD = "require_2fa_roles"
TWO_FACTOR_LABEL = "须使用双因素认证的角色"


def mandatory_2fa_roles() -> frozenset[str]:
    """The roles that must always use a second factor: the three separated administrators (GB/T 22239-2019
    8.1.4.1 d: 管理用户 are identified by two or more combined techniques)."""
    from .roles import SEPARATED_ADMINS

    return frozenset(str(r) for r in SEPARATED_ADMINS)


def parse_roles(value: Any) -> tuple[str, ...]:
    """A list, or a text of role codes separated by commas or spaces, to the sorted tuple of distinct codes."""
    import re

    items = value if isinstance(value, list | tuple | set | frozenset) else re.split(r"[,，、\s]+", str(value))
    return tuple(sorted({str(i).strip() for i in items if str(i).strip()}))


def roles_problem(value: Any) -> str | None:
    """None when `value` names valid roles and keeps the three administrators, else the Chinese reason."""
    from .roles import Role

    roles = parse_roles(value)
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        return f"{TWO_FACTOR_LABEL}中没有“{'、'.join(unknown)}”这个角色，可选：{'、'.join(Role.values)}"
    missing = sorted(mandatory_2fa_roles() - set(roles))
    if missing:
        names = "、".join(Role(r).label for r in missing)
        return f"{TWO_FACTOR_LABEL}必须包含{names}（等保三级要求管理用户使用两种以上鉴别技术）"
    return None


def problem(field: str, value: Any) -> str | None:
    """None when `value` is a whole number within the field's bounds, else the Chinese reason naming the field."""
    if field == TWO_FACTOR_FIELD:
        return roles_problem(value)
    bound = BY_FIELD.get(field)
    if bound is None:
        return f"没有名为“{field}”的安全设置项，可选：{'、'.join([*BY_FIELD, TWO_FACTOR_FIELD])}"
    try:
        number = int(str(value).strip())
    except ValueError:
        return f"{bound.label}须为整数，收到“{value}”"
    if not bound.low <= number <= bound.high:
        return f"{bound.label}须在 {bound.low}–{bound.high}{bound.unit} 之间（等保三级要求），收到 {number}"
    return None


def defaults() -> Policy:
    roles = parse_roles(getattr(settings, "REQUIRE_2FA_ROLES", ""))
    return Policy(**{b.field: int(getattr(settings, b.setting)) for b in FIELDS},
                  require_2fa_roles=tuple(sorted(set(roles) | mandatory_2fa_roles())))


_cached: tuple[float, Policy] | None = None


def current() -> Policy:
    global _cached
    ttl = getattr(settings, "SECURITY_POLICY_CACHE_SECONDS", 30)
    now = time.monotonic()
    if _cached is not None and (ttl is None or now - _cached[0] < ttl):
        return _cached[1]
    from .models import SecurityPolicy

    row = SecurityPolicy.objects.filter(pk=1).first()
    policy = defaults() if row is None else from_row(row)
    _cached = (now, policy)
    return policy


def from_row(row: Any) -> Policy:
    values = {f.name: getattr(row, f.name) for f in fields(Policy)}
    values[TWO_FACTOR_FIELD] = tuple(sorted(set(parse_roles(values[TWO_FACTOR_FIELD])) | mandatory_2fa_roles()))
    return Policy(**values)


def requires_2fa(user: Any) -> bool:
    """The user's role must sign in with a second factor (安全设置 → 须使用双因素认证的角色)."""
    return str(getattr(user, "role", "") or "") in current().require_2fa_roles


def prime(policy: Policy) -> None:
    """Hold `policy` as this process's copy (tests start each case from the defaults without a query)."""
    global _cached
    _cached = (time.monotonic(), policy)


def forget() -> None:
    """Drop this process's copy (after a change, and between tests)."""
    global _cached
    _cached = None


def lockout_failures(request: Any = None, credentials: Any = None) -> int:
    """django-axes' AXES_FAILURE_LIMIT."""
    return current().lockout_failures


def lockout_cool_off(request: Any = None) -> timedelta:
    """django-axes' AXES_COOLOFF_TIME."""
    return timedelta(minutes=current().lockout_minutes)


def password_expired(user: Any) -> bool:
    """The user's password is older than the policy allows (counted from its last change, else the account's
    creation)."""
    from django.utils import timezone

    changed = getattr(user, "password_changed_at", None) or getattr(user, "date_joined", None)
    return changed is not None and timezone.now() - changed > timedelta(days=current().password_max_age_days)
