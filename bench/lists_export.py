"""Benchmark: the 五张责任清单 workbook (导出责任清单, `wuzaicun lists`) on a demo database.

    WUZAICUN_DATA_DIR=DIR python bench/lists_export.py [--year 2016] [--region 520300000000]   (SQLite in DIR)
    DATABASE_URL=postgres://…/DB python bench/lists_export.py

Uses a database built with `wuzaicun synth --scale city` (or `wuzaicun demo --no-serve`). Times, as the server's
operator or the `--as` user: the count the page makes to choose between the request and 下载中心, the rows alone (the five queries,
read to the end), and the whole workbook (`export_lists`, which also writes its audit row), best of `--repeat`.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from report import timed  # noqa: E402  (best of `repeat` after a warm-up, with the queries of the last run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2016)
    parser.add_argument("--region", default="520300000000", help="区划代码（默认：遵义市）")
    parser.add_argument("--as", dest="as_user", help="以该用户的管辖范围导出（默认：服务器操作员）")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")
    import django

    django.setup()
    from django.db import connection

    from wuzaicun.core.commands import acting_user
    from wuzaicun.responsibility import exports
    from wuzaicun.responsibility.duties import ListKind
    from wuzaicun.responsibility.selectors import count_entries, list_rows

    user, year, region = acting_user(args.as_user), args.year, args.region
    print(f"数据库：{connection.vendor}，年度 {year}，区域 {region}，用户 {args.as_user or '服务器操作员'}")
    seconds, queries, total = timed(lambda: count_entries(user, year=year, region=region), repeat=args.repeat)
    print(f"  条目数（count_entries）       {seconds:7.2f} s  {queries:3d} 条查询  {total:,} 条")

    def rows() -> int:
        count = 0
        for kind in ListKind:
            for _row in list_rows(user, year=year, kind=kind.value, region=region).iterator(chunk_size=2000):
                count += 1
        return count

    seconds, queries, total = timed(rows, repeat=args.repeat)
    print(f"  其中：读取五张清单的条目      {seconds:7.2f} s  {queries:3d} 条查询  {total:,} 条")

    def whole() -> int:
        out = io.BytesIO()
        exports.export_lists(actor=user, year=year, region=region, area_name="遵义市", target=out)
        return len(out.getvalue())

    seconds, queries, size = timed(whole, repeat=args.repeat)
    print(f"  整个工作簿（export_lists）    {seconds:7.2f} s  {queries:3d} 条查询  文件 {size / 1024:,.0f} KB")


if __name__ == "__main__":
    main()
