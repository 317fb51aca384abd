"""`wuzaicun guarantees standards [--year Y] [--set CODE=VALUE ...] [--json] [--as USER]`: the year's
组织保障 standards, read or set from a script as the 保障标准 page does."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user
from wuzaicun.core.errors import DomainError
from wuzaicun.organization.rules.guarantees import STANDARDS_BY_CODE
from wuzaicun.organization.selectors.guarantees import standard_rows
from wuzaicun.organization.services.guarantees import set_standards
from wuzaicun.responsibility.selectors import working_year


class Command(BaseCommand):
    help = "组织保障标准：查看或设置某年度的标准（默认工作年度）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        standards = sub.add_parser("standards", help="查看或设置年度组织保障标准")
        standards.add_argument("--year", type=int)
        standards.add_argument("--set", action="append", default=[], metavar="CODE=VALUE",
                               help=f"设置标准值，CODE 为 {'、'.join(STANDARDS_BY_CODE)}")
        standards.add_argument("--json", action="store_true", help="在标准输出打印该年度的标准")
        standards.add_argument("--as", dest="as_user")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or working_year()
        values: dict[str, Decimal] = {}
        for item in options["set"]:
            code, _, raw = item.partition("=")
            try:
                values[code.strip()] = Decimal(raw.strip())
            except InvalidOperation:
                raise CommandError(f"“{item}”无效，应写作 CODE=数值，如 cadre_monthly_pay=2200") from None
        try:
            if values:
                set_standards(actor=acting_user(options["as_user"]), year=year, values=values)
                self.stderr.write(f"已设置{year}年组织保障标准")
        except DomainError as exc:
            raise CommandError(exc.message) from None
        rows = standard_rows(year)
        if options["json"]:
            self.stdout.write(json.dumps({"year": year, "standards": [
                {**r, "value": str(r["value"]), "default": str(r["default"])} for r in rows]}, ensure_ascii=False))
            return
        for r in rows:
            source = "本年度设置" if r["configured"] else "默认"
            self.stderr.write(f"{r['code']}\t{r['title']}{r['comparison']}{r['value']}{r['unit']}（{source}）")
