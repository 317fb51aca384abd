"""`wuzaicun lists [--year Y] [--region CODE] [--as USER] -o FILE.xlsx`: the 五张责任清单 workbook by script."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user, region_option
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.regions.selectors import get_region_for_user
from wuzaicun.responsibility.exports import export_lists
from wuzaicun.responsibility.selectors import working_year


class Command(BaseCommand):
    help = "导出五张责任清单（帮村、联村、驻村、助村、带村；与页面“导出责任清单”相同的 .xlsx 工作簿）"
    requires_system_checks: list[str] = []  # as `wuzaicun report`: a workbook needs no URL or API checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（默认：工作年度）")
        parser.add_argument("--region", help="区划代码或其前缀（默认：管辖范围）")
        parser.add_argument("--as", dest="as_user", help="以该用户的权限和管辖范围导出")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx）")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["output"])
        if target.suffix.lower() != ".xlsx":
            raise CommandError(f"输出文件“{target}”应以 .xlsx 结尾")
        if not target.parent.is_dir():
            raise CommandError(f"输出目录“{target.parent}”不存在")
        user = acting_user(options["as_user"])
        year = options["year"] or working_year()
        if not 1949 <= year <= 2100:
            raise CommandError(f"年度“{year}”无效，应为 1949–2100 之间的四位数字")
        code = region_option(options["region"]) or getattr(user, "scope_id", "") or ""
        try:
            area = get_region_for_user(user, code) if code else None
        except NotFound:
            raise CommandError(f"区划代码“{options['region']}”不存在或不在您的管辖范围内") from None
        # Written beside the target and renamed into place: a refused or failed export leaves no file behind.
        handle, partial = tempfile.mkstemp(suffix=".xlsx.part", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                count = export_lists(actor=user, year=year, region=area.code if area else None,
                                     area_name=area.name if area else "", target=out)
            os.replace(partial, target)
        except DomainError as error:
            raise CommandError(error.message) from None
        finally:
            Path(partial).unlink(missing_ok=True)
        self.stderr.write(f"已导出{area.name if area else ''}{year}年度五张责任清单 {count} 条到 {target}")
