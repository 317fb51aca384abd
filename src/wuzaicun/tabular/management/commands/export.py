"""`wuzaicun export KIND [--year Y] [--region CODE] -o FILE.xlsx`: the same columns as the import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user
from wuzaicun.core.errors import DomainError
from wuzaicun.regions.codes import code_from_prefix
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.spec import ExportContext


class Command(BaseCommand):
    help = "按模板列导出为 .xlsx"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind")
        parser.add_argument("--year", type=int)
        parser.add_argument("--region", help="区划代码或其前缀")
        parser.add_argument("-o", "--output", required=True, type=Path)
        parser.add_argument("--as", dest="as_user", help="以该用户的权限和管辖范围导出")

    def handle(self, *args: Any, **options: Any) -> None:
        region = options["region"]
        try:
            template = get_template(options["kind"])
            region_code = code_from_prefix(region) if region else None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        except ValueError:
            raise CommandError(f"区划代码“{region}”无效") from None
        ctx = ExportContext(actor=acting_user(options["as_user"]), year=options["year"], region_code=region_code)
        output: Path = options["output"]
        try:
            count = export_to_xlsx(template, ctx, output)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(f"已导出{template.title} {count} 行到 {output}")

