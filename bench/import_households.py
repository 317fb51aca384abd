"""Benchmark: import N households from .csv and .xlsx through the one tabular engine; prints rows/s and peak MB.

    .venv/bin/python bench/import_households.py 1000000 [--xlsx-only|--csv-only] [--no-peers] [--keep]
        [--workers 1,2]

A fresh SQLite database in a temporary folder (or the database named by DATABASE_URL) is migrated and
given the shipped Zunyi regions; an N-row households file is generated (cached under bench/out/) with
valid, unique resident IDs in Zunyi villages; each import runs in its own child process against an
empty household table, so each peak-memory figure is that import's own (工作进程MB: the largest check
worker's, D26). Wall-clock rows/s depend on what else the machine runs; rows per CPU-second (the import
process's own plus its check workers') are steadier. 写入秒 is the write pass (D16), the time the write
lock is held. `--workers 1,2` runs the engine once per IMPORT_WORKERS value.

In the same run, on the same database and table, two peers (../shared/PERFORMANCE.md):
- 极限 (the limit): the same rows, prepared beforehand (parsed, checked, encrypted, hashed: untimed),
  inserted with plain executemany (SQLite) / COPY (PostgreSQL) in one transaction; only the inserts
  and the commit are timed.
- ORM 对照 (the ORM peer): the engine's own reading and checking, writing each batch as model instances
  with `bulk_create`, in one transaction.
Then the engine's rows/s as a share of each.

Measured on the 2-core project machine, shared with three other sessions' tests and benches (load 3–6), so
the wall-clock figures are noisy; 1M rows, SQLite 3.40, two runs (rows/s, rows per CPU-second, write pass s):
- Before D26 (same day, one process): limit 49,900 (53,300/CPU-s); engine csv 20,500 (21,200/CPU-s), 41 %.
- Run A: limit 32,700 (52,600/CPU-s; its run was the more contended); engine csv ×1 21,400 (22,700/CPU-s,
  write 20.5 s), 65 %; csv ×2 14,700 (16,100/CPU-s, 25.2 s), 45 %; xlsx ×1 12,400 (13,800/CPU-s), 38 %;
  (xlsx ×2 and the ORM peer were crowded by other measurements).
- Run B: limit 54,300 (59,800/CPU-s); engine csv ×1 17,700 (23,800/CPU-s, write 28.1 s), 32 %; csv ×2
  13,900 (18,100/CPU-s, 32.5 s), 26 %; xlsx ×1 8,900 (13,600/CPU-s), 16 %; xlsx ×2 8,000 (11,900/CPU-s),
  15 %; ORM peer 6,900 (8,200/CPU-s): the engine csv ×1 is 2.6 times the ORM peer.
The write pass now costs what the limit does (20.5 s against the limit's 18–20 s when neither is crowded):
the engine's whole gap to the limit is its check pass (~23 CPU-s at 1M csv, ~50 for xlsx, in one process).
With two check workers the importing process does 40 % less, but the three processes together use ~35 %
more CPU (rows and results cross the pipes as pickles): on this crowded machine ×2 was slower both times;
on an otherwise idle machine of ≥ 2 cores the check pass should take ~30 % less wall time (200k dry runs:
one process 4.8–5.6 CPU-s; two workers 2.6–3.0 in the importing process plus 3.9–4.2 in the workers).
Peak memory is flat (~425 MB; each worker ~95 MB csv, ~120 MB xlsx). Earlier figures (rows/s, peak MB):
SQLite csv 25,400 / 412, xlsx 16,000 / 458; PostgreSQL 15 (server on the same 2 cores) csv 13,800 / 195,
xlsx 11,000 / 240 (not re-measured with D26).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
DIVISIONS = ROOT / "src" / "wuzaicun" / "regions" / "data" / "guizhou-divisions-2023.csv.gz"
HEADERS = ["区划代码", "户主姓名", "身份证号", "家庭人口", "贫困状态", "识别年度", "脱贫年度", "致贫原因", "人均纯收入"]
CAUSES = ["因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力", "缺资金", "交通条件落后", "自身发展动力不足", "其他"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "德明国华建平志强文军永春光林海英秀兰芳玉凤红梅丽华金山福贵成富才发兴旺昌荣清勇刚"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def setup_django(data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "wuzaicun.settings"
    os.environ["WUZAICUN_DATA_DIR"] = str(data_dir)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# ---------------------------------------------------------------- data


def zunyi_villages() -> list[str]:
    """The village-level codes of Zunyi (5203) in the shipped division file (level 5: last 3 digits set)."""
    with gzip.open(DIVISIONS, "rt", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        next(reader)
        return [code for code, _ in reader if code.startswith("5203") and not code.endswith("000")]


def resident_id(area: str, index: int) -> str:
    """A valid number unique per index: birth date from index // 1000, sequence from index % 1000."""
    born = dt.date(1940, 1, 1) + dt.timedelta(days=index // 1000)
    first17 = f"{area}{born:%Y%m%d}{index % 1000:03d}"
    return first17 + _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def household_rows(n: int, seed: int = 2016) -> Iterator[list[str | int | None]]:
    rng = random.Random(seed)
    villages = zunyi_villages()
    for i in range(n):
        village = villages[rng.randrange(len(villages))]
        identified = rng.choice((2014, 2015, 2016))
        exited = rng.random() < 0.3
        yield [
            village,
            rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            resident_id(village[:6], i),
            rng.randint(1, 8),
            "已脱贫" if exited else "未脱贫",
            identified,
            rng.randint(identified, 2018) if exited else None,
            rng.choice(CAUSES),
            f"{rng.randint(1200, 9000)}.{rng.randint(0, 99):02d}",
        ]


def write_csv(path: Path, n: int) -> None:
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for row in household_rows(n):
            writer.writerow(["" if v is None else v for v in row])
    tmp.rename(path)


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="贫困户" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
Target="sharedStrings.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/></Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>\
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>\
<borders count="1"><border/></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
</styleSheet>"""
_LETTERS = "ABCDEFGHI"


def write_xlsx(path: Path, n: int) -> None:
    """An .xlsx shaped like one Excel saves: text in the shared-string table, numbers as numbers.

    The sheet XML is written directly (streamed into the ZIP entry), which is ~10x faster than openpyxl.
    """
    tmp = path.with_suffix(".part")
    strings: dict[str, int] = {}

    def shared(value: str) -> int:
        index = strings.get(value)
        if index is None:
            index = strings[value] = len(strings)
        return index

    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            raw.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            header = "".join(f'<c r="{_LETTERS[i]}1" t="s"><v>{shared(h)}</v></c>' for i, h in enumerate(HEADERS))
            raw.write(f'<row r="1">{header}</row>'.encode())
            chunk: list[str] = []
            for line, row in enumerate(household_rows(n), start=2):
                cells = []
                for i, value in enumerate(row):
                    if value is None:
                        continue
                    ref = f"{_LETTERS[i]}{line}"
                    if isinstance(value, int) or i == 8:
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}" s="1" t="s"><v>{shared(value)}</v></c>')
                chunk.append(f'<row r="{line}">{"".join(cells)}</row>')
                if len(chunk) >= 5000:
                    raw.write("".join(chunk).encode())
                    chunk.clear()
            raw.write("".join(chunk).encode())
            raw.write(b"</sheetData></worksheet>")
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as raw:
            raw.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                + f'count="{len(strings)}" uniqueCount="{len(strings)}">'.encode()
            )
            chunk = []
            for value in strings:
                chunk.append(f"<si><t>{escape(value)}</t></si>")
                if len(chunk) >= 10000:
                    raw.write("".join(chunk).encode())
                    chunk.clear()
            raw.write("".join(chunk).encode())
            raw.write(b"</sst>")
    tmp.rename(path)


def generated(n: int, suffix: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"households-{n}{suffix}"
    if not path.exists():
        started = time.perf_counter()
        (write_csv if suffix == ".csv" else write_xlsx)(path, n)
        print(f"生成 {path.name}：{time.perf_counter() - started:.1f} 秒，{path.stat().st_size / 1e6:.1f} MB",
              file=sys.stderr)
    return path


# ---------------------------------------------------------------- runs


def prepare_database(data_dir: Path) -> None:
    setup_django(data_dir)
    from django.core.management import call_command

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.regions.services import load_shipped_divisions

    call_command("migrate", verbosity=0)
    count = load_shipped_divisions(actor=OPERATOR, prefix="5203")
    print(f"数据库：{database_label()}；载入区划 {count} 条", file=sys.stderr)


def database_label() -> str:
    from django.db import connection

    return f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info))}" \
        if connection.vendor == "sqlite" else f"{connection.vendor} {connection.pg_version}"


def _empty_household_table() -> None:
    from django.db import connection

    from wuzaicun.registry.models import Household

    table = Household._meta.db_table
    with connection.cursor() as cursor:  # plain SQL: the ORM's delete() would load every row first
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else "VACUUM")


def _prepared_batches(path: Path) -> Iterator[list[tuple[object, ...]]]:
    """The rows exactly as the engine's households sink writes them, in the engine's batches."""
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.registry.imports import HOUSEHOLDS, HouseholdSink
    from wuzaicun.tabular.engine import BATCH_SIZE
    from wuzaicun.tabular.readers import iter_rows
    from wuzaicun.tabular.spec import ImportContext

    sink = HouseholdSink(ImportContext(actor=OPERATOR))
    rows = iter_rows(path)
    _, header = next(rows)
    columns = [(c.key, header.index(c.header), c.parse) for c in HOUSEHOLDS.columns]
    batch: list[tuple[object, ...]] = []
    for line, values in rows:
        cleaned = {key: parse(values[i]) if values[i] not in (None, "") else None for key, i, parse in columns}
        batch.append(sink.check(sink.prepare(cleaned), line))
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _limit(path: Path) -> tuple[int, float, float]:
    """The prepared rows into the empty table, executemany / COPY in one transaction; inserts timed only."""
    from django.db import transaction

    from wuzaicun.registry.imports import HouseholdSink
    from wuzaicun.registry.models import Household
    from wuzaicun.tabular.bulk import bulk_session, insert_rows

    table, columns = Household._meta.db_table, HouseholdSink.insert_columns
    rows = seconds = cpu = 0.0
    with bulk_session():
        atomic = transaction.atomic()
        atomic.__enter__()
        for batch in _prepared_batches(path):
            started, cpu_started = time.perf_counter(), time.process_time()
            rows += insert_rows(table, columns, batch)
            seconds += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
        started, cpu_started = time.perf_counter(), time.process_time()
        atomic.__exit__(None, None, None)
        seconds += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
    return int(rows), seconds, cpu


def _orm_peer(path: Path) -> Any:
    """The engine's pass over the file, written through model instances and `bulk_create` instead."""
    import dataclasses

    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.registry.imports import HOUSEHOLDS, HouseholdSink
    from wuzaicun.registry.models import Household
    from wuzaicun.tabular.engine import run_import
    from wuzaicun.tabular.spec import ImportContext

    class OrmHouseholdSink(HouseholdSink):
        def write(self, batch: list[tuple[int, Any]]) -> list[Any]:
            names = self.insert_columns
            Household.objects_unscoped.bulk_create([Household(**dict(zip(names, values, strict=True)))
                                                    for _, values in batch])
            self.inserted += len(batch)
            return []

    template = dataclasses.replace(HOUSEHOLDS, sink=OrmHouseholdSink)
    return run_import(template, path, ImportContext(actor=OPERATOR))


def child(data_dir: Path, path: Path, mode: str) -> None:
    """One run in this process: empty the household table, import, print a JSON line of figures."""
    setup_django(data_dir)
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.registry.models import Household
    from wuzaicun.tabular.services import import_file

    _empty_household_table()
    from wuzaicun.tabular import engine

    write, write_seconds = engine._write, [0.0]

    def timed_write(*args: Any, **kwargs: Any) -> None:  # the write pass (D16): holds the write lock
        began = time.perf_counter()
        write(*args, **kwargs)
        write_seconds[0] += time.perf_counter() - began

    engine._write = timed_write
    started, cpu_started = time.perf_counter(), time.process_time()
    if mode == "limit":
        rows, seconds, cpu = _limit(path)
    else:
        report = import_file(actor=OPERATOR, kind="households", path=path) if mode == "engine" else _orm_peer(path)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if not report.ok:
            print("\n".join(f"第{i.line}行 [{i.column}] {i.message}" for i in report.issues[:20]), file=sys.stderr)
            raise SystemExit(1)
        rows = report.imported
    stored = Household.objects_unscoped.count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the check workers (D26), ended by now
    print(json.dumps({"rows": rows, "stored": stored, "seconds": seconds, "cpu": cpu + children.ru_utime
                      + children.ru_stime, "peak_mb": peak_mb, "worker_mb": children.ru_maxrss / 1024,
                      "write_seconds": write_seconds[0]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="行数")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--xlsx-only", action="store_true")
    group.add_argument("--csv-only", action="store_true")
    parser.add_argument("--no-peers", action="store_true", help="只测引擎（不测极限与 ORM 对照）")
    parser.add_argument("--keep", action="store_true", help="保留临时数据目录（SQLite 数据库与密钥）")
    parser.add_argument("--workers", default="", metavar="N[,N…]",
                        help="引擎按这些 IMPORT_WORKERS 各测一次（如 1,2）；默认按设置")
    parser.add_argument("--child", nargs=3, metavar=("DATA_DIR", "FILE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.child[2])
        return

    formats = [".csv"] if args.csv_only else [".xlsx"] if args.xlsx_only else [".csv", ".xlsx"]
    files = {suffix: generated(args.n, suffix) for suffix in formats}
    counts = [int(n) for n in args.workers.split(",") if n.strip()]
    runs = [(f"引擎 {suffix[1:]}" + (f" ×{n}" if n else ""), path, "engine", n)
            for suffix, path in files.items() for n in counts or [0]]
    if not args.no_peers:
        peer_file = files.get(".csv") or generated(args.n, ".csv")
        runs = [("极限", peer_file, "limit", 0), *runs, ("ORM 对照", peer_file, "orm", 0)]
    data_dir = Path(tempfile.mkdtemp(prefix="wzc-bench-"))
    rates: dict[str, float] = {}
    try:
        prepare_database(data_dir)
        print(f"{'路径':<10}{'行数':>10}{'秒':>8}{'行/秒':>9}{'CPU秒':>8}{'行/CPU秒':>10}{'峰值内存MB':>10}"
              f"{'工作进程MB':>10}{'写入秒':>8}")
        for label, path, mode, workers in runs:
            env = os.environ | {"WUZAICUN_DATA_DIR": str(data_dir)} | ({"IMPORT_WORKERS": str(workers)} if workers else {})
            done = subprocess.run(
                [sys.executable, __file__, str(args.n), "--child", str(data_dir), str(path), mode],
                check=False, capture_output=True, text=True, env=env,
            )
            if done.stderr.strip():
                print(done.stderr.strip(), file=sys.stderr)
            if done.returncode:
                raise SystemExit(f"{label} 失败（退出码 {done.returncode}）")
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            assert figures["stored"] == args.n, figures
            rows = figures["rows"]
            rates[label] = rows / figures["seconds"]
            print(f"{label:<10}{rows:>10,}{figures['seconds']:>8.1f}{rates[label]:>9,.0f}"
                  f"{figures['cpu']:>8.1f}{rows / figures['cpu']:>10,.0f}{figures['peak_mb']:>10.0f}"
                  f"{figures['worker_mb'] or float('nan'):>10.0f}"
                  f"{figures['write_seconds'] or float('nan'):>8.1f}", flush=True)
        if "极限" in rates:
            for label in [k for k in rates if k.startswith("引擎")] + ["ORM 对照"]:
                print(f"{label}：极限的 {rates[label] / rates['极限']:.0%}"
                      + (f"，ORM 对照的 {rates[label] / rates['ORM 对照']:.1f} 倍" if label != "ORM 对照" else ""))
    finally:
        if args.keep:
            print(f"数据目录保留在 {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
