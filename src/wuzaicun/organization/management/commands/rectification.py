"""`wuzaicun rectification propose --year Y [--region CODE] [--count N] [--save] [--json]`, `adjust`, `confirm`,
`weights`, `carry-over`: a year of 软弱涣散党组织倒排整顿 scripted as the pages do it."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import acting_user
from wuzaicun.core.errors import DomainError
from wuzaicun.core.params import region_param
from wuzaicun.organization.rules.rectification import DEFAULT_COUNT, INDICATORS_BY_CODE, Weight
from wuzaicun.organization.selectors.rectification import (
    compute_ranking,
    ranking_weights,
    rounds_for,
    weight_rows,
)
from wuzaicun.organization.services.rectification import (
    adjust_pick,
    carry_over_open_cases,
    confirm_round,
    propose_round,
    set_weights,
)
from wuzaicun.responsibility.selectors import working_year


class Command(BaseCommand):
    help = "软弱涣散党组织倒排整顿：提出倒排名单、调整、确认、设置指标权重、年终结转"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        proposing = sub.add_parser("propose", help="按指标倒排，列出倒排名单（加 --save 保存为待确认名单）")
        self._common(proposing)
        proposing.add_argument("--count", type=int, default=None, help=f"倒排数量（默认 {DEFAULT_COUNT}）")
        proposing.add_argument("--save", action="store_true", help="保存为待确认的倒排名单（不加则只打印，不保存）")
        proposing.add_argument("--all", action="store_true", help="打印全部村党组织的排名（默认只打印倒排名单）")
        proposing.add_argument("--json", action="store_true")
        adjusting = sub.add_parser("adjust", help="调整待确认名单：列入或移出一个村（须填写理由）")
        self._common(adjusting)
        adjusting.add_argument("--village", required=True, help="村的12位区划代码")
        which = adjusting.add_mutually_exclusive_group(required=True)
        which.add_argument("--add", action="store_true", help="列入整顿名单")
        which.add_argument("--remove", action="store_true", help="移出整顿名单")
        adjusting.add_argument("--reason", required=True, help="调整理由")
        confirming = sub.add_parser("confirm", help="确认倒排名单，为名单中的村建立整顿案例")
        self._common(confirming)
        weighting = sub.add_parser("weights", help="查看或设置年度排名指标权重")
        weighting.add_argument("--year", type=int)
        weighting.add_argument("--set", action="append", default=[], metavar="CODE=W", help="设置权重，如 democratic_score=25")
        weighting.add_argument("--enable", action="append", default=[], metavar="CODE")
        weighting.add_argument("--disable", action="append", default=[], metavar="CODE")
        weighting.add_argument("--json", action="store_true")
        weighting.add_argument("--as", dest="as_user")
        carrying = sub.add_parser("carry-over", help="年终结转：未转化的村下一年度仍为软弱涣散")
        self._common(carrying)

    @staticmethod
    def _common(parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（默认：工作年度）")
        parser.add_argument("--region", help="排名范围的区划代码或其前缀（默认：您的管辖范围）")
        parser.add_argument("--as", dest="as_user")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action'].replace('-', '_')}")(options, acting_user(options["as_user"]))
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _propose(self, options: dict[str, Any], actor: Any) -> None:
        year = options["year"] or working_year()
        region = region_param(options["region"]) or _top_region(actor)
        count = options["count"] if options["count"] is not None else DEFAULT_COUNT
        if options["save"]:
            round_ = propose_round(actor=actor, year=year, region_code=region, count=count)
            self.stderr.write(f"已保存{year}年度倒排名单（编号 {round_.pk}），待调整后确认")
        ranking = compute_ranking(actor, year=year, region=region, count=count)
        if not ranking.rows:
            raise CommandError("该范围内没有村党组织")
        if count > len(ranking.rows):
            self.stderr.write(f"倒排数量 {count} 超过参与排名的村党组织数 {len(ranking.rows)}")
        if ranking.skipped:
            self.stderr.write("未启用的指标（模块未安装），已跳过：" + "、".join(INDICATORS_BY_CODE[c].title for c in ranking.skipped))
        limit = None if options["all"] else count
        self.stderr.write(f"{year}年度共 {len(ranking.rows)} 个村党组织参与排名，倒排 {min(count, len(ranking.rows))} 个"
                          + ("" if options["save"] else "（未保存；加 --save 保存为待确认名单）"))
        if options["json"]:
            self.stdout.write(json.dumps(ranking.as_json(limit=limit), ensure_ascii=False))
            return
        titles = [INDICATORS_BY_CODE[c].title for c in ranking.used]
        self.stdout.write("\t".join(["倒排名次", "区划代码", "村", "综合得分", *titles]))
        for row in ranking.rows[:limit]:
            cells = ["—" if row.values.get(c) is None else str(row.values[c]) for c in ranking.used]
            self.stdout.write("\t".join([str(row.rank), row.code, ranking.names.get(row.code, ""), str(row.score), *cells]))

    def _round(self, options: dict[str, Any], actor: Any) -> Any:
        year = options["year"] or working_year()
        region = region_param(options["region"]) or _top_region(actor)
        round_ = rounds_for(actor, year=year).filter(region_id=region).first()
        if round_ is None:
            raise CommandError(f"{year}年度该范围（{region}）尚未提出倒排名单")
        return round_

    def _adjust(self, options: dict[str, Any], actor: Any) -> None:
        round_ = self._round(options, actor)
        pick = adjust_pick(actor=actor, round_id=round_.pk, village_code=options["village"], selected=options["add"],
                           reason=options["reason"])
        self.stderr.write(f"已将{pick.village.name}{'列入' if options['add'] else '移出'}整顿名单")

    def _confirm(self, options: dict[str, Any], actor: Any) -> None:
        round_ = self._round(options, actor)
        made = confirm_round(actor=actor, round_id=round_.pk)
        self.stdout.write(str(made))
        self.stderr.write(f"已确认{round_.year}年度整顿名单，新建整顿案例 {made} 个")

    def _weights(self, options: dict[str, Any], actor: Any) -> None:
        year = options["year"] or working_year()
        if options["set"] or options["enable"] or options["disable"]:
            current = {w.code: w for w in ranking_weights(year)}
            for item in options["set"]:
                code, _, raw = item.partition("=")
                _known(code)
                try:
                    value = Decimal(raw)
                except ArithmeticError:
                    raise CommandError(f"权重“{raw}”不是数字") from None
                current[code] = Weight(code, value, current[code].enabled)
            for code, flag in [(c, True) for c in options["enable"]] + [(c, False) for c in options["disable"]]:
                _known(code)
                current[code] = Weight(code, current[code].weight, flag)
            set_weights(actor=actor, year=year, weights=list(current.values()))
            self.stderr.write(f"已保存{year}年度倒排指标权重")
        rows = weight_rows(year)
        if options["json"]:
            self.stdout.write(json.dumps({"year": year, "indicators": [
                {**r, "weight": str(r["weight"]), "default_weight": str(r["default_weight"])} for r in rows]},
                ensure_ascii=False))
            return
        for r in rows:
            state = "启用" if r["enabled"] else "停用"
            missing = "" if r["available"] else "（模块未安装，跳过）"
            self.stdout.write(f"{r['code']}\t{r['title']}\t{r['weight']}\t{state}{missing}")

    def _carry_over(self, options: dict[str, Any], actor: Any) -> None:
        year = options["year"] or working_year()
        count = carry_over_open_cases(actor=actor, year=year, region_code=region_param(options["region"]))
        self.stdout.write(str(count))
        self.stderr.write(f"{year}年度未转化的整顿案例 {count} 个，所在村{year + 1}年度仍标记为软弱涣散")


def _known(code: str) -> None:
    if code not in INDICATORS_BY_CODE:
        raise CommandError(f"没有名为“{code}”的排名指标，可选：{'、'.join(INDICATORS_BY_CODE)}")


def _top_region(actor: Any) -> str:
    from wuzaicun.regions.selectors import regions_for

    top = regions_for(actor).order_by("level", "code").values_list("code", flat=True).first()
    if top is None:
        raise CommandError("系统中还没有区划数据")
    return top
