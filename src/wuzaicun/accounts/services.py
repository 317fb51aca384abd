"""Writes for accounts: users within the grantor's role and scope (create, change, 停用/启用, reset the
password), passwords, API tokens."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
import string
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wuzaicun.audit.models import Action, Result
from wuzaicun.audit.services import diff, record
from wuzaicun.core.errors import DomainError, PermissionDenied
from wuzaicun.regions.codes import code_from_prefix, level_of
from wuzaicun.regions.models import Region

from . import policy
from .models import ApiToken, PasswordHistory, User, UserSession
from .roles import GRANTABLE, WIDEST_LEVEL, Perm, Role
from .scope import get_for_user

TOKEN_LIFETIME = dt.timedelta(hours=12)


def require_perm(actor: Any, perm: Perm) -> None:
    """Refuse (and audit the refusal) when the actor's role lacks the permission."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.can(perm):
        with transaction.atomic():
            record(
                actor=actor,
                action=Action.DENIED,
                summary=f"无权限：{perm.value}",
                region_code=getattr(actor, "scope_id", "") or "",
                result=Result.REFUSED,
            )
        raise PermissionDenied()


def resolve_scope(scope: str) -> Region:
    """A region code or its prefix (5203 or 520300000000) to an existing region."""
    text = scope.strip()
    try:
        code = code_from_prefix(text)
    except ValueError:
        raise DomainError(f"管辖范围“{scope}”不是区划代码或其前缀（2/4/6/9/12位数字）", field="管辖范围") from None
    region = Region.objects_unscoped.filter(code=code).first()
    if region is None:
        raise DomainError(f"管辖范围“{scope}”对应的区划不存在", field="管辖范围")
    return region


def grant_problem(grantor: Any, role: str, scope_code: str) -> str | None:
    """None when the grantor may give this role and scope: never above its own role or outside its scope."""
    if role not in Role.values:
        return f"角色“{role}”无效，可选：{'、'.join(Role.values)}"
    if grantor is not None:
        if role not in GRANTABLE.get(grantor.role, frozenset()):
            return f"您的角色不能授予“{Role(role).label}”"
        prefix = grantor.scope_prefix
        if prefix is None or not scope_code.startswith(prefix):
            return "授予的管辖范围超出了您自己的管辖范围"
    if level_of(scope_code) < WIDEST_LEVEL[role]:
        return f"“{Role(role).label}”的管辖范围过大"
    return None


def create_user(
    *,
    actor: Any,
    username: str,
    role: str,
    scope: str,
    password: str,
    full_name: str = "",
    must_change_password: bool = True,
) -> User:
    """Create a user. `actor` None means the command line run by the server's operator."""
    if actor is not None:
        require_perm(actor, Perm.MANAGE_USERS)
    username = username.strip()
    if not username:
        raise DomainError("用户名不能为空", field="用户名")
    region = resolve_scope(scope)
    if problem := grant_problem(actor, role, region.code):
        with transaction.atomic():
            record(actor=actor, action=Action.DENIED, object_type="user", summary=f"授权被拒：{username} {problem}",
                   region_code=region.code, result=Result.REFUSED)
        raise PermissionDenied(problem)
    if User.objects_unscoped.filter(username=username).exists():
        raise DomainError(f"用户名“{username}”已存在", field="用户名")
    user = User(username=username, role=role, scope=region, full_name=full_name,
                must_change_password=must_change_password)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("密码不符合要求：" + "；".join(exc.messages), field="密码") from None
    user.set_password(password)
    user.password_changed_at = timezone.now()
    with transaction.atomic(durable=actor is not None):
        user.save()
        record(
            actor=actor,
            action=Action.GRANT,
            object_type="user",
            object_id=user.pk,
            region_code=region.code,
            summary=f"新增用户 {username}（{Role(role).label}，{region.name}）",
            changes={"role": [None, role], "scope": [None, region.code]},
        )
    return user


def change_password(*, actor: User, old_password: str, new_password: str, keep_session: str | None = None) -> None:
    """The user's own password: checked against the policy; the user's other sessions and API tokens end (the one
    making the change, `keep_session`, goes on)."""
    if not actor.check_password(old_password):
        raise DomainError("原密码不正确", field="原密码")
    try:
        validate_password(new_password, actor)
    except ValidationError as exc:
        raise DomainError("新密码不符合要求：" + "；".join(exc.messages), field="新密码") from None
    with transaction.atomic(durable=True):
        remember_password(actor, actor.password)
        actor.set_password(new_password)
        actor.must_change_password = False
        actor.password_changed_at = timezone.now()
        actor.save(update_fields=["password", "must_change_password", "password_changed_at"])
        end_access(actor, keep_session=keep_session or "")  # other sessions and every token end
        record(actor=actor, action=Action.UPDATE, object_type="user", object_id=actor.pk,
               region_code=actor.scope_id or "", summary="修改密码")


def remember_password(user: User, encoded: str) -> None:
    """Keep the hash of the password being replaced, and only as many as the policy compares against."""
    if not encoded or not user.has_usable_password():
        return
    PasswordHistory.objects.create(user=user, password=encoded)
    keep = PasswordHistory.objects.filter(user=user).order_by("-changed_at", "-pk").values_list("pk", flat=True)
    PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep[: policy.current().password_history])).delete()


def token_digest(token: str) -> str:
    """What is stored of a bearer token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(*, user: User) -> str:
    """A new bearer token (returned once; only its digest is kept)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects_unscoped.create(user=user, digest=token_digest(token), expires_at=timezone.now() + TOKEN_LIFETIME)
        record(actor=user, action=Action.LOGIN, object_type="api_token", region_code=user.scope_id or "",
               summary="接口令牌登录")
    return token


def user_for_token(token: str) -> User | None:
    digest = token_digest(token)
    found = (
        ApiToken.objects_unscoped.select_related("user")
        .filter(digest=digest, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    return found.user if found else None


def revoke_api_token(*, user: User, digest: str) -> None:
    """退出 from a script: the token the request came with stops working."""
    with transaction.atomic(durable=True):
        ApiToken.objects_unscoped.filter(user=user, digest=digest).delete()
        record(actor=user, action=Action.LOGOUT, object_type="api_token", object_id=user.pk,
               region_code=user.scope_id or "", summary="接口令牌退出")


def end_all_sessions(*, actor: User) -> tuple[int, int]:
    """退出所有设备: every API token of the user is revoked and every browser session ended, in one audited
    transaction. Returns (sessions, tokens) ended."""
    with transaction.atomic(durable=True):
        User.objects_unscoped.filter(pk=actor.pk).update(session_generation=F("session_generation") + 1)
        actor.refresh_from_db(fields=["session_generation"])
        tokens, _ = ApiToken.objects_unscoped.filter(user=actor).delete()
        sessions = _delete_stored_sessions(actor)
        record(actor=actor, action=Action.LOGOUT, object_type="user", object_id=actor.pk,
               region_code=actor.scope_id or "", summary=f"退出所有设备（结束{sessions}个会话、{tokens}个接口令牌）")
    return sessions, tokens


def _delete_stored_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete the user's browser sessions now (the 在线会话 rows name them), all but `keep`; the session hash
    (D21) ends any the rows miss all the same."""
    from django.contrib.sessions.models import Session

    keys = list(UserSession.objects_unscoped.filter(user=user).exclude(session_id=keep or "")
                .values_list("session_id", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def end_access(user: User, *, keep_session: str | None = None) -> None:
    """A changed password, a disabled account, a new role or scope, a new second factor: every browser session of the
    user (but the one making the change, `keep_session`, for the user's own password or second factor) and every API
    token ends. Inside the caller's transaction. The session generation moves on (D21), so a session the 在线会话
    rows miss ends too; `user` is refreshed, and a caller keeping its session re-hashes it
    (`update_session_auth_hash`)."""
    User.objects_unscoped.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    ApiToken.objects_unscoped.filter(user=user).delete()
    _delete_stored_sessions(user, keep=keep_session)


def track_session(request: Any, user: User) -> None:
    """Name the request's session as the user's (在线会话): at login, and again when a key is cycled."""
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return
    agent = str(request.META.get("HTTP_USER_AGENT", ""))[:200]
    UserSession.objects_unscoped.update_or_create(
        session_id=session.session_key,
        defaults={"user": user, "ip": str(request.META.get("REMOTE_ADDR", ""))[:45], "user_agent": agent})


def force_logout(*, actor: Any, handle: str) -> UserSession:
    """强制退出 (安全管理员): end one browser session of a user in scope, named by its handle, audited as the
    administrator's operation (操作日志, like 解除锁定 and 重置双因素认证), not as the user's own logout."""
    from django.contrib.sessions.models import Session

    require_perm(actor, Perm.MANAGE_SECURITY)
    found = get_for_user(UserSession.objects_unscoped.select_related("user"), actor, handle=handle)
    with transaction.atomic():
        Session.objects.filter(session_key=found.session_id).delete()
        record(actor=actor, action=Action.UPDATE, object_type="user", object_id=found.user_id,
               region_code=found.user.scope_id or "",
               summary=f"强制退出：{found.user.username}（{found.ip or '未知地址'}，"
                       f"{timezone.localtime(found.started_at):%Y-%m-%d %H:%M} 登录）")
    return found


def _refuse(actor: Any, target: User, problem: str) -> None:
    with transaction.atomic():
        record(actor=actor, action=Action.DENIED, object_type="user", object_id=target.pk,
               region_code=target.scope_id or "", summary=f"用户管理被拒：{target.username} {problem}",
               result=Result.REFUSED)
    raise PermissionDenied(problem)


def _managed_user(actor: Any, user_id: int) -> User:
    """A user the actor may manage: within the actor's scope (else 404, like missing) and holding a role the
    actor could grant (a county administrator does not manage the city's inspector placed in the county)."""
    require_perm(actor, Perm.MANAGE_USERS)
    target = get_for_user(User, actor, pk=user_id)
    if target.role not in GRANTABLE.get(actor.role, frozenset()):
        _refuse(actor, target, f"您的角色不能管理“{target.get_role_display()}”")
    return target


def update_user(*, actor: Any, user_id: int, full_name: str, role: str, scope: str) -> User:
    """Change a user's name, role and scope, within the grant rules of `create_user`."""
    target = _managed_user(actor, user_id)
    region = resolve_scope(scope)
    if problem := grant_problem(actor, role, region.code):
        _refuse(actor, target, problem)
    if target.pk == actor.pk and (role != target.role or region.code != target.scope_id):
        raise DomainError("不能修改自己的角色或管辖范围，请联系上级管理员", field="角色")
    with transaction.atomic(durable=True):
        locked = User.objects_unscoped.select_for_update().get(pk=target.pk)
        old = {"full_name": locked.full_name, "role": locked.role, "scope": locked.scope_id}
        new = {"full_name": full_name.strip(), "role": role, "scope": region.code}
        locked.full_name, locked.role, locked.scope = new["full_name"], role, region
        locked.save(update_fields=["full_name", "role", "scope"])
        if old["role"] != role or old["scope"] != region.code:
            end_access(locked)  # sessions and tokens held under the old grant end
        record(actor=actor, action=Action.GRANT, object_type="user", object_id=locked.pk, region_code=region.code,
               summary=f"修改用户 {locked.username}（{Role(role).label}，{region.name}）", changes=diff(old, new))
    return locked


def set_user_active(*, actor: Any, user_id: int, active: bool) -> User:
    """停用 (the account can no longer sign in; its sessions and tokens stop working) or 启用 again."""
    target = _managed_user(actor, user_id)
    if target.pk == actor.pk:
        raise DomainError("不能停用或启用自己的账号", field="状态")
    with transaction.atomic(durable=True):
        locked = User.objects_unscoped.select_for_update().get(pk=target.pk)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active"])
            if not active:
                end_access(locked)
            record(actor=actor, action=Action.UPDATE, object_type="user", object_id=locked.pk,
                   region_code=locked.scope_id or "", summary=f"{'启用' if active else '停用'}用户 {locked.username}",
                   changes={"is_active": [not active, active]})
    return locked


def initial_password(length: int = 12) -> str:
    """A random initial password with all four character classes (it passes the password policy)."""
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "@#%+=?")
    chars = [secrets.choice(c) for c in classes]
    pool = "".join(classes).translate(str.maketrans("", "", "O0Il1"))
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def reset_password(*, actor: Any, user_id: int) -> str:
    """Give a user a new initial password, returned once (never stored in the clear, never audited); the user
    must change it at the next sign-in, and API tokens issued under the old one end."""
    target = _managed_user(actor, user_id)
    if target.pk == actor.pk:
        raise DomainError("请在“修改密码”中修改自己的密码", field="密码")
    password = initial_password(max(12, policy.current().password_min_length))
    with transaction.atomic(durable=True):
        locked = User.objects_unscoped.select_for_update().get(pk=target.pk)
        remember_password(locked, locked.password)
        locked.set_password(password)
        locked.must_change_password = True
        locked.password_changed_at = timezone.now()
        locked.save(update_fields=["password", "must_change_password", "password_changed_at"])
        end_access(locked)
        record(actor=actor, action=Action.UPDATE, object_type="user", object_id=locked.pk,
               region_code=locked.scope_id or "", summary=f"重置用户 {locked.username} 的密码（下次登录须修改）")
    return password


def unlock_account(*, actor: Any, attempt_id: int) -> str:
    """解除锁定: the security administrator clears an account's failed logins (django-axes), audited; the account
    must be in the actor's scope, or match no account at all for a security administrator of the whole deployment.
    Returns the user name."""
    from axes.models import AccessAttempt

    from .selectors import lockouts_for

    require_perm(actor, Perm.MANAGE_SECURITY)
    attempt = lockouts_for(actor).filter(pk=attempt_id).first()
    if attempt is None:
        raise DomainError("该登录失败记录不存在或已解除", code="not_found")
    with transaction.atomic():
        AccessAttempt.objects.filter(username=attempt.username).delete()
        scope = (get_for_user(User, actor, username=attempt.username).scope_id
                 if attempt.account_role else "")
        record(actor=actor, action=Action.UPDATE, object_type="lockout", object_id=attempt.username[:64],
               region_code=scope or "",
               summary=f"解除账号锁定：{attempt.username}（失败 {attempt.failures_since_start} 次，"
                       f"最近来自 {attempt.ip_address or '未知地址'}）")
    return str(attempt.username)


def update_policy(*, actor: Any, changes: dict[str, Any]) -> policy.Policy:
    """安全设置: change fields of the security policy (安全管理员 only), each within its MLPS bound; every problem is
    named at once and nothing changes; the change is audited old → new. Returns the policy now in force."""
    from .models import SecurityPolicy

    require_perm(actor, Perm.MANAGE_SECURITY)
    problems = {field: p for field, value in changes.items() if (p := policy.problem(field, value))}
    if problems:
        only = next(iter(problems)) if len(problems) == 1 else ""
        label = policy.TWO_FACTOR_LABEL if only == policy.TWO_FACTOR_FIELD else (
            policy.BY_FIELD[only].label if only in policy.BY_FIELD else "安全设置")
        raise DomainError("；".join(problems.values()), field=label)
    wanted: dict[str, Any] = {field: (",".join(policy.parse_roles(value)) if field == policy.TWO_FACTOR_FIELD
                                      else int(str(value).strip())) for field, value in changes.items()}
    with transaction.atomic():
        row = SecurityPolicy.objects.select_for_update().filter(pk=1).first()
        if row is None:
            start = dataclasses.asdict(policy.defaults())
            start[policy.TWO_FACTOR_FIELD] = ",".join(start[policy.TWO_FACTOR_FIELD])
            row = SecurityPolicy(pk=1, **start)
        old = {field: getattr(row, field) for field in wanted}
        changed = {field: value for field, value in wanted.items() if old[field] != value}
        for field, value in changed.items():
            setattr(row, field, value)
        row.save()
        if changed:
            said = "；".join(_policy_change(f, old[f], v) for f, v in changed.items())
            record(actor=actor, action=Action.UPDATE, object_type="security_policy", object_id=1,
                   summary=f"修改安全设置：{said}"[:300], changes=diff(old, wanted))
        transaction.on_commit(policy.forget)
    policy.forget()
    return policy.current()


def _policy_change(field: str, old: Any, new: Any) -> str:
    """One change of the security policy in words, old → new."""
    if field == policy.TWO_FACTOR_FIELD:
        def names(value: Any) -> str:
            return "、".join(Role(r).label for r in policy.parse_roles(value)) or "无"

        return f"{policy.TWO_FACTOR_LABEL} {names(old)}→{names(new)}"
    bound = policy.BY_FIELD[field]
    return f"{bound.label} {old}→{new}{bound.unit}"
