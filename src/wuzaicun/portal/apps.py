"""The portal app."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "wuzaicun.portal"
    label = "portal"
    verbose_name = "工作台"
