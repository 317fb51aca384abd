"""`wuzaicun assess --year Y [--region CODE] [--confirm | --lock] [--json]`: the annual assessment (1个100%)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user
from wuzaicun.core.errors import DomainError
from wuzaicun.core.params import region_param
from wuzaicun.regions.selectors import regions_for
from wuzaicun.responsibility.selectors import working_year
from wuzaicun.verification.assessment import county_rollup, run_assessment, set_status
from wuzaicun.verification.models import ResultStatus


class Command(BaseCommand):
    help = "年度考核：对范围内每个村、每个乡镇按指标体系计分、排名、评定等次"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（默认：工作年度）")
        parser.add_argument("--region", help="区划代码或其前缀（默认：全部）")
        parser.add_argument("--confirm", action="store_true", help="确认待确认的结果")
        parser.add_argument("--lock", action="store_true", help="锁定已确认的结果")
        parser.add_argument("--json", action="store_true", help="在标准输出打印各县“五在村”专项考核汇总")
        parser.add_argument("--as", dest="as_user")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options["as_user"])
        try:
            region = region_param(options["region"])
            if region is None:
                top = regions_for(actor).order_by("level", "code").values_list("code", flat=True).first()
                if top is None:
                    raise CommandError("系统中还没有区划数据")
                region = top
            year = options["year"] or working_year()
            if options["confirm"] or options["lock"]:
                to = ResultStatus.LOCKED if options["lock"] else ResultStatus.CONFIRMED
                count = set_status(actor=actor, year=year, region_code=region, to=to)
                self.stderr.write(f"已{ResultStatus(to).label} {count} 个考核结果")
                return
            summary = run_assessment(actor=actor, year=year, region_code=region)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        grades = "，".join(f"{g} {n}" for g, n in sorted(summary.grades.items()))
        self.stderr.write(f"{year}年度考核完成：计算 {summary.assessed} 个村和乡镇（{grades}），"
                          f"保留已确认或锁定的 {summary.kept} 个")
        rollup = county_rollup(actor, year=year)
        if options["json"]:
            self.stdout.write(json.dumps({"year": year, "region": region, "grades": dict(summary.grades),
                                          "counties": [{**r, "mean": str(r["mean"])} for r in rollup]},
                                         ensure_ascii=False))
            return
        for row in rollup:
            self.stdout.write(f"  第{row['rank']}名 {row['name']}：平均 {row['mean']} 分（{row['subjects']} 个村和乡镇）")
