"""`wuzaicun year open Y [--due DATE]`, `year working Y`, `year rules Y [--set CODE=N] [--enable CODE]
[--disable CODE] [--json]`: a year of lists set up from a script, as the 规则设置 page does."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user
from wuzaicun.core.errors import DomainError
from wuzaicun.core.text import ParseError, parse_date
from wuzaicun.responsibility.rules import RULES_BY_CODE
from wuzaicun.responsibility.selectors import due_date, get_year, rule_settings, working_year, year_rules
from wuzaicun.responsibility.services import open_year, set_working_year, update_rule


class Command(BaseCommand):
    help = "责任年度：设立年度、设定工作年度、查看和修改规则"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        opening = sub.add_parser("open", help="设立年度责任清单（按默认规则；已设立则只修改截止日期）")
        opening.add_argument("year", type=int)
        opening.add_argument("--due", help="清单截止日期，如 2017-03-01（默认当年3月1日）")
        opening.add_argument("--as", dest="as_user")
        working = sub.add_parser("working", help="设为工作年度：各页面和命令默认打开该年度")
        working.add_argument("year", type=int)
        working.add_argument("--as", dest="as_user")
        rules = sub.add_parser("rules", help="查看或修改该年度的规则")
        rules.add_argument("year", type=int)
        rules.add_argument("--set", action="append", default=[], metavar="CODE=N", help="修改阈值（并启用）")
        rules.add_argument("--enable", action="append", default=[], metavar="CODE", help="启用规则")
        rules.add_argument("--disable", action="append", default=[], metavar="CODE", help="停用规则")
        rules.add_argument("--json", action="store_true", help="在标准输出打印该年度的规则")
        rules.add_argument("--as", dest="as_user")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _open(self, options: dict[str, Any]) -> None:
        due: dt.date | None = None
        if options["due"]:
            try:
                due = parse_date(options["due"])
            except ParseError as exc:
                raise CommandError(f"截止日期“{options['due']}”无效：{exc}") from None
        entry = open_year(actor=acting_user(options["as_user"]), year=options["year"], due=due)
        self.stderr.write(f"已设立{entry.year}年度责任清单，截止日期 {entry.due_date}；工作年度：{working_year()}年")

    def _working(self, options: dict[str, Any]) -> None:
        set_working_year(actor=acting_user(options["as_user"]), year=options["year"])
        self.stderr.write(f"已设{options['year']}年为工作年度")

    def _rules(self, options: dict[str, Any]) -> None:
        year = options["year"]
        if get_year(year) is None:
            raise CommandError(f"{year}年度尚未设立责任清单：先运行 wuzaicun year open {year}")
        changes: dict[str, tuple[bool, int | None]] = {}
        current = rule_settings(year)
        for item in options["set"]:
            code, _, number = item.partition("=")
            if not number.strip().isdigit():
                raise CommandError(f"“{item}”无效：应写作 规则代码=阈值，如 household_helpers_min3=3")
            changes[code.strip()] = (True, int(number))
        for code in options["enable"]:
            changes[code] = (True, changes.get(code, current.get(code, (True, None)))[1])
        for code in options["disable"]:
            changes[code] = (False, current.get(code, (True, None))[1])
        unknown = sorted(set(changes) - set(RULES_BY_CODE))
        if unknown:
            raise CommandError(f"规则代码无效：{'、'.join(unknown)}；可用的代码：{'、'.join(RULES_BY_CODE)}")
        actor = acting_user(options["as_user"])
        for code, (enabled, threshold) in changes.items():
            update_rule(actor=actor, year=year, code=code, enabled=enabled, threshold=threshold)
            self.stderr.write(f"已保存规则 {RULES_BY_CODE[code].title}：{'启用' if enabled else '停用'}"
                              + (f"，阈值 {threshold}" if threshold is not None else ""))
        rows = year_rules(year)
        if options["json"]:
            self.stdout.write(json.dumps({"year": year, "due_date": str(due_date(year)),
                                          "working": year == working_year(), "rules": rows}, ensure_ascii=False))
            return
        for row in rows:
            state = "启用" if row["enabled"] else "停用"
            self.stdout.write(f"{row['code']}\t{state}\t{row['threshold'] if row['threshold'] is not None else '—'}"
                              f"\t{row['title']}")
