"""API authentication: bearer tokens (POST /api/auth/token) and the browser session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, logout
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer, SessionAuth

from wuzaicun.core.api import ErrorOut
from wuzaicun.core.errors import DomainError

from . import policy, twofa
from .models import User
from .services import end_all_sessions, issue_api_token, revoke_api_token, token_digest, user_for_token


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
            request.api_token_digest = token_digest(token)  # type: ignore[attr-defined]
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and user.is_active
                and not getattr(user, "must_change_password", False) and not policy.password_expired(user)
                and twofa.next_step(request) is None):  # a session still owing its second factor reads nothing
            return user
        return None


API_AUTH = [BearerAuth(), ActiveSessionAuth()]

router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = Field(None, description="动态验证码：身份验证器上当前的 6 位数字，或一个未用过的恢复码；"
                                              "已启用双因素认证的用户必填，缺少时返回 401 需要动态验证码")


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    scope: str | None


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut},
             summary="以用户名和密码（已启用双因素认证的用户另加动态验证码）换取令牌")
def token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise DomainError("用户名或密码错误", code="invalid_credentials")
    assert isinstance(user, User)
    if user.must_change_password:
        raise DomainError("请先登录网页修改初始密码，再申请接口令牌", code="password_change_required")
    if policy.password_expired(user):
        raise DomainError("密码已超过有效期，请先登录网页修改密码，再申请接口令牌", code="password_expired")
    twofa.check_for_token(request, user, payload.otp)
    twofa.reset_failures(request, user)
    return {"token": issue_api_token(user=user)}


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {"username": user.get_username(), "full_name": getattr(user, "full_name", ""),
            "role": getattr(user, "role", ""), "scope": getattr(user, "scope_id", None)}


@router.post("/logout", response={204: None}, summary="退出：吊销本次请求所用的令牌（浏览器会话则结束该会话）")
def logout_token(request: HttpRequest) -> Status[None]:
    digest = getattr(request, "api_token_digest", None)
    if digest is not None:
        assert isinstance(request.user, User)
        revoke_api_token(user=request.user, digest=digest)
    else:
        logout(request)
    return Status(204, None)


@router.post("/logout-all", response={204: None}, summary="退出所有设备：吊销该用户的全部令牌并结束全部浏览器会话")
def logout_everywhere(request: HttpRequest) -> Status[None]:
    assert isinstance(request.user, User)
    end_all_sessions(actor=request.user)
    if getattr(request, "api_token_digest", None) is None:
        logout(request)
    return Status(204, None)


security_router = Router(tags=["安全设置"])


class SecurityPolicyOut(Schema):
    password_min_length: int
    password_min_classes: int
    password_max_age_days: int
    password_history: int
    lockout_failures: int
    lockout_minutes: int
    idle_minutes: int
    session_hours: int
    reveal_daily_limit: int
    require_2fa_roles: list[str]


class SecurityPolicyIn(Schema):
    password_min_length: int | None = None
    password_min_classes: int | None = None
    password_max_age_days: int | None = None
    password_history: int | None = None
    lockout_failures: int | None = None
    lockout_minutes: int | None = None
    idle_minutes: int | None = None
    session_hours: int | None = None
    reveal_daily_limit: int | None = None
    require_2fa_roles: list[str] | None = None


@security_router.get("/policy", response=SecurityPolicyOut, summary="安全设置（安全管理员）")
def get_policy(request: HttpRequest) -> Any:
    from . import policy
    from .roles import Perm
    from .services import require_perm

    require_perm(request.user, Perm.MANAGE_SECURITY)
    return policy.current()


@security_router.patch("/policy", response=SecurityPolicyOut, summary="修改安全设置（安全管理员；逐项审计原值→新值）")
def patch_policy(request: HttpRequest, payload: SecurityPolicyIn) -> Any:
    from .services import update_policy

    return update_policy(actor=request.user, changes=payload.dict(exclude_none=True))
