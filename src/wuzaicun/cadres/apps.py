"""The cadres app (干部在村成长)."""

from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "wuzaicun.cadres"
    label = "cadres"
    verbose_name = "干部在村成长"

    def ready(self) -> None:
        # each area's templates, coverage rules, assessment indicators and synth steps
        from . import coverage, imports, indicators, synth  # noqa: F401
