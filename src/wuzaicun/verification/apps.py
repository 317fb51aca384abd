"""The verification app (成效在村检验)."""

from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "wuzaicun.verification"
    label = "verification"
    verbose_name = "成效在村检验"

    def ready(self) -> None:
        # the spot-check findings indicator; the assessment's spreadsheets; the verification synth step
        from . import imports, indicators, synth  # noqa: F401
