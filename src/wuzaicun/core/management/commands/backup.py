"""`wuzaicun backup -o DIR [--keys-out KEYDIR]`: the database into DIR, the field-key ring apart (D37)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.backup import backup
from wuzaicun.core.errors import DomainError


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份或 pg_dump），并把字段加密密钥另存到单独的目录"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, required=True, help="数据库备份目录（须为空或不存在）")
        parser.add_argument("--keys-out", type=Path, help="密钥备份目录：与数据库备份分开保存（不同的介质或保管人）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(options["output"], keys_output=options["keys_out"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(f"数据库已备份：{result.database}（{result.bytes / 1024 / 1024:.1f} MB）")
        if result.keys is None:
            self.stderr.write("注意：未备份密钥。没有密钥，恢复后的身份证号无法解密；请用 --keys-out 另行备份并分开保管")
        else:
            self.stderr.write(f"密钥已另存：{result.keys}（请与数据库备份分开保管）")
