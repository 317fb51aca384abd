"""System checks of the audit settings: a retention below the MLPS minimum stops the server at startup."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def retention_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from .chain import MIN_RETENTION_DAYS

    errors: list[Error] = []
    days = getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)
    if not isinstance(days, int) or days < MIN_RETENTION_DAYS:
        errors.append(Error(
            f"操作日志保留期（AUDIT_RETENTION_DAYS）为 {days} 天，低于等保三级要求的 {MIN_RETENTION_DAYS} 天，请改为不少于"
            f" {MIN_RETENTION_DAYS} 的整数", id="wuzaicun.E001"))
    limit = getattr(settings, "REVEAL_DAILY_LIMIT", 20)
    if not isinstance(limit, int) or limit < 0:
        errors.append(Error(f"每人每日查看完整身份证号上限（REVEAL_DAILY_LIMIT）为 {limit}，应为不小于 0 的整数",
                            id="wuzaicun.E002"))
    return errors
