"""`wuzaicun synth --scale city|province [--seed N] [--year Y]`: generate a consistent synthetic data set."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import require_migrated
from wuzaicun.core.errors import DomainError
from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import SCALE_LABELS, SCALES, generate, registered_steps


class Command(BaseCommand):
    help = "生成一套前后一致的合成数据（区划、村情、贫困户、单位、人员、领导班子……）：市级为遵义市，省级为贵州省，全国为31个省级行政区（贵州为真实区划，其余为合成区划）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", required=True, choices=list(SCALES), help="city：遵义市；province：贵州省；country：全国（逐省生成、逐省提交，已生成的省跳过）")
        parser.add_argument("--seed", type=int, default=2016, help="随机种子：同一种子生成同样的数据（默认 2016）")
        parser.add_argument("--year", type=int, default=2016, help="年度（默认 2016）")
        parser.add_argument(
            "--prefix", help="只生成此前缀下的数据，须为所选规模之内的市（4位）或县（6位）前缀，如 520302；全国规模可为省（2位）前缀"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not registered_steps():
            raise CommandError("没有登记任何合成数据步骤（各应用应在 AppConfig.ready() 中导入其 synth 模块）")
        require_migrated()
        scale: str = options["scale"]
        self.stderr.write(
            f"生成合成数据：{SCALE_LABELS[scale]}，{options['year']}年，种子 {options['seed']}"
            + (f"，区划前缀 {options['prefix']}" if options["prefix"] else "")
        )
        started = time.perf_counter()
        try:
            ctx, _ = generate(
                actor=OPERATOR, scale=scale, seed=options["seed"], year=options["year"], prefix=options["prefix"],
                log=self.stderr.write,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write("写入的表（行数，插入用时）：")
        for table, count in ctx.rows.items():
            self.stderr.write(f"  {table:<36} {count:>10,} 行  {ctx.seconds[table]:6.1f} 秒")
        self.stderr.write(f"完成，共 {sum(ctx.rows.values()):,} 行，用时 {time.perf_counter() - started:.1f} 秒")
