"""The audit app."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wuzaicun.audit"
    label = "audit"
    verbose_name = "操作日志"

    def ready(self) -> None:
        from . import checks, imports  # noqa: F401  (the retention check, the log sheets)
