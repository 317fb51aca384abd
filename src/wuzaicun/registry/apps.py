"""The registry app."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "wuzaicun.registry"
    label = "registry"
    verbose_name = "人员与农户"

    def ready(self) -> None:
        from . import (
            imports,  # noqa: F401  (declares the people and households templates)
            synth,  # noqa: F401  (registers the households, units, people and teams synth steps)
        )
