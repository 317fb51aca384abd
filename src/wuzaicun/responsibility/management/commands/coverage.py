"""`wuzaicun coverage --year Y [--region CODE] [--json]`: coverage and rule gaps; exit 0 either way.

`--check-counts` compares the stored helper counts (D23) with the links and exits 1 on a difference;
`--rebuild-counts` recounts them all (audited).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user, region_option
from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.responsibility.rules import RULES_BY_CODE
from wuzaicun.responsibility.selectors import working_year
from wuzaicun.responsibility.services import helper_count_differences, rebuild_helper_counts


class Command(BaseCommand):
    help = "责任清单覆盖情况与规则缺口（见人、见村、见责任和全覆盖、无死角）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（默认：工作年度）")
        parser.add_argument("--region", help="区划代码或其前缀")
        parser.add_argument("--json", action="store_true", help="在标准输出打印一个 JSON 文档")
        parser.add_argument("--as", dest="as_user", help="以该用户的管辖范围检查")
        counts = parser.add_mutually_exclusive_group()
        counts.add_argument("--check-counts", action="store_true",
                            help="核对已存的每户助村党员数与帮扶关联是否一致（不一致时退出码为 1）")
        counts.add_argument("--rebuild-counts", action="store_true", help="按帮扶关联重新统计每户助村党员数")

    def handle(self, *args: Any, **options: Any) -> None:
        region = options["region"]
        code = region_option(region)
        if options["check_counts"] or options["rebuild_counts"]:
            self._counts(options)
            return
        year = options["year"] or working_year()
        report = coverage_report(acting_user(options["as_user"]), year=year, region=code)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return
        total = sum(row["gaps"] for row in report.summary.values())
        self.stdout.write(f"{report.year}年度责任清单覆盖情况（{code or '全部'}）：共 {total} 处缺口")
        for rule_code, row in report.summary.items():
            self.stdout.write(f"  {RULES_BY_CODE[rule_code].title}：检查 {row['checked']}，缺口 {row['gaps']}")
        for gap in report.gaps[:200]:
            self.stdout.write(f"  [{gap.rule}] {gap.region_code} {gap.message}")
        if len(report.gaps) > 200:
            self.stdout.write(f"  ……另有 {len(report.gaps) - 200} 处，使用 --json 查看全部")

    def _counts(self, options: dict[str, Any]) -> None:
        year = options["year"]
        label = f"{year}年" if year else "各年度"
        if options["rebuild_counts"]:
            stored = rebuild_helper_counts(actor=acting_user(options["as_user"]), year=year)
            self.stdout.write(f"已重新统计{label}助村党员数：{stored} 户")
            return
        differences = list(helper_count_differences(year))
        for household, year_, stored, counted in differences[:50]:
            self.stdout.write(f"  农户 {household}（{year_}年）：已存 {stored}，按帮扶关联应为 {counted}")
        if differences:
            raise CommandError(f"{label}助村党员数有 {len(differences)} 处与帮扶关联不一致，"
                               "可用 --rebuild-counts 重新统计")
        self.stdout.write(f"{label}助村党员数与帮扶关联一致")
