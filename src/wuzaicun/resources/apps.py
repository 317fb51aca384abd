"""The resources app (资源在村整合)."""

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "wuzaicun.resources"
    label = "resources"
    verbose_name = "资源在村整合"

    def ready(self) -> None:
        # each area's templates, coverage rules, assessment indicators and synth steps
        from . import coverage, imports, indicators, synth  # noqa: F401
