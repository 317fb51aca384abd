"""The insight app (数据分析)."""

from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "wuzaicun.insight"
    label = "insight"
    verbose_name = "数据分析"

    def ready(self) -> None:
        # the export-only `stats` sheet
        from . import imports, jobs  # noqa: F401
