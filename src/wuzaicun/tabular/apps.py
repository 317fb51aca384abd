"""The tabular app."""

from django.apps import AppConfig


class TabularConfig(AppConfig):
    name = "wuzaicun.tabular"
    label = "tabular"
    verbose_name = "导入导出"
