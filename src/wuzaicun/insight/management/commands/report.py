"""`wuzaicun report --year Y [--region CODE] [--as USER] -o FILE.docx`: the annual report as a Word document."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wuzaicun.core.commands import (
    acting_user,
    add_document_options,
    document_target,
    region_option,
    written_in_place,
    year_option,
)

from ...report import write_report


class Command(BaseCommand):
    help = "年度报告：按年度和区划生成党建扶贫“五在村”工作报告（Word 文档，公文格式）"
    # The system checks import every URL module, view and API schema of the site (a third of the command's time
    # on the city); a report needs none of them, and `serve` and the test suite run the checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        add_document_options(parser, suffix=".docx", acting="身份和管辖范围生成")

    def handle(self, *args: Any, **options: Any) -> None:
        target = document_target(options["output"], ".docx")
        user = acting_user(options["as_user"])
        code = region_option(options["region"])
        year = year_option(options["year"])
        with written_in_place(target, region=options["region"]) as out:
            write_report(user, year=year, region=code, out=out)
        self.stderr.write(f"已生成{year}年度报告：{target}（{target.stat().st_size:,} 字节）")
