"""`wuzaicun lists [--year Y] [--region CODE] [--as USER] -o FILE.xlsx`: the 五张责任清单 workbook by script."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import (
    acting_user,
    add_document_options,
    document_target,
    region_option,
    written_in_place,
    year_option,
)
from wuzaicun.core.errors import NotFound
from wuzaicun.regions.selectors import get_region_for_user
from wuzaicun.responsibility.exports import export_lists


class Command(BaseCommand):
    help = "导出五张责任清单（帮村、联村、驻村、助村、带村；与页面“导出责任清单”相同的 .xlsx 工作簿）"
    requires_system_checks: list[str] = []  # as `wuzaicun report`: a workbook needs no URL or API checks

    def add_arguments(self, parser: CommandParser) -> None:
        add_document_options(parser, suffix=".xlsx", acting="权限和管辖范围导出")

    def handle(self, *args: Any, **options: Any) -> None:
        target = document_target(options["output"], ".xlsx")
        user = acting_user(options["as_user"])
        year = year_option(options["year"])
        code = region_option(options["region"]) or getattr(user, "scope_id", "") or ""
        try:
            area = get_region_for_user(user, code) if code else None
        except NotFound:
            raise CommandError(f"区划代码“{options['region']}”不存在或不在您的管辖范围内") from None
        with written_in_place(target, region=options["region"]) as out:
            count = export_lists(actor=user, year=year, region=area.code if area else None,
                                 area_name=area.name if area else "", target=out)
        self.stderr.write(f"已导出{area.name if area else ''}{year}年度五张责任清单 {count} 条到 {target}")
