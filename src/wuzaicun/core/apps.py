"""The core app: shared templates tags, middleware and the home page."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wuzaicun.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_migrate

        from . import tally
        from .converters import register
        from .generation import after_migrate

        register()
        # the data generation's triggers on every business table, after every migrate (docs/insight.md, I40)
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="wuzaicun.core.generation")
        # the tallies' triggers (D47): set aside while a migrate runs (SQLite rebuilds tables), put back after it
        pre_migrate.connect(tally.before_migrate, sender=self, dispatch_uid="wuzaicun.core.tally.before")
        post_migrate.connect(tally.after_migrate, sender=self, dispatch_uid="wuzaicun.core.tally")
