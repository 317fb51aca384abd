"""The core app: shared templates tags, middleware and the home page."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wuzaicun.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from .converters import register

        register()
