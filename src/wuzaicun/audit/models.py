"""AuditEntry: append-only, each row chained to the one before by its hash (docs/security.md)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from wuzaicun.accounts.roles import Perm


class Action(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    VIEW_SENSITIVE = "view_sensitive", "查看敏感信息"
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出"
    LOGIN_FAILED = "login_failed", "登录失败"
    DENIED = "denied", "越权拒绝"
    GRANT = "grant", "授权"
    LOCKOUT = "lockout", "账号锁定"
    PURGE = "purge", "清理过期日志"


# The login log (登录日志) shows these actions; the operation log (操作日志) shows every other one.
LOGIN_ACTIONS: tuple[str, ...] = (Action.LOGIN, Action.LOGOUT, Action.LOGIN_FAILED, Action.LOCKOUT)
# The hash a chain's first row links to.
GENESIS_HASH = "0" * 64


class Result(models.TextChoices):
    OK = "ok", "成功"
    REFUSED = "refused", "拒绝"


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", db_default=Now(), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False
    )
    actor_name = models.CharField("操作账号", max_length=150, blank=True, default="")
    action = models.CharField("操作", max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=50, blank=True, default="")
    object_id = models.CharField("对象标识", max_length=64, blank=True, default="")
    region_code = models.CharField("所属区划", max_length=12, blank=True, default="", db_index=True)
    summary = models.CharField("摘要", max_length=300, blank=True, default="")
    changes = models.JSONField("变更（旧 → 新）", default=dict, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.OK)
    request_id = models.CharField("请求编号", max_length=32, blank=True, default="")
    ip = models.CharField("IP 地址", max_length=45, blank=True, default="")
    # The hash chain (docs/security.md): hash = sha256(prev_hash ‖ canonical content), hex.
    prev_hash = models.CharField("上一行哈希", max_length=64, default="")
    hash = models.CharField("哈希", max_length=64, default="")

    scope_path: ClassVar[str] = "region_code"
    scope_perms: ClassVar[tuple[Perm, ...]] = (Perm.VIEW_AUDIT,)  # the audit trail: its readers only
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-id"]
        # A user's reveals of the day are counted with one query on this index (break-glass limit).
        indexes = [models.Index(fields=["actor", "action", "at"], name="audit_actor_action_at")]

    def __str__(self) -> str:
        return f"{self.at} {self.actor_name} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("操作日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("操作日志不能删除")
