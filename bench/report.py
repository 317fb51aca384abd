"""Benchmark: the annual report (`wuzaicun report`, the 下载年度报告 button) on a demo database.

    DATABASE_URL=postgres://…/DB python bench/report.py [--year 2016] [--region 520300000000]
    WUZAICUN_DATA_DIR=DIR python bench/report.py            (SQLite in DIR)

Uses a database already built with `wuzaicun demo --no-serve` or `wuzaicun synth --scale city|province`. Times the
whole report (`write_report`, as the server's operator, for the city by default), best of three after a warm-up,
with its number of SQL queries and the size of the file; then, as its peer, the figures alone (`stats_for_user`:
what the overview computes) and the report's other parts one by one (figures by area, charts, the document).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def timed(run: Callable[[], Any], *, repeat: int = 3) -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = run()  # warm-up (the first run also loads matplotlib and its font list)
    best = float("inf")
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = run()
            best = min(best, time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return best, queries, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2016)
    parser.add_argument("--region", default="520300000000", help="区划代码（默认：遵义市）")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.insight.report import report_area, write_report
    from wuzaicun.insight.report.areas import figures_by_area
    from wuzaicun.insight.report.content import Chart, build
    from wuzaicun.insight.report.document import write_docx
    from wuzaicun.insight.selectors import stats_for_user

    user, year, region = OPERATOR, args.year, args.region
    area = report_area(user, region)
    print(f"数据库：{connection.vendor}，年度 {year}，区域 {area.name if area else '全部'}")

    def whole() -> int:
        out = io.BytesIO()
        write_report(user, year=year, region=region, out=out)
        return len(out.getvalue())

    seconds, queries, size = timed(whole, repeat=args.repeat)
    print(f"  年度报告（write_report）      {seconds:7.2f} s  {queries:3d} 条查询  文件 {size / 1024:,.0f} KB")
    seconds, queries, stats = timed(lambda: stats_for_user(user, year=year, region=region), repeat=args.repeat)
    print(f"  对照：数据概览各项数据        {seconds:7.2f} s  {queries:3d} 条查询")
    assert area is not None
    seconds, queries, breakdown = timed(lambda: figures_by_area(user, year=year, parent=area), repeat=args.repeat)
    print(f"  其中：分地区数据              {seconds:7.2f} s  {queries:3d} 条查询  {len(breakdown.rows) if breakdown else 0} 个地区")
    report = build(stats, place=area.name, breakdown=breakdown, today=timezone.localdate())
    charts = [block for block in report.blocks if isinstance(block, Chart)]
    seconds, _, _ = timed(lambda: [chart.draw() for chart in charts], repeat=args.repeat)
    print(f"  其中：绘制图表（{len(charts)} 张）        {seconds:7.2f} s")
    seconds, _, _ = timed(lambda: write_docx(report, io.BytesIO()), repeat=args.repeat)
    print(f"  其中：生成文档（含图表）      {seconds:7.2f} s")


if __name__ == "__main__":
    main()
