"""`wuzaicun stats --year Y [--region CODE] [--json] [--as USER]`: the headline figures of the five mechanisms."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user, region_option
from wuzaicun.core.errors import NotFound
from wuzaicun.regions.selectors import get_region_for_user, region_names
from wuzaicun.responsibility.selectors import working_year

from ...figures import compute_stats
from ...formatting import exact


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = "数据概览：按年度和区划统计“五在村”各项主要数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（默认：工作年度）")
        parser.add_argument("--region", help="区划代码或其前缀")
        parser.add_argument("--json", action="store_true", help="在标准输出打印一个 JSON 文档")
        parser.add_argument("--as", dest="as_user", help="以该用户的管辖范围统计")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["as_user"])
        region = options["region"]
        code = region_option(region)
        if code is not None:
            try:
                get_region_for_user(user, code)
            except NotFound:
                raise CommandError(f"区划代码“{region}”不存在或不在您的管辖范围内") from None
        year = options["year"] or working_year()
        if not 1949 <= year <= 2100:
            raise CommandError(f"年度“{year}”无效，应为 1949–2100 之间的四位数字")
        stats = compute_stats(user, year=year, region=code)
        if options["json"]:
            self.stdout.write(json.dumps(stats.as_json(), ensure_ascii=False))
            return
        place = region_names([code]).get(code, code) if code else "全部"
        self.stdout.write(f"{year}年度数据概览（{place}）")
        width = max(_width(f.label) for s in stats.sections for f in s.figures) + 2
        for section in stats.sections:
            self.stdout.write(f"\n{section.title}")
            for figure in section.figures:
                value = exact(figure.value, figure.unit)
                self.stdout.write(f"  {_pad(figure.label, width)}{value:>20} {figure.unit}")
