"""The accounts app."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wuzaicun.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login, logout and failed-login audit)
