"""`wuzaicun restore DIR [--keys FILE] --yes`: the database of a backup over the current one (D37)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.backup import restore
from wuzaicun.core.errors import DomainError


class Command(BaseCommand):
    help = "从备份目录恢复数据库（覆盖当前数据库），可同时恢复字段加密密钥"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup_dir", type=Path, help="wuzaicun backup 生成的目录")
        parser.add_argument("--keys", type=Path, help="密钥备份文件 field_keys.json")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库（请先停止服务）")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("恢复会覆盖当前数据库：请先停止服务，再加 --yes 确认")
        try:
            created = restore(options["backup_dir"], keys=options["keys"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(f"已恢复 {created} 的备份" + ("，密钥已恢复" if options["keys"] else "；密钥未恢复（沿用当前密钥）"))
