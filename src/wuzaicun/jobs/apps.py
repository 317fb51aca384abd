"""The jobs app (下载中心)."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "wuzaicun.jobs"
    label = "jobs"
    verbose_name = "下载中心"

    def ready(self) -> None:
        from . import kinds  # noqa: F401  (registers the kinds this app runs: exports, imports, assessments)
