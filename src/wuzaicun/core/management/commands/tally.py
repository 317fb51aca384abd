"""`wuzaicun tally check | fold | rebuild`: the counts the triggers keep for the province's and the nation's figures
(D47, docs/scale.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core import tally


def _label(table: str) -> str:
    return next((str(m._meta.verbose_name) for m in tally.tallies() if m._meta.db_table == table), table)


class Command(BaseCommand):
    help = "计数汇总（干群结亲、农户按村计数，供省级和全国数字读取）：核对、合并、重建"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="与原始数据逐村核对，有不符时退出码为 1")
        sub.add_parser("fold", help="把已提交事务的计数合并（PostgreSQL；任务结束和合成数据后也会自动合并）")
        sub.add_parser("rebuild", help="从原始数据重新计数（核对不符时，或只恢复了部分数据之后）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "fold":
            self.stderr.write(f"已合并 {tally.fold():,} 行计数")
        elif action == "rebuild":
            self.stderr.write(f"已重新计数，写入 {tally.rebuild():,} 行")
        wrong = tally.differences()
        if wrong:
            found = "；".join(f"{_label(t)} {n:,} 处" for t, n in wrong.items())
            raise CommandError(f"计数与原始数据不符：{found}。请运行 wuzaicun tally rebuild 重新计数")
        names = "、".join(str(m._meta.verbose_name) for m in tally.tallies())
        self.stderr.write(f"计数与原始数据一致：{names}")
