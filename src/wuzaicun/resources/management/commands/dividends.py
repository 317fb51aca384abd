"""`wuzaicun dividends ENTITY --year Y --total AMOUNT [--dry-run] [--json] [--as USER]`: split an entity's 三变
dividend for a year by shares, to the fen (largest remainder, docs/resources.md), as the entity's page does."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user
from wuzaicun.core.errors import DomainError
from wuzaicun.registry.selectors import households_for
from wuzaicun.resources.selectors.shares import find_share_entity
from wuzaicun.resources.services.shares import split_dividend
from wuzaicun.responsibility.selectors import working_year


class Command(BaseCommand):
    help = "三变分红：按股份把某实体某年度的分红总额分到各股东（精确到分）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entity", help="实体：统一社会信用代码、实体名称，或“村名/实体名称”")
        parser.add_argument("--year", type=int, help="年度（默认工作年度）")
        parser.add_argument("--total", required=True, help="分红总额（元），如 125000.00")
        parser.add_argument("--dry-run", action="store_true", help="只计算不保存")
        parser.add_argument("--json", action="store_true", help="在标准输出打印分配结果")
        parser.add_argument("--as", dest="as_user")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options["as_user"])
        year = options["year"] or working_year()
        try:
            total = Decimal(options["total"].replace(",", ""))
        except InvalidOperation:
            raise CommandError(f"分红总额“{options['total']}”应为金额，如 125000.00") from None
        try:
            entity = find_share_entity(actor, options["entity"])
            plan = split_dividend(actor=actor, entity_id=entity.pk, year=year, total=total,
                                  dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        # every holder is a household of the entity's village (add_contribution): one query, never 100,000 ids
        holders = {h.pk: h for h in households_for(actor).filter(region_id=entity.village_id)
                   .select_related(None).only("head_name", "resident_id_masked")}
        parts = [{"holder": f"{holders[h].head_name}户" if h else "村集体",
                  "resident_id_masked": holders[h].resident_id_masked if h else "",
                  "shares": str(shares), "amount": str(part)} for h, shares, part in plan.parts]
        saved = plan.dividend is not None
        if options["json"]:
            self.stdout.write(json.dumps({
                "entity": entity.name, "village_code": entity.village_id, "year": year, "total": str(plan.total),
                "total_shares": str(plan.total_shares), "holders": plan.holders, "saved": saved, "parts": parts,
            }, ensure_ascii=False))
            return
        for p in parts:
            self.stdout.write(f"{p['holder']}\t{p['resident_id_masked']}\t{p['shares']}\t{p['amount']}")
        state = "已保存" if saved else "预览，未保存"
        self.stderr.write(f"{entity.village.name}“{entity.name}”{year}年度分红{plan.total}元，"
                          f"按{plan.total_shares}股分给{plan.holders}个股东（{state}）")
