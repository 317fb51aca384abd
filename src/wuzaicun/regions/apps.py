"""The regions app."""

from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "wuzaicun.regions"
    label = "regions"
    verbose_name = "行政区划"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  (registers code__within)
        from . import (
            imports,  # noqa: F401  (declares the regions and villages templates)
            synth,  # noqa: F401  (registers the regions and village-year synth steps)
        )
