"""`wuzaicun report --year Y [--region CODE] [--as USER] -o FILE.docx`: the annual report as a Word document."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user, region_option
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.responsibility.selectors import working_year

from ...report import write_report


class Command(BaseCommand):
    help = "年度报告：按年度和区划生成党建扶贫“五在村”工作报告（Word 文档，公文格式）"
    # The system checks import every URL module, view and API schema of the site (a third of the command's time
    # on the city); a report needs none of them, and `serve` and the test suite run the checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（默认：工作年度）")
        parser.add_argument("--region", help="区划代码或其前缀（默认：管辖范围）")
        parser.add_argument("--as", dest="as_user", help="以该用户的身份和管辖范围生成")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.docx）")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["output"])
        if target.suffix.lower() != ".docx":
            raise CommandError(f"输出文件“{target}”应以 .docx 结尾")
        if not target.parent.is_dir():
            raise CommandError(f"输出目录“{target.parent}”不存在")
        user = acting_user(options["as_user"])
        region = options["region"]
        code = region_option(region)
        year = options["year"] or working_year()
        if not 1949 <= year <= 2100:
            raise CommandError(f"年度“{year}”无效，应为 1949–2100 之间的四位数字")
        # Written beside the target and renamed into place: a refused or failed report leaves no file behind.
        handle, partial = tempfile.mkstemp(suffix=".docx.part", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                write_report(user, year=year, region=code, out=out)
            os.replace(partial, target)
        except NotFound:
            raise CommandError(f"区划代码“{region}”不存在或不在您的管辖范围内") from None
        except DomainError as error:
            raise CommandError(error.message) from None
        finally:
            Path(partial).unlink(missing_ok=True)
        self.stderr.write(f"已生成{year}年度报告：{target}（{target.stat().st_size:,} 字节）")
