"""`wuzaicun loadregions [--prefix 5203]`: load the shipped 2023 Guizhou division tree."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wuzaicun.core.operator import OPERATOR
from wuzaicun.regions.services import load_shipped_divisions


class Command(BaseCommand):
    help = "载入内置的贵州省2023年统计用区划代码（可只载入某一前缀下的部分）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prefix", default="", help="只载入此前缀下的区划（及其上级），如 5203")

    def handle(self, *args: Any, **options: Any) -> None:
        count = load_shipped_divisions(actor=OPERATOR, prefix=options["prefix"])
        self.stderr.write(f"已载入区划 {count} 条")
