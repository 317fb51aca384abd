"""The regions app."""

from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "wuzaicun.regions"
    label = "regions"
    verbose_name = "行政区划"

    def ready(self) -> None:
        # code__within lookups; the regions and villages templates; the village-year synth steps.
        from . import imports, lookups, synth  # noqa: F401
