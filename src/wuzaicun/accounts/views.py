"""Login, logout, profile, password, and user management pages."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST

from wuzaicun.core.errors import DomainError
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate

from . import policy, twofa
from .decorators import requires
from .forms import (
    LoginForm,
    PasswordChangeForm,
    ReplaceSecondFactorForm,
    SecondFactorForm,
    SecurityPolicyForm,
    UserCreateForm,
    UserEditForm,
)
from .http import AuthedRequest
from .models import User
from .roles import GRANTABLE, Perm, Role
from .scope import get_for_user
from .selectors import get_user_for_user, lockouts_for, online_sessions_for, twofa_status_for, users_for
from .services import (
    change_password,
    create_user,
    end_all_sessions,
    force_logout,
    reset_password,
    set_user_active,
    track_session,
    unlock_account,
    update_policy,
    update_user,
)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """What django-axes answers during a lockout: the login page with the reason, status 429."""
    form = LoginForm(request)
    minutes = policy.current().lockout_minutes
    form.errors["__all__"] = form.error_class([f"登录失败次数过多，账号已锁定{minutes}分钟，请稍后再试，或请安全管理员解锁"])
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "locked_out", "message": f"登录失败次数过多，账号已锁定{minutes}分钟"}, status=429)
    return render(request, "accounts/login.html", {"form": form}, status=429)


class LogoutView(auth_views.LogoutView):
    pass


@require_POST
def logout_everywhere(request: AuthedRequest) -> HttpResponse:
    """退出所有设备: ends every session (this one too) and revokes every API token of the user."""
    sessions, tokens = end_all_sessions(actor=request.user)
    logout(request)
    messages.success(request, f"已退出所有设备：结束{sessions}个会话，吊销{tokens}个接口令牌")
    return redirect(settings.LOGIN_URL)


@require_http_methods(["GET"])
def profile(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/profile.html")


@require_http_methods(["GET", "POST"])
def password(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change_password(actor=request.user, old_password=form.cleaned_data["old_password"],
                            new_password=form.cleaned_data["new_password"], keep_session=request.session.session_key)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            update_session_auth_hash(request, request.user)
            track_session(request, request.user)  # the key was cycled: the new one is still this user's
            messages.success(request, "密码修改成功")
            return redirect("portal:home")
    rules = policy.current()
    return render(request, "accounts/password.html", {
        "form": form, "expired": policy.password_expired(request.user), "rules": rules})


@requires(Perm.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def users(request: AuthedRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, initial={"scope": request.user.scope_id}, user=request.user)
    _grantable_roles(request, form)
    if request.method == "POST" and form.is_valid():
        created = submit(form, lambda: create_user(actor=request.user, **form.cleaned_data))
        if created is not None:
            messages.success(request, f"用户“{created.username}”已创建，首次登录须修改密码")
            return redirect("accounts:users")
    q = request.GET.get("q", "").strip()
    context = paginate(request, users_for(request.user, q=q))
    context.update(form=form, q=q, manageable=GRANTABLE[request.user.role])
    return render(request, "accounts/users.html", context)


def _grantable_roles(request: AuthedRequest, form: UserCreateForm | UserEditForm) -> None:
    grantable = GRANTABLE[request.user.role]
    form.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in grantable]  # type: ignore[attr-defined]


@requires(Perm.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_edit(request: AuthedRequest, user_id: int) -> HttpResponse:
    target = get_user_for_user(request.user, user_id)
    form = UserEditForm(request.POST or None, user=request.user,
                        initial={"full_name": target.full_name, "role": target.role, "scope": target.scope_id})
    _grantable_roles(request, form)
    if request.method == "POST" and form.is_valid() and submit(
            form, lambda: update_user(actor=request.user, user_id=target.pk, **form.cleaned_data)) is not None:
        messages.success(request, f"已保存用户“{target.username}”")
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@requires(Perm.MANAGE_USERS)
@require_POST
def user_active(request: AuthedRequest, user_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    target = set_user_active(actor=request.user, user_id=user_id, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}用户“{target.username}”")
    return redirect("accounts:users")


@requires(Perm.MANAGE_USERS)
@require_POST
def user_reset_password(request: AuthedRequest, user_id: int) -> HttpResponse:
    """The new initial password is shown once, on this response (never in a message kept in the session)."""
    password = reset_password(actor=request.user, user_id=user_id)
    target = get_user_for_user(request.user, user_id)
    return render(request, "accounts/password_reset.html", {"target": target, "password": password})


@requires(Perm.MANAGE_SECURITY)
@require_http_methods(["GET"])
def lockouts(request: AuthedRequest) -> HttpResponse:
    """账号锁定: failed logins by account, the locked first, with 解锁 (安全管理员)."""
    q = request.GET.get("q", "").strip()
    context = paginate(request, lockouts_for(request.user, q=q))
    context.update(q=q, roles=dict(Role.choices))
    return render(request, "accounts/lockouts.html", context)


@requires(Perm.MANAGE_SECURITY)
@require_POST
def unlock(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    username = unlock_account(actor=request.user, attempt_id=attempt_id)
    messages.success(request, f"已解除账号“{username}”的锁定")
    return redirect("accounts:lockouts")


@requires(Perm.MANAGE_SECURITY)
@require_http_methods(["GET", "POST"])
def security(request: AuthedRequest) -> HttpResponse:
    """安全设置 (安全管理员): the password, lockout and session policy, each change audited old → new."""
    current = dataclasses.asdict(policy.current())
    form = SecurityPolicyForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid() and submit(
            form, lambda: update_policy(actor=request.user, changes=form.cleaned_data)) is not None:
        messages.success(request, "安全设置已保存，立即生效")
        return redirect("accounts:security")
    return render(request, "accounts/security.html", {"form": form})


@requires(Perm.MANAGE_SECURITY)
@require_http_methods(["GET"])
def sessions(request: AuthedRequest) -> HttpResponse:
    """在线会话 (安全管理员): who is signed in, from where, since and last seen, with 强制退出."""
    q = request.GET.get("q", "").strip()
    context = paginate(request, online_sessions_for(request.user, q=q))
    context.update(q=q, roles=dict(Role.choices))
    return render(request, "accounts/sessions.html", context)


@requires(Perm.MANAGE_SECURITY)
@require_POST
def session_end(request: AuthedRequest, handle: str) -> HttpResponse:
    ended = force_logout(actor=request.user, handle=handle)
    messages.success(request, f"已强制退出“{ended.user.username}”的会话")
    return redirect("accounts:sessions")


# -- 双因素认证 ---------------------------------------------------------------------------------------------------

ENROLLING = "wzc_2fa_enrolling"  # the key (hex) of the authenticator being set up in this session


@require_http_methods(["GET", "POST"])
def twofa_verify(request: AuthedRequest) -> HttpResponse:
    """The login's second step: the authenticator's code (or a recovery code). Wrong codes count toward the
    lockout; once locked the session ends."""
    if twofa.session_state(request) != twofa.PENDING:
        return redirect("portal:home")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = twofa.verify_login(request, form.cleaned_data["code"])
        if problem is None:
            return redirect(settings.LOGIN_REDIRECT_URL)
        if problem == "locked" or getattr(request, "axes_locked_out", False):
            logout(request)
            return locked_out(request)
        form.add_error("code", problem)
    return render(request, "accounts/twofa_verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def twofa_enrol(request: AuthedRequest) -> HttpResponse:
    """设置双因素认证: a new key shown as a QR code and as text, confirmed with the first code (replacing an
    authenticator also asks a current code of the old one); the ten recovery codes are shown once, on the answer to
    the confirmation. The user's other sessions and API tokens end."""
    user = request.user
    replacing = twofa.device_for(user) is not None
    device = twofa.pending_device(user, request.session.get(ENROLLING))
    form: SecondFactorForm | ReplaceSecondFactorForm = (
        ReplaceSecondFactorForm(request.POST or None) if replacing else SecondFactorForm(request.POST or None))
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = twofa.confirm_enrolment(request=request, device=device, code=form.cleaned_data["code"],
                                            current_code=form.cleaned_data.get("current_code", ""))
        except DomainError as exc:
            if (answer := _ended_by_lockout(request)) is not None:
                return answer
            form.add_error("current_code" if exc.field == "当前动态验证码" else "code", exc.message)
        else:
            request.session.pop(ENROLLING, None)
            track_session(request, user)
            return render(request, "accounts/twofa_codes.html", {"codes": codes, "first": True})
    if device is None:  # nothing is written but the session: the device is saved when the first code confirms it
        key = twofa.new_enrolment_key()
        request.session[ENROLLING] = key
        device = twofa.pending_device(user, key)
        assert device is not None
    required = twofa.next_step(request) == "enrol"
    return render(request, "accounts/twofa_enrol.html", {
        "form": form, "qr": twofa.qr_svg(device), "secret": twofa.secret_base32(device), "required": required,
        "replacing": replacing})


@require_http_methods(["GET"])
def twofa_home(request: AuthedRequest) -> HttpResponse:
    """个人中心 → 双因素认证: whether it is on, how many recovery codes are left, regenerate, replace, turn off."""
    user = request.user
    device = twofa.device_for(user)
    return render(request, "accounts/twofa.html", {
        "device": device, "remaining": twofa.remaining_recovery_codes(user) if device else 0,
        "required": policy.requires_2fa(user), "form": SecondFactorForm()})


def _ended_by_lockout(request: AuthedRequest) -> HttpResponse | None:
    """A wrong second-factor code that reached the lockout threshold ends the session: the lockout page."""
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return locked_out(request)
    return None


@require_POST
def twofa_recovery(request: AuthedRequest) -> HttpResponse:
    """重新生成恢复码, confirmed with a current code; the new ten are shown on this answer only."""
    form = SecondFactorForm(request.POST)
    if form.is_valid():
        try:
            codes = twofa.regenerate_recovery_codes(request=request, code=form.cleaned_data["code"])
        except DomainError as exc:
            if (answer := _ended_by_lockout(request)) is not None:
                return answer
            messages.error(request, exc.message)
        else:
            return render(request, "accounts/twofa_codes.html", {"codes": codes, "first": False})
    else:
        messages.error(request, "重新生成恢复码须先输入当前的动态验证码（或一个未用过的恢复码）")
    return redirect("accounts:twofa")


@require_POST
def twofa_disable(request: AuthedRequest) -> HttpResponse:
    form = SecondFactorForm(request.POST)
    if form.is_valid():
        try:
            twofa.disable(request=request, code=form.cleaned_data["code"])
        except DomainError as exc:
            if (answer := _ended_by_lockout(request)) is not None:
                return answer
            messages.error(request, exc.message)
        else:
            messages.success(request, "已关闭双因素认证")
    return redirect("accounts:twofa")


@requires(Perm.MANAGE_SECURITY)
@require_http_methods(["GET"])
def twofa_users(request: AuthedRequest) -> HttpResponse:
    """双因素认证 (安全管理员): each user in scope, whether the role requires it and whether it is on, with 重置."""
    q = request.GET.get("q", "").strip()
    context = paginate(request, twofa_status_for(request.user, q=q))
    context.update(q=q, required=policy.current().require_2fa_roles)
    return render(request, "accounts/twofa_users.html", context)


@requires(Perm.MANAGE_SECURITY)
@require_POST
def twofa_reset(request: AuthedRequest, user_id: int) -> HttpResponse:
    target = get_for_user(User, request.user, pk=user_id)
    twofa.reset(actor=request.user, username=target.username)
    messages.success(request, f"已重置“{target.username}”的双因素认证，其全部会话已结束；下次登录时重新设置")
    return redirect("accounts:twofa_users")
