"""Benchmark: the country scale (`synth --scale country`) on PostgreSQL — build, memory, size, and the figures read.

    python bench/country.py [--pg-url postgres://postgres@127.0.0.1:5432/wz_country] [--build 64[,37,…]] [--province 64]

`--build P[,P…]` migrates the database and runs `wuzaicun synth --scale country --prefix P` for each prefix in turn, each
a child process of its own (a province, a city or a county of the national tree; provinces already there are
skipped), and prints each one's wall time, rows, maximum resident set size and the step that raised it most (the
third of the nation in docs/scale.md: `--build 64,37,51,41,13`). Then, on whatever the database holds:
- its size (pg_database_size), villages, poor villages, households, people;
- the insert rate of the synth against its limit (COPY of ready-made household rows) and its peer (the ORM's
  `bulk_create` of Household instances), both in a rolled-back transaction;
- the coverage report (`wuzaicun coverage`) and the headline figures (`wuzaicun stats`) over everything built
  (the operator), and the 数据概览 page of one province's user cold and warm, with the limit (a few figures by
  hand-written SQL) and the peer (`compute_stats` uncached) as bench/dashboard.py prints them, and right after a
  committed write to one row of each table a day's work touches (bench/dashboard.py's `after_writes`);
- the national extrapolation: each figure that grows with the households, times the nation's households over
  the households built (the nation's from the national tree and the synth's households per village).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

YEAR = 2016
# registry.synth: households per poor village, other 村 and 社区 (before the random spread, which averages out)
PER_VILLAGE = {"poor": 125, "rural": 30, "community": 8}
GUIZHOU_HOUSEHOLDS = 1_300_000  # province scale, measured (PERFORMANCE.md)


def national_households() -> int:
    from wuzaicun.regions.national import PROVINCES, national_poor_targets

    targets = national_poor_targets()
    total = GUIZHOU_HOUSEHOLDS
    for code, size in PROVINCES.items():
        communities = round(size.villages * size.community_share)
        rural = size.villages - communities
        total += (targets[code] * PER_VILLAGE["poor"] + (rural - targets[code]) * PER_VILLAGE["rural"]
                  + communities * PER_VILLAGE["community"])
    return total


STEP_PEAK = re.compile(r"^\s*(?P<step>[^：…]+)：.*进程内存峰值 (?P<mb>[\d,]+) MB")


def largest_rise(log: str) -> tuple[str, int]:
    """The synth step after which the process's peak memory rose most (its log line's 进程内存峰值), and by how much."""
    best, before = ("", 0), 0
    for line in log.splitlines():
        if (found := STEP_PEAK.match(line)) is not None:
            peak = int(found["mb"].replace(",", ""))
            if before and peak - before > best[1]:
                best = (found["step"].strip(), peak - before)
            before = peak
    return best


def build(prefixes: str) -> None:
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "wuzaicun.manage", "migrate", "--verbosity", "0"], env=env, check=True)
    for prefix in prefixes.split(","):
        started = time.perf_counter()
        with tempfile.TemporaryFile() as log:  # a file, not a pipe: the child never depends on this process reading
            child = subprocess.Popen(
                [sys.executable, "-m", "wuzaicun.manage", "synth", "--scale", "country", "--prefix", prefix.strip()],
                env=env, stdout=subprocess.DEVNULL, stderr=log,
            )
            _, status, usage = os.wait4(child.pid, 0)  # this child's own maximum resident set, not all children's
            child.returncode = os.waitstatus_to_exitcode(status)
            log.seek(0)
            text = log.read().decode("utf-8", "replace")
        seconds = time.perf_counter() - started
        done = [line for line in text.splitlines() if line.startswith("完成") or "跳过" in line]
        step, rise = largest_rise(text)
        print(f"合成 --prefix {prefix}：{seconds:.1f} 秒，子进程最大常驻内存 {usage.ru_maxrss / 1024:.0f} MB"
              f"（内存增长最多的一步：{step or '无'} +{rise} MB）；{'；'.join(done)}", flush=True)
        if child.returncode:
            print(text[-2000:])
            break


def insert_rates(rows: int = 50_000) -> dict[str, float]:
    """Household rows a second into registry_household, each in a rolled-back transaction: `limit`, COPY into an
    index-less copy of the table; `ours`, COPY into the table itself as the synth and the template do (its
    indexes, the generation's and the tallies' triggers, D47); `untallied`, the same with the tally's triggers
    disabled (what they cost); `peer`, the ORM's `bulk_create`."""
    from dashboard import household_sample
    from django.db import connection, transaction

    from wuzaicun.registry.imports import HouseholdSink
    from wuzaicun.registry.models import Household

    columns = HouseholdSink.insert_columns
    sample = household_sample(rows)
    if not sample:
        return {}
    quote = connection.ops.quote_name
    listed = ", ".join(quote(c) for c in columns)

    class Rollback(Exception):
        pass

    def copy(table: str, *before: str) -> float:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in before:
                    cursor.execute(statement)
                started = time.perf_counter()
                with cursor.cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as stream:
                    for row in sample:
                        stream.write_row(row)
                cursor.execute("SELECT 1")  # the statement triggers have run
                seconds = time.perf_counter() - started
                raise Rollback
        except Rollback:
            return len(sample) / seconds

    def orm() -> float:
        objects = [Household(**dict(zip(columns, row, strict=True))) for row in sample[:10_000]]
        try:
            with transaction.atomic():
                started = time.perf_counter()
                Household.objects_unscoped.bulk_create(objects, batch_size=2000)
                seconds = time.perf_counter() - started
                raise Rollback
        except Rollback:
            return len(objects) / seconds

    table = quote("registry_household")
    return {
        "limit": copy("bench_households", f"CREATE TEMP TABLE bench_households (LIKE {table} INCLUDING DEFAULTS "
                      "INCLUDING IDENTITY) ON COMMIT DROP"),
        "ours": copy(table),
        "untallied": copy(table, *(f"ALTER TABLE {table} DISABLE TRIGGER wztally_registry_householdtally_{op}"
                                   for op in "iudt")),
        "peer": orm(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/wz_country")
    parser.add_argument("--build", help="先依次生成这些前缀（省/市/县，逗号分隔）的全国规模合成数据")
    parser.add_argument("--province", default="64", help="数据概览计时所用省级用户的省代码（默认 64）")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.pg_url
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")
    if args.build:
        build(args.build)
    import django

    django.setup()
    from dashboard import after_writes, bench_user, best, hand_sql, page, print_count_ways
    from django.db import connection

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.insight.figures import compute_stats
    from wuzaicun.regions.models import Level, Region, VillageYear
    from wuzaicun.registry.models import Household, Person
    from wuzaicun.responsibility.coverage import coverage_report

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size_mb = cursor.fetchone()[0] / 2**20
    households = Household.objects_unscoped.count()
    nation = national_households()
    factor = nation / households if households else 0.0
    villages = Region.objects_unscoped.filter(level=Level.VILLAGE).count()
    poor = VillageYear.objects_unscoped.filter(year=YEAR, is_poor=True).count()
    print(f"数据库：{args.pg_url.rsplit('/', 1)[-1]}，{size_mb:,.0f} MB；村 {villages:,}，{YEAR}年贫困村 {poor:,}，"
          f"贫困户 {households:,}，人员 {Person.objects_unscoped.count():,}")
    print(f"全国推算：贫困户约 {nation:,}，为已建的 {factor:.1f} 倍 → 数据库约 {size_mb * factor / 1024:,.0f} GB")

    rates = insert_rates()
    print(f"写入速度（贫困户表，5 万行，回滚）：本系统 COPY（含索引、数据代次与计数汇总触发器）{rates['ours']:,.0f} 行/秒，"
          f"停用计数汇总触发器 {rates['untallied']:,.0f} 行/秒（触发器代价 {rates['untallied'] / rates['ours'] - 1:.0%}）；"
          f"极限 COPY 入无索引表 {rates['limit']:,.0f} 行/秒；同类 ORM bulk_create {rates['peer']:,.0f} 行/秒")

    started = time.perf_counter()
    report = coverage_report(OPERATOR, year=YEAR)
    coverage_s = time.perf_counter() - started
    print(f"覆盖检查（全部已建数据）：{coverage_s:.1f} 秒，{len(report.gaps)} 项缺口 → 全国约 {coverage_s * factor:.0f} 秒")
    stats_ms, stats_q = best(lambda: compute_stats(OPERATOR, year=YEAR), 1)
    print(f"核心数字 wuzaicun stats（全部已建数据）：{stats_ms / 1000:.1f} 秒（{stats_q} 条查询）"
          f" → 全国约 {stats_ms / 1000 * factor:.0f} 秒")
    (hand, hq), (sel, sq) = hand_sql("")
    print(f"  六项村户数字：极限 手写 SQL {hand:.0f} ms（{hq}），经 selectors {sel:.0f} ms（{sq}）")

    code = args.province.ljust(12, "0")
    user = bench_user(f"bench_country_{args.province}", code)
    (cold, cq), (warm, wq), (peer_ms, pq) = page(user)
    (hand, hq), _ = hand_sql(args.province)
    name = Region.objects_unscoped.get(code=code).name
    print(f"{name}数据概览：冷 {cold:.0f} ms（{cq}）热 {warm:.1f} ms（{wq}）；同类 compute_stats 不缓存 {peer_ms:.0f} ms"
          f"（{pq}）；极限 手写 SQL {hand:.0f} ms（{hq}）；比值 冷/同类 {cold / peer_ms:.2f}，冷/极限 {cold / hand:.1f}")
    for what, ms, queries in after_writes(user):
        print(f"  写入{what}之后 {ms:.0f} ms（{queries}）；比值 写后/冷 {ms / cold:.3f}")
    print_count_ways(args.province)


if __name__ == "__main__":
    main()
