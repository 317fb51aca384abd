"""Benchmark: the 数据概览 page (`/insight/`) cold and warm, against its limit and its peer.

    python bench/dashboard.py --pg-url postgres://postgres@127.0.0.1:5432/DB [--scale city|province]
    python bench/dashboard.py --data-dir DIR [--scale city|province]              (SQLite in DIR)

Builds the synthetic data set of the scale (`synth --scale S --seed 2016 --year 2016`) when the database does
not hold it yet (migrating first), else reuses it. Then, through Django's test client (server time only: the
middleware, the view, the template; no network), for the city user (遵义市) and, at province scale, the
province user (贵州省):
- cold: the cache emptied before each request, best of 3 — the figures computed;
- warm: the same request again, best of 5 — the figures from the cache;
- after a write: a committed write to one row of a table a day's work touches (a household, a ledger line, a
  finding, a dispatch, a pairing, an entity), then the request, best of 3 — only the parts that read it computed;
each with its number of SQL queries. Beside them:
- the limit: reading the tables' generations alone (the one query a warm request cannot avoid), and a few
  figures by the best hand-written SQL against the same figures through the selectors;
- the peer: `compute_stats` uncached (what the page cost before the cache);
- the cost of the generation's triggers on a 100,000-row bulk insert and on 2,000 single-row statements
  (a scratch table with and without the trigger, in a transaction rolled back).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

YEAR = 2016
UNIVERSE = {"city": "5203", "province": "52"}
USERS = {"city": ("bench_city", "520300000000", "遵义市"), "province": ("bench_province", "520000000000", "贵州省")}


def best(run: Callable[[], Any], times: int, before: Callable[[], None] | None = None) -> tuple[float, int]:
    """Best wall time (ms) of `times` runs, and the number of queries of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fastest = float("inf")
    queries = 0
    for _ in range(times):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            run()
            fastest = min(fastest, time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return fastest * 1000, queries


def ensure_data(scale: str) -> None:
    from django.core.management import call_command

    from wuzaicun.regions.models import VillageYear

    call_command("migrate", interactive=False, verbosity=0)
    have = VillageYear.objects_unscoped.filter(year=YEAR, village__code__startswith=UNIVERSE[scale]).count()
    # Guizhou: about 18,000 villages; Zunyi alone 2,093
    if have < (10_000 if scale == "province" else 2_000):
        print(f"生成合成数据（{scale}），可能需要较长时间……", flush=True)
        started = time.perf_counter()
        call_command("synth", scale=scale, seed=2016, year=YEAR, verbosity=0)
        print(f"  完成：{time.perf_counter() - started:.0f} 秒", flush=True)


def bench_user(username: str, scope: str) -> Any:
    from wuzaicun.accounts.models import User

    user = User.objects_unscoped.filter(username=username).first()
    if user is None:
        user = User.objects_unscoped.create(username=username, role="leader", scope_id=scope, full_name=username)
    return user


def page(user: Any) -> tuple[tuple[float, int], tuple[float, int], tuple[float, int]]:
    """(cold, warm, peer) for the overview of the user's whole scope."""
    from django.core.cache import cache
    from django.test import Client

    from wuzaicun.insight.figures import compute_stats

    client = Client()
    client.force_login(user)

    def get() -> None:
        response = client.get("/insight/", {"year": YEAR})
        assert response.status_code == 200, response.status_code

    get()  # warm-up: templates, the session, the connection
    cold = best(get, 3, before=cache.clear)
    get()
    warm = best(get, 5)
    peer = best(lambda: compute_stats(user, year=YEAR), 3)
    return cold, warm, peer


# A committed write to one row of each (what a day's form saves touch): the next overview recomputes only the
# parts whose queries read that table (docs/insight.md, I47).
WRITES = {
    "registry_household": "一户的信息",
    "responsibility_ledgerline": "责任台账一行",
    "verification_finding": "抽查发现的问题",
    "cadres_dispatch": "一名驻村干部",
    "resources_kinpairing": "一对干群结亲",
    "organization_collectiveentity": "一个村集体经济实体",
}


def after_writes(user: Any) -> list[tuple[str, float, int]]:
    """(what, best ms, queries) of the overview right after a committed write to one row of each table."""
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get("/insight/", {"year": YEAR})  # everything cached
    out = []
    for table, what in WRITES.items():
        def write(table: str = table) -> None:
            with connection.cursor() as cursor:  # autocommit: committed at once
                cursor.execute(f"UPDATE {table} SET id = id WHERE id = (SELECT MIN(id) FROM {table})")  # noqa: S608

        ms, queries = best(lambda: client.get("/insight/", {"year": YEAR}), 3, before=write)
        out.append((what, ms, queries))
    return out


def hand_sql(prefix: str) -> tuple[tuple[float, int], tuple[float, int]]:
    """A few figures (村, 贫困村, 当年出列, 建档立卡贫困户, 当年脱贫, 年末未脱贫) by hand-written SQL (the households
    from their tally, D47), and the same through the selectors the page uses, for a region prefix."""
    from django.db import connection

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.regions.selectors import village_year_counts
    from wuzaicun.registry.selectors import household_year_counts

    low, high = prefix, prefix + ":"  # the code range of the prefix (regions.lookups.Within)

    def by_hand() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE is_poor), count(*) FILTER (WHERE is_poor AND exit_year = %s) "
                "FROM regions_villageyear WHERE year = %s AND village_id >= %s AND village_id < %s"
                if connection.vendor == "postgresql" else
                "SELECT count(*), sum(is_poor), sum(is_poor AND exit_year = %s) FROM regions_villageyear "
                "WHERE year = %s AND village_id >= %s AND village_id < %s", [YEAR, YEAR, low, high])
            cursor.fetchone()
            cursor.execute(  # the households' tally (D47), as the selectors read it
                "SELECT sum(n), sum(CASE WHEN exit_year = %s THEN n ELSE 0 END), "
                "sum(CASE WHEN exit_year = 0 OR exit_year > %s THEN n ELSE 0 END) "
                "FROM registry_householdtally WHERE identified_year <= %s AND village_id >= %s AND village_id < %s",
                [YEAR, YEAR, YEAR, low, high])
            cursor.fetchone()

    region = None if prefix in ("52", "") else prefix.ljust(12, "0")

    def selectors() -> None:
        village_year_counts(OPERATOR, year=YEAR, region=region)
        household_year_counts(OPERATOR, year=YEAR, region=region)

    return best(by_hand, 5), best(selectors, 5)


def trigger_cost() -> list[tuple[str, float, float]]:
    """(what, ms without the trigger, ms with it): a scratch table like a business one, in a rolled-back
    transaction, with the generation trigger this database uses."""
    from django.db import connection, transaction

    from wuzaicun.core import generation
    from wuzaicun.tabular.bulk import insert_rows

    rows = [(f"名称{i}", i, i * 1.5) for i in range(100_000)]
    out: list[tuple[str, float, float]] = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in ("bench_plain", "bench_bumped"):
                cursor.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, a varchar(50), b integer, c real)")
            cursor.execute(f"INSERT INTO {generation.TABLES} (name, slot, n) VALUES ('bench_bumped', 0, 0)")  # noqa: S608
            for statement in generation.trigger_sql(connection, "bench_bumped"):
                cursor.execute(statement)
        timings: dict[str, dict[str, float]] = {"bulk": {}, "single": {}}
        for table in ("bench_plain", "bench_bumped", "bench_plain", "bench_bumped"):  # twice each: keep the best
            numbered = [(i, *row) for i, row in enumerate(rows)]
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            start = time.perf_counter()
            insert_rows(table, ("id", "a", "b", "c"), numbered)
            ms = (time.perf_counter() - start) * 1000
            timings["bulk"][table] = min(ms, timings["bulk"].get(table, ms))
            with connection.cursor() as cursor:
                start = time.perf_counter()
                for i in range(2_000):
                    cursor.execute(f"UPDATE {table} SET b = b + 1 WHERE id = %s", [i])  # noqa: S608
                ms = (time.perf_counter() - start) * 1000
            timings["single"][table] = min(ms, timings["single"].get(table, ms))
        transaction.set_rollback(True)
    out.append(("100,000 行批量插入（COPY / executemany）", timings["bulk"]["bench_plain"], timings["bulk"]["bench_bumped"]))
    out.append(("2,000 条单行 UPDATE（同一事务）", timings["single"]["bench_plain"], timings["single"]["bench_bumped"]))
    return out


def household_sample(rows: int) -> list[tuple[Any, ...]]:
    """Up to `rows` stored households as rows to insert again (`HouseholdSink.insert_columns`), each with a
    resident-ID digest no stored household has (theirs are hexadecimal)."""
    from wuzaicun.registry.imports import HouseholdSink
    from wuzaicun.registry.models import Household

    columns = HouseholdSink.insert_columns
    digest = columns.index("resident_id_hash")
    return [tuple(f"{v[:-7]}z{i:06d}" if at == digest else bytes(v) if isinstance(v, memoryview) else v
                  for at, v in enumerate(row))
            for i, row in enumerate(Household.objects_unscoped.values_list(*columns)[:rows])]


def tally_cost(rows: int = 50_000) -> tuple[float, float]:
    """(ms with the tallies' triggers, ms without): household rows inserted as an import does
    (`tabular.bulk.insert_rows`: COPY on PostgreSQL, executemany on SQLite), each in a rolled-back transaction."""
    from django.db import connection, transaction

    from wuzaicun.core import tally
    from wuzaicun.registry.imports import HouseholdSink
    from wuzaicun.tabular.bulk import insert_rows

    columns = HouseholdSink.insert_columns
    sample = household_sample(rows)

    class Rollback(Exception):
        pass

    def once(*, triggers: bool) -> float:
        try:
            with transaction.atomic():
                if not triggers:
                    tally.remove(connection)
                started = time.perf_counter()
                insert_rows("registry_household", columns, sample)
                seconds = time.perf_counter() - started
                raise Rollback
        except Rollback:
            return seconds * 1000

    return min(once(triggers=True) for _ in range(3)), min(once(triggers=False) for _ in range(3))


def count_ways(prefix: str) -> list[tuple[str, float, float, float]]:
    """The year's 干群结亲 and poor households for a region prefix three ways, best of 5, ms: from the tally (D47,
    what the figures read), from the rows themselves (the peer: for the pairs by their own village, D46), and
    the old way (the pairs through every household of the scope)."""
    from django.db.models import Q, Sum

    from wuzaicun.registry.models import Household, HouseholdTally
    from wuzaicun.resources.models import KinPairing, KinPairingTally

    active = Q(since__lte=YEAR) & (Q(until__isnull=True) | Q(until__gte=YEAR))
    pairs = KinPairing.objects_unscoped.filter(active)
    kept = KinPairingTally.objects_unscoped.filter(Q(until=0) | Q(until__gte=YEAR), since__lte=YEAR,
                                                   village__code__within=prefix)
    households = Household.objects_unscoped.filter(identified_year__lte=YEAR)
    tallied = HouseholdTally.objects_unscoped.filter(identified_year__lte=YEAR, village__code__within=prefix)
    return [
        ("干群结亲对数", best(lambda: kept.aggregate(n=Sum("n")), 5)[0],
         best(lambda: pairs.filter(village__code__within=prefix).count(), 5)[0],
         best(lambda: pairs.filter(household__region__code__within=prefix).count(), 5)[0]),
        ("贫困户数", best(lambda: tallied.aggregate(n=Sum("n")), 5)[0],
         best(lambda: households.filter(region__code__within=prefix).count(), 5)[0], float("nan")),
    ]


def own_village_ways(prefix: str) -> list[tuple[str, str, float, float]]:
    """Reads that take the village from their own row since D49 and D50, for a region prefix, best of 5, ms: as
    the figures ask them now and, the old way, through the entry (`responsibility_assignment`, which grows with
    the lists): the year's closed spot checks' findings by result and their sanctions (`spot_check_counts`), and
    the villages with ledger lines and with 对账 per county (`reporting_by_area`)."""
    from django.db.models import Count, Q
    from django.db.models.functions import Substr

    from wuzaicun.responsibility.models import LedgerLine, Reconciliation
    from wuzaicun.verification.models import Finding, PlanStatus, Sanction

    def findings(village: str) -> None:
        Finding.objects_unscoped.filter(
            pick__plan__year=YEAR, pick__plan__status=PlanStatus.CLOSED, **{f"pick__{village}__within": prefix}
        ).aggregate(n=Count("id"), bad=Count("id", filter=Q(result="not_in_place")))
        Sanction.objects_unscoped.filter(
            finding__pick__plan__year=YEAR, finding__pick__plan__status=PlanStatus.CLOSED,
            **{f"finding__pick__{village}__within": prefix}).aggregate(n=Count("id"))

    def ledger(village: str) -> None:
        for rows, path in ((LedgerLine.objects_unscoped.filter(year=YEAR), village),
                           (Reconciliation.objects_unscoped.filter(line__year=YEAR), f"line__{village}")):
            list(rows.filter(**{f"{path}__code__within": prefix}).annotate(p=Substr(f"{path}_id", 1, 6))
                 .values("p").annotate(n=Count(f"{path}_id", distinct=True)).values_list("p", "n"))

    return [("抽查结果与处理", "抽中条目的村（D49）", best(lambda: findings("village__code"), 5)[0],
             best(lambda: findings("assignment__village__code"), 5)[0]),
            ("有台账、有对账的村（按县）", "台账行的村（D50）", best(lambda: ledger("village"), 5)[0],
             best(lambda: ledger("assignment__village"), 5)[0])]


def print_count_ways(prefix: str) -> None:
    for what, kept, rows, joined in count_ways(prefix):
        old = f"，经农户关联（D46 之前）{joined:7.1f} ms" if joined == joined else ""
        print(f"      {what}：计数汇总（D47）{kept:7.1f} ms，同类 直接计数原始行 {rows:7.1f} ms{old}，"
              f"比值 原始行/汇总 {rows / kept:5.1f}")
    for what, how, own, through in own_village_ways(prefix):
        print(f"      {what}：按{how}{own:7.1f} ms，经清单条目（之前）{through:7.1f} ms，比值 {through / own:5.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", help="PostgreSQL 数据库（默认：SQLite）")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-dashboard"), help="SQLite 数据目录")
    parser.add_argument("--scale", choices=("city", "province"), default="city")
    parser.add_argument("--no-triggers-cost", action="store_true", help="不测触发器开销")
    args = parser.parse_args()
    if args.pg_url:
        os.environ["DATABASE_URL"] = args.pg_url
    else:
        os.environ.pop("DATABASE_URL", None)
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
        os.environ["WUZAICUN_DATA_DIR"] = args.data_dir
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzaicun.settings")
    import django

    django.setup()
    from django.db import connection

    from wuzaicun.core import generation

    ensure_data(args.scale)
    print(f"数据库：{connection.vendor}，规模：{args.scale}，年度 {YEAR}（各项为服务器时间，毫秒；括号内为查询条数）")
    stamp_ms, _ = best(generation.stamps, 20)
    print(f"  极限：只读各表代次           {stamp_ms:8.2f} ms  (1)")
    scopes = ["city"] if args.scale == "city" else ["province", "city"]
    for scope in scopes:
        username, code, name = USERS[scope]
        user = bench_user(username, code)
        (cold, cq), (warm, wq), (peer, pq) = page(user)
        print(f"  {name}数据概览  冷 {cold:8.1f} ms ({cq:3d})  热 {warm:7.1f} ms ({wq:2d})  "
              f"同类 compute_stats 不缓存 {peer:8.1f} ms ({pq:3d})")
        print(f"      比值：冷/同类 {cold / peer:4.2f}，热/冷 {warm / cold:5.3f}，热/极限 {warm / stamp_ms:5.1f}")
        for what, ms, queries in after_writes(user):
            print(f"      写入{what}之后  {ms:8.1f} ms ({queries:3d})  比值：写后/冷 {ms / cold:5.3f}")
        (hand, hq), (sel, sq) = hand_sql(code[:2] if scope == "province" else code[:4])
        print(f"      六项村户数字：手写 SQL {hand:7.1f} ms ({hq})，经 selectors {sel:7.1f} ms ({sq})，"
              f"比值 {sel / hand:4.2f}")
        print_count_ways(code[:2] if scope == "province" else code[:4])
    with_, without = tally_cost()
    print(f"  计数汇总触发器的写入开销（5 万户，按导入的方式写入，事务回滚）：有触发器 {with_:8.1f} ms，"
          f"无 {without:8.1f} ms（+{(with_ / without - 1) * 100:5.1f}%）")
    if not args.no_triggers_cost:
        print("  数据代次触发器的写入开销（临时表，事务回滚）：")
        for what, plain, bumped in trigger_cost():
            print(f"    {what:<28} 无触发器 {plain:8.1f} ms，有触发器 {bumped:8.1f} ms（+{(bumped / plain - 1) * 100:5.1f}%）")


if __name__ == "__main__":
    main()
