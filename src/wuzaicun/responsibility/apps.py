"""The responsibility app (责任在村落实)."""

from django.apps import AppConfig


class ResponsibilityConfig(AppConfig):
    name = "wuzaicun.responsibility"
    label = "responsibility"
    verbose_name = "责任在村落实"

    def ready(self) -> None:
        # the assignments template; the assessment indicators; the lists workbook as a job; the synth steps
        from . import imports, indicators, jobs, synth  # noqa: F401
