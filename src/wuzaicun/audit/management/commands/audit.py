"""`wuzaicun audit verify [--from DATE] [--json]` checks the hash chain; `wuzaicun audit purge --before DATE
[--dry-run]` deletes the rows older than the retention window (docs/security.md)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.audit.chain import purge_before, retention_days, verify
from wuzaicun.core.errors import DomainError
from wuzaicun.core.operator import OPERATOR


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name}“{value}”不是日期，应写成 2016-07-01") from None


class Command(BaseCommand):
    help = "操作日志：核对哈希链、清理保留期以前的记录"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verifying = sub.add_parser("verify", help="核对操作日志的哈希链，指出第一条断开的记录")
        verifying.add_argument("--from", dest="since", help="从该日期（含）起核对，如 2016-07-01")
        verifying.add_argument("--json", action="store_true")
        purging = sub.add_parser("purge", help="删除保留期以前的操作日志（本身留痕）")
        purging.add_argument("--before", required=True, help="删除该日期之前的记录，如 2016-01-01")
        purging.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _verify(self, options: dict[str, Any]) -> None:
        since = _date(options["since"], "开始日期") if options.get("since") else None
        verdict = verify(since)
        if options["json"]:
            self.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False))
        else:
            (self.stdout if verdict.ok else self.stderr).write(verdict.message())
        if not verdict.ok:
            sys.exit(1)

    def _purge(self, options: dict[str, Any]) -> None:
        before = _date(options["before"], "清理日期")
        result = purge_before(actor=OPERATOR, before=before, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"将删除 {before.isoformat()} 之前的操作日志 {result.rows} 条（保留期 {retention_days()} 天）；"
                              f"未删除任何记录")
        elif not result.rows:
            self.stdout.write(f"{before.isoformat()} 之前没有操作日志，未删除任何记录")
        else:
            self.stdout.write(f"已删除 {before.isoformat()} 之前的操作日志 {result.rows} 条；最后删除的一条编号 "
                              f"{result.last_purged_id}，哈希 {result.last_purged_hash}（已记入清理记录，核对从下一条起）")
