"""The organisation app (组织在村建强)."""

from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "wuzaicun.organization"
    label = "organization"
    verbose_name = "组织在村建强"

    def ready(self) -> None:
        # each area's templates, coverage rules, assessment indicators and synth steps
        from . import coverage, imports, indicators, synth  # noqa: F401
