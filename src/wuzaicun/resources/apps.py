"""The resources app (资源在村整合)."""

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "wuzaicun.resources"
    label = "resources"
    verbose_name = "资源在村整合"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_migrate

        # each area's templates, coverage rules, assessment indicators and synth steps
        from . import coverage, imports, indicators, synth  # noqa: F401
        from .triggers import after_migrate, before_migrate

        # 干群结亲 follow their household's village (D46): the trigger is set aside while a migrate runs
        pre_migrate.connect(before_migrate, sender=self, dispatch_uid="wuzaicun.resources.triggers.before")
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="wuzaicun.resources.triggers")
