"""The responsibility app (责任在村落实)."""

from django.apps import AppConfig


class ResponsibilityConfig(AppConfig):
    name = "wuzaicun.responsibility"
    label = "responsibility"
    verbose_name = "责任在村落实"

    def ready(self) -> None:
        from . import (
            imports,  # noqa: F401  (declares the assignments template)
            synth,  # noqa: F401  (registers the five lists' synth step)
        )
