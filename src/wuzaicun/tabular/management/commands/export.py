"""`wuzaicun export KIND [--year Y] [--region CODE] -o FILE.xlsx|FILE.csv [--full-ids --reason 原因]`.

The same columns as the import. Resident IDs (and phones) are masked, as on screen, unless
`--full-ids` is given with a `--reason`; that needs a role that may see IDs (the operator may).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user, region_option
from wuzaicun.core.errors import DomainError
from wuzaicun.tabular.engine import export_to_csv, export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.spec import ExportContext


class Command(BaseCommand):
    help = "按模板列导出为 .xlsx 或 .csv（身份证号默认脱敏）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind")
        parser.add_argument("--year", type=int)
        parser.add_argument("--region", help="区划代码或其前缀")
        parser.add_argument("-o", "--output", required=True, type=Path, help="输出文件（.xlsx 或 .csv）")
        parser.add_argument("--as", dest="as_user", help="以该用户的权限和管辖范围导出")
        parser.add_argument("--full-ids", action="store_true",
                            help="导出完整身份证号和联系电话（须有查看权限，并用 --reason 说明原因）")
        parser.add_argument("--reason", default="", help="导出完整身份证号的原因（记入操作日志）")

    def handle(self, *args: Any, **options: Any) -> None:
        region = options["region"]
        output: Path = options["output"]
        if output.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError(f"输出文件“{output.name}”的扩展名应为 .xlsx 或 .csv")
        if options["full_ids"] and not options["reason"].strip():
            raise CommandError("使用 --full-ids 导出完整身份证号时，须用 --reason 说明导出原因")
        if options["reason"] and not options["full_ids"]:
            raise CommandError("--reason 只与 --full-ids 一起使用")
        try:
            template = get_template(options["kind"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        region_code = region_option(region)
        ctx = ExportContext(actor=acting_user(options["as_user"]), year=options["year"], region_code=region_code,
                            full_ids=options["full_ids"], reason=options["reason"])
        try:
            export = export_to_csv if output.suffix.lower() == ".csv" else export_to_xlsx
            count = export(template, ctx, output)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        masked = "（完整身份证号）" if options["full_ids"] else "（身份证号已脱敏）" if template.carries_ids else ""
        self.stderr.write(f"已导出{template.title} {count} 行到 {output}{masked}")
