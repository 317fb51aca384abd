"""The registry app."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "wuzaicun.registry"
    label = "registry"
    verbose_name = "人员与农户"

    def ready(self) -> None:
        # the people and households templates; the assessment indicators; the registry's synth steps
        from . import imports, indicators, synth  # noqa: F401
