"""The user (用户) with a role and a scope, and API tokens."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac

from wuzaicun.regions.codes import prefix_of

from .roles import ADMINISTRATION, Perm, Role, has_perm


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    scope = models.ForeignKey(
        "regions.Region", verbose_name="管辖范围", on_delete=models.PROTECT, related_name="+", null=True
    )
    full_name = models.CharField("姓名", max_length=50, blank=True, default="")
    must_change_password = models.BooleanField("须修改初始密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    session_generation = models.PositiveIntegerField("会话代次", default=0,
                                                     help_text="“退出所有设备”时加一，此前的浏览器会话全部失效")

    scope_path: ClassVar[str] = "scope__code"
    scope_perms: ClassVar[tuple[Perm, ...]] = ADMINISTRATION
    objects_unscoped: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    @property
    def scope_prefix(self) -> str | None:
        """The region-code prefix this user may see; None means nothing (fail closed)."""
        if not self.is_active or not self.role or self.scope_id is None:
            return None
        return prefix_of(self.scope_id)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session check, also changed by 退出所有设备: every browser session made before it ends
        at its next request (Django flushes a session whose hash no longer matches), whatever the backend."""
        value = self.password if not self.session_generation else f"{self.password}#{self.session_generation}"
        return salted_hmac("django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash", value,
                           secret=secret, algorithm="sha256").hexdigest()

    def can(self, perm: Perm) -> bool:
        return self.is_active and has_perm(self.role, perm)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.user_id} 的令牌"


class SecurityPolicy(models.Model):
    """安全设置: one row (pk 1) the security administrator keeps; `policy.current()` reads it (settings.py gives the
    values until the row exists). Bounds and labels are in policy.FIELDS."""

    password_min_length = models.PositiveSmallIntegerField("密码最短长度", default=8)
    password_min_classes = models.PositiveSmallIntegerField("密码字符类别数", default=3)
    password_max_age_days = models.PositiveSmallIntegerField("密码有效期（天）", default=90)
    password_history = models.PositiveSmallIntegerField("不得重复使用最近几次密码", default=5)
    lockout_failures = models.PositiveSmallIntegerField("连续登录失败锁定次数", default=5)
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）", default=15)
    idle_minutes = models.PositiveSmallIntegerField("无操作自动退出（分钟）", default=30)
    session_hours = models.PositiveSmallIntegerField("单次登录最长（小时）", default=12)
    reveal_daily_limit = models.PositiveSmallIntegerField("每人每天查看完整身份证号次数上限", default=20)
    require_2fa_roles = models.CharField("须使用双因素认证的角色", max_length=300,
                                         default="audit_admin,security_admin,system_admin",
                                         help_text="角色代码，以逗号分隔；三类管理员始终包含在内")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "安全设置"
        verbose_name_plural = "安全设置"

    def __str__(self) -> str:
        return "安全设置"


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords, so that the last N are not used again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history", db_index=False)
    password = models.CharField("密码（哈希）", max_length=128)
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        indexes = [models.Index(fields=["user", "-changed_at"], name="passwordhistory_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.changed_at}"


def new_session_handle() -> str:
    import secrets

    return secrets.token_urlsafe(18)


class UserSession(models.Model):
    """在线会话: who holds a browser session, from where and since when. Deleted with its session (logout, expiry,
    强制退出); the last activity is the session's own expiry less the idle minutes, so no request writes here."""

    session = models.OneToOneField("sessions.Session", verbose_name="会话", on_delete=models.CASCADE,
                                   primary_key=True, related_name="+")
    # What pages and URLs name a session by: the session key itself never leaves the server (whoever held it
    # could sign in as its user, and URLs reach access logs).
    handle = models.CharField("会话标识", max_length=32, unique=True, default=new_session_handle)
    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="web_sessions")
    ip = models.CharField("IP 地址", max_length=45, blank=True, default="")
    user_agent = models.CharField("浏览器", max_length=200, blank=True, default="")
    started_at = models.DateTimeField("登录时间", auto_now_add=True)

    scope_path: ClassVar[str] = "user__scope__code"
    scope_perms: ClassVar[tuple[Perm, ...]] = (Perm.MANAGE_SECURITY,)
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "在线会话"
        verbose_name_plural = "在线会话"

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at}"


class RecoveryCode(models.Model):
    """A one-time recovery code (恢复码) of a user's two-factor login: only its keyed digest is stored (the codes are
    shown once, at enrolment or regeneration); a used code keeps its row with `used_at`."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="recovery_codes",
                             db_index=False)
    digest = models.CharField("摘要", max_length=64)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recoverycode_user_digest")]

    def __str__(self) -> str:
        return f"{self.user_id} 的恢复码"
