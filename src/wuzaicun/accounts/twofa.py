"""双因素认证 (two-factor login, MLPS level 3 8.1.4.1 d): a TOTP authenticator (django-otp's TOTPDevice) and ten
one-time recovery codes (恢复码, stored as keyed digests), required for the roles the security policy names.

The login's state is kept in the session (`SESSION_STATE`), set when the password step passes (signals.py), so no
request pays a query for it:
- `PENDING`: the user has an authenticator; nothing but the code page (and logout) until a code passes;
- `NOT_ENROLLED`: the user has none; a user whose role requires one is sent to enrolment and can do nothing else;
- `VERIFIED`: the code passed (or the user enrolled in this session).
A session without the key (made before this existed) is given the state from the database at its next request.
Wrong codes are failed logins for django-axes (they lock the account as wrong passwords do) and rows of the login
log; enrolment, regeneration, disabling and the security administrator's reset are audited.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.errors import DomainError

from . import policy
from .models import RecoveryCode, User
from .roles import Perm
from .scope import get_for_user

SESSION_STATE = "wzc_2fa"
VERIFIED = "verified"
PENDING = "pending"
NOT_ENROLLED = "none"

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read off paper without doubt
RECOVERY_LENGTH = 10  # about 49 bits each
DEVICE_NAME = "身份验证器"


class SecondFactorRequired(DomainError):
    """The API's token request lacks the dynamic code, or gave a wrong one (401)."""

    status = 401


# -- reads ------------------------------------------------------------------------------------------------------

def device_for(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if enrolled."""
    if getattr(user, "pk", None) is None:
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def login_state(user: Any) -> str:
    """The state a session starts in once the password has passed."""
    return PENDING if device_for(user) is not None else NOT_ENROLLED


def session_state(request: Any) -> str:
    session = request.session
    state = session.get(SESSION_STATE)
    if state not in (VERIFIED, PENDING, NOT_ENROLLED):
        state = login_state(request.user)
        session[SESSION_STATE] = state
    return str(state)


def next_step(request: Any) -> str | None:
    """Where a signed-in user must go before anything else: 'verify' (enter the code), 'enrol' (set an
    authenticator up, the role requires one), or None."""
    state = session_state(request)
    if state == PENDING:
        return "verify"
    if state == NOT_ENROLLED and policy.requires_2fa(request.user):
        return "enrol"
    return None


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    import base64

    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (made here, no outside service)."""
    import segno

    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, title="扫描二维码"))


def remaining_recovery_codes(user: Any) -> int:
    return RecoveryCode.objects_unscoped.filter(user_id=user.pk, used_at__isnull=True).count()


# -- codes ------------------------------------------------------------------------------------------------------

def _digest(user_id: int, code: str) -> str:
    return salted_hmac("wuzaicun.accounts.twofa.recovery", f"{user_id}:{code}", algorithm="sha256").hexdigest()


def _normalise(code: str) -> str:
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones (inside the caller's transaction); returned once."""
    RecoveryCode.objects_unscoped.filter(user=user).delete()
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects_unscoped.bulk_create([RecoveryCode(user=user, digest=_digest(user.pk, c)) for c in codes])
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def match_code(user: Any, code: str) -> str | None:
    """'totp' when `code` is the authenticator's current code (each code is accepted once), 'recovery' when it is
    an unused recovery code (now used up), else None."""
    text = str(code or "").strip().replace(" ", "")
    if not text:
        return None
    if text.isdigit():
        device = device_for(user)
        if device is not None and len(text) == device.digits and device.verify_token(text):
            return "totp"
        return None
    normal = _normalise(text)
    if len(normal) != RECOVERY_LENGTH:
        return None
    used = RecoveryCode.objects_unscoped.filter(user_id=user.pk, digest=_digest(user.pk, normal),
                                                used_at__isnull=True).update(used_at=timezone.now())
    return "recovery" if used else None


def _failed(request: Any, user: User, summary: str) -> None:
    """A wrong code: a failed login for django-axes (and so for the lockout) and a row of the login log."""
    user_login_failed.send(sender=__name__, request=request,
                           credentials={"username": user.get_username(), "second_factor": summary})


def locked(request: Any, user: User) -> bool:
    """The account (with this client's address) is locked by django-axes."""
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def reset_failures(request: Any, user: User) -> None:
    """A complete login clears the failed attempts (django-axes' reset on success, moved after the second step)."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_credentials

    if request is None:
        return
    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    reset = getattr(handler, "reset_user_attempts", None)
    if reset is not None:
        reset(request, get_credentials(user.get_username()))


# -- writes -----------------------------------------------------------------------------------------------------

def verify_login(request: Any, code: str) -> str | None:
    """The login's second step: None when the code passed (the session is now verified), else the Chinese reason
    (a wrong code counts toward the lockout; after the last allowed failure the caller ends the session)."""
    user: User = request.user
    if locked(request, user):
        return "locked"
    how = match_code(user, code)
    if how is None:
        _failed(request, user, "动态验证码错误")
        return "动态验证码错误，请输入身份验证器上当前的 6 位数字，或一个未用过的恢复码"
    device = device_for(user)
    if device is not None:
        otp_login(request, device)
    request.session.cycle_key()  # a new session key once the second factor has passed
    request.session[SESSION_STATE] = VERIFIED
    from .services import track_session

    with transaction.atomic():
        track_session(request, user)
        left = remaining_recovery_codes(user) if how == "recovery" else None
        record(actor=user, action=Action.LOGIN, object_type="user", object_id=user.pk,
               region_code=user.scope_id or "",
               summary="双因素认证通过（身份验证器）" if how == "totp"
               else f"双因素认证通过（使用恢复码，剩余{left}个）")
    reset_failures(request, user)
    return None


def new_enrolment_key() -> str:
    """The key of an authenticator being set up (hex, as `TOTPDevice.key`): kept in the session, not in a table,
    until the first code confirms it, so showing the enrolment page writes nothing (D39)."""
    from django_otp.plugins.otp_totp.models import default_key

    return str(default_key())


def pending_device(user: User, key: Any) -> TOTPDevice | None:
    """The authenticator being set up, from the key the session holds: unsaved until `confirm_enrolment`."""
    if not isinstance(key, str) or not key:
        return None
    try:
        bytes.fromhex(key)
    except ValueError:
        return None
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=False)


def _first_code_passes(device: TOTPDevice, text: str) -> bool:
    """The new authenticator's current code (one step of tolerance), checked without saving the device."""
    import time

    from django_otp.oath import TOTP

    if not (text.isdigit() and len(text) == device.digits):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(text), device.tolerance, device.last_t + 1):
        return False
    device.last_t = totp.t()
    device.drift = totp.drift
    return True


def require_current_code(*, request: Any, user: User, code: str, doing: str) -> None:
    """A change of the second factor itself (another authenticator, new recovery codes) needs a current code of the
    one in place (the authenticator's 6 digits or an unused recovery code): a session alone, stolen or left open,
    cannot rebind the second factor. A wrong code is a failed login (登录日志, and it counts toward the lockout)."""
    if match_code(user, code) is None:
        _failed(request, user, f"{doing}时当前动态验证码错误")
        raise DomainError(f"{doing}须先验证当前的双因素认证：当前动态验证码错误，请输入原身份验证器上当前的 6 位数字，"
                          "或一个未用过的恢复码", field="当前动态验证码")


def _end_other_access(request: Any, user: User) -> None:
    """A new second factor ends the user's other browser sessions and every API token opened before it (one
    mechanism with the password change: `end_access`), inside the caller's transaction; this session goes on."""
    from .services import end_access

    end_access(user, keep_session=request.session.session_key or "")


def confirm_enrolment(*, request: Any, device: TOTPDevice, code: str, current_code: str = "") -> list[str]:
    """启用双因素认证 / 更换身份验证器: the code from the new authenticator confirms it; replacing one needs a current
    code of the old one (or a recovery code) as well. Ten new recovery codes are made (returned once), the user's
    other sessions and API tokens end, this session counts as verified (re-keyed); audited."""
    user: User = request.user
    text = str(code or "").strip().replace(" ", "")
    if not _first_code_passes(device, text):
        _failed(request, user, "设置双因素认证时动态验证码错误")
        raise DomainError("动态验证码不正确：请确认手机时间准确，再输入身份验证器上当前的 6 位数字", field="动态验证码")
    if device_for(user) is not None:  # checked after the new code, so a typo there does not spend a recovery code
        require_current_code(request=request, user=user, code=current_code, doing="更换身份验证器")
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=user).delete()[0]
        device.confirmed = True
        device.last_used_at = timezone.now()
        device.save()
        codes = _new_recovery_codes(user)
        _end_other_access(request, user)
        record(actor=user, action=Action.UPDATE, object_type="user", object_id=user.pk,
               region_code=user.scope_id or "",
               summary="更换双因素认证的身份验证器，并生成10个恢复码（其他会话和接口令牌已结束）" if replaced
               else "启用双因素认证，并生成10个恢复码（其他会话和接口令牌已结束）")
    otp_login(request, device)
    update_session_auth_hash(request, user)  # this session goes on (with a new key) under the new generation
    request.session[SESSION_STATE] = VERIFIED
    return codes


def regenerate_recovery_codes(*, request: Any, code: str) -> list[str]:
    """重新生成恢复码, confirmed with a current code (the authenticator's or an unused recovery code): the old ones
    stop working; the new ten are returned once; audited."""
    actor: User = request.user
    if device_for(actor) is None:
        raise DomainError("尚未启用双因素认证", field="恢复码")
    require_current_code(request=request, user=actor, code=code, doing="重新生成恢复码")
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        record(actor=actor, action=Action.UPDATE, object_type="user", object_id=actor.pk,
               region_code=actor.scope_id or "", summary="重新生成双因素认证恢复码（原恢复码作废）")
    return codes


def disable(*, request: Any, code: str) -> None:
    """关闭双因素认证 (only for a role that does not require it), confirmed with a current code; audited."""
    user: User = request.user
    if policy.requires_2fa(user):
        raise DomainError(f"“{user.get_role_display()}”必须使用双因素认证，不能关闭", field="双因素认证")
    if match_code(user, code) is None:
        _failed(request, user, "关闭双因素认证时动态验证码错误")
        raise DomainError("动态验证码错误", field="动态验证码")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects_unscoped.filter(user=user).delete()
        record(actor=user, action=Action.UPDATE, object_type="user", object_id=user.pk,
               region_code=user.scope_id or "", summary="关闭双因素认证")
    request.session[SESSION_STATE] = NOT_ENROLLED


def reset(*, actor: Any, username: str) -> User:
    """重置双因素认证 (安全管理员, or the server's operator): the user's authenticator and recovery codes are removed,
    every session and API token of the user ends; at the next login the user enrols again (if the role requires
    it) or signs in with the password alone. Audited; a user in the actor's scope only; never one's own."""
    from .services import end_access, require_perm

    require_perm(actor, Perm.MANAGE_SECURITY)
    target = get_for_user(User, actor, username=username)
    if getattr(actor, "pk", None) is not None and target.pk == actor.pk:
        raise DomainError("不能重置自己的双因素认证，请联系另一位安全管理员或服务器管理员", field="用户")
    with transaction.atomic():
        devices = TOTPDevice.objects.filter(user=target).delete()[0]
        RecoveryCode.objects_unscoped.filter(user=target).delete()
        end_access(target)
        record(actor=actor, action=Action.UPDATE, object_type="user", object_id=target.pk,
               region_code=target.scope_id or "",
               summary=f"重置用户 {target.username} 的双因素认证"
                       f"（{'删除身份验证器和恢复码' if devices else '该用户尚未启用'}，结束其全部会话和接口令牌）")
    return target


def check_for_token(request: Any, user: User, otp: str | None) -> None:
    """POST /api/auth/token: a user with an authenticator must send `otp` (a current code or a recovery code); a
    user whose role requires one and has none must set it up on the web first. Wrong codes count as failures."""
    if device_for(user) is None:
        if policy.requires_2fa(user):
            raise DomainError("您的角色必须使用双因素认证：请先登录网页设置身份验证器，再申请接口令牌",
                              code="second_factor_setup_required")
        return
    if not otp:
        raise SecondFactorRequired("需要动态验证码", code="otp_required", field="otp")
    if match_code(user, otp) is None:
        _failed(request, user, "申请接口令牌时动态验证码错误")
        raise SecondFactorRequired("动态验证码错误", code="otp_invalid", field="otp")
