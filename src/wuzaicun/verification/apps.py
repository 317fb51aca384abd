"""The verification app (成效在村检验)."""

from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "wuzaicun.verification"
    label = "verification"
    verbose_name = "成效在村检验"

    def ready(self) -> None:
        from . import indicators  # noqa: F401  (registers the spot-check findings indicator)
