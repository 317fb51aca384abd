"""`wuzaicun spotcheck draw --quarter 2016Q3 [--rate 0.10] [--region CODE] [--witness USER]`, `witness PLAN
--value TEXT`, `close PLAN`, `void PLAN --reason TEXT`, `verify PLAN [--json]`."""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user
from wuzaicun.core.errors import DomainError
from wuzaicun.core.params import region_param
from wuzaicun.verification.services import (
    close_plan,
    draw_spot_check_plan,
    parse_quarter,
    verify_plan,
    void_plan,
    witness_plan,
)


class Command(BaseCommand):
    help = "季度暗访抽查（1个10%）：抽取、结束、验证"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        drawing = sub.add_parser("draw", help="抽取本季度抽查计划")
        drawing.add_argument("--quarter", required=True, help="如 2016Q3")
        drawing.add_argument("--rate", default="0.10", help="抽查比例，不低于 0.10")
        drawing.add_argument("--region", help="区划代码或其前缀（默认：全部）")
        drawing.add_argument("--exclude-checked", action="store_true", help="排除本年已结束计划抽中的条目")
        drawing.add_argument("--witness", help="见证人的用户名：见证人提交随机数后才生成抽中名单")
        drawing.add_argument("--as", dest="as_user")
        witnessing = sub.add_parser("witness", help="见证人提交随机数，生成抽中名单")
        witnessing.add_argument("plan", type=int)
        witnessing.add_argument("--value", required=True, help="见证人自己产生的随机数（如掷骰子的结果）")
        witnessing.add_argument("--as", dest="as_user", required=True, help="见证人的用户名")
        closing = sub.add_parser("close", help="结束抽查计划并公开种子")
        closing.add_argument("plan", type=int)
        closing.add_argument("--as", dest="as_user")
        voiding = sub.add_parser("void", help="作废抽查计划（公开种子和原因）")
        voiding.add_argument("plan", type=int)
        voiding.add_argument("--reason", required=True, help="作废原因（将公开）")
        voiding.add_argument("--as", dest="as_user")
        verifying = sub.add_parser("verify", help="用公开的种子重新抽取并核对")
        verifying.add_argument("plan", type=int)
        verifying.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _draw(self, options: dict[str, Any]) -> None:
        year, quarter = parse_quarter(options["quarter"])
        try:
            rate = Decimal(options["rate"])
        except InvalidOperation:
            raise CommandError(f"抽查比例“{options['rate']}”不是数字") from None
        actor = acting_user(options["as_user"])
        region = region_param(options["region"]) or _top_region(actor)
        witness_id = acting_user(options["witness"]).pk if options["witness"] else None
        plan = draw_spot_check_plan(actor=actor, year=year, quarter=quarter, rate=rate, region_code=region,
                                    exclude_checked=options["exclude_checked"], witness_id=witness_id)
        self.stdout.write(str(plan.pk))
        waiting = "，见证人提交随机数后生成名单" if plan.witness_id else ""
        self.stderr.write(f"已抽取{plan.label}抽查计划（{plan.number}）：总体 {plan.population_size} 条，抽中 "
                          f"{plan.pick_count} 条（名单保密{waiting}）。种子承诺值 SHA-256：{plan.seed_commitment}；"
                          f"总体哈希：{plan.population_hash}")

    def _witness(self, options: dict[str, Any]) -> None:
        plan = witness_plan(actor=acting_user(options["as_user"]), plan_id=options["plan"],
                            contribution=options["value"])
        self.stderr.write(f"已提交见证随机数，{plan.label}抽查计划（{plan.number}）的抽中名单已生成（保密）")

    def _void(self, options: dict[str, Any]) -> None:
        plan = void_plan(actor=acting_user(options["as_user"]), plan_id=options["plan"], reason=options["reason"])
        self.stderr.write(f"已作废{plan.label}抽查计划（{plan.number}），公开种子：{plan.revealed_seed}")

    def _close(self, options: dict[str, Any]) -> None:
        plan = close_plan(actor=acting_user(options["as_user"]), plan_id=options["plan"])
        self.stderr.write(f"已结束{plan.label}抽查计划（{plan.number}），公开种子：{plan.revealed_seed}")

    def _verify(self, options: dict[str, Any]) -> None:
        result = verify_plan(plan_id=options["plan"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        for problem in result.problems:
            self.stderr.write(f"验证失败：{problem}")
        if not result.ok:
            sys.exit(1)
        self.stderr.write(f"验证通过：抽查计划（计划编号 {result.plan_id}）的承诺值、总体哈希和抽中名单均与公开的种子一致")


def _top_region(actor: Any) -> str:
    from wuzaicun.regions.selectors import regions_for

    top = regions_for(actor).order_by("level", "code").values_list("code", flat=True).first()
    if top is None:
        raise CommandError("系统中还没有区划数据")
    return top
