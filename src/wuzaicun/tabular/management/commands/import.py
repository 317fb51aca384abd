"""`wuzaicun import KIND FILE [--year Y] [--dry-run]`: all-or-nothing; exit 1 on any error."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user
from wuzaicun.core.errors import DomainError
from wuzaicun.core.params import region_param
from wuzaicun.tabular.engine import format_issues
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.uploads import check_upload


class Command(BaseCommand):
    help = "导入 .xlsx 或 .csv 模板文件（全部成功或全部不导入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="regions、villages、people、households …")
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int)
        parser.add_argument("--region", help="文件和工作单位都不能确定区划时使用的区划代码或其前缀（人员），如 520300")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--as", dest="as_user", help="以该用户的权限和管辖范围导入")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            check_upload(path, original_name=path.name)
            report = import_file(
                actor=acting_user(options["as_user"]), kind=options["kind"], path=path, year=options["year"],
                region_code=region_param(options["region"]), dry_run=options["dry_run"], source_name=path.name,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if not report.ok:
            for line in format_issues(report):
                self.stderr.write(line)
            self.stderr.write(f"共 {report.total_rows} 行，成功 0 行，失败 {report.failed_lines} 行（{report.issue_count} 处问题），"
                              "未导入任何数据")
            sys.exit(1)
        if options["dry_run"]:
            self.stderr.write(f"检查通过（未写入）：共 {report.total_rows} 行，失败 0 行，用时 {report.seconds:.1f} 秒")
        else:
            self.stderr.write(f"导入成功：共 {report.total_rows} 行，成功 {report.imported} 行，失败 0 行"
                              f"{report.summary}，用时 {report.seconds:.1f} 秒")
