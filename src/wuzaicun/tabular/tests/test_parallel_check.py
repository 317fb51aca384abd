"""The check pass in worker processes (IMPORT_WORKERS, D26) tells the same as in one: every problem by line and
column, a repeated number naming its first row across the workers' chunks, all or nothing; and the write pass
that trusts its first pass's look-ups still stops or updates when a number is registered meanwhile."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from wuzaicun.audit.models import AuditEntry
from wuzaicun.registry.models import Household
from wuzaicun.tabular import engine
from wuzaicun.tabular.services import import_file
from wuzaicun.testing import factories

from . import sheets
from .sheets import HOUSEHOLD_HEADERS, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1


def households_file(tmp_path, rows, *, suffix=".csv"):
    lines = sheets.table(HOUSEHOLD_HEADERS, rows)
    path = tmp_path / f"户{suffix}"
    return (sheets.write_csv if suffix == ".csv" else sheets.write_xlsx)(path, lines)


@pytest.fixture
def workers(monkeypatch, settings):
    """Set the number of check workers; with more than one, even a tiny file is checked by them, in chunks
    of three lines (so that rows and their repeats fall to different workers)."""

    def use(count: int) -> None:
        settings.IMPORT_WORKERS = count
        monkeypatch.setattr(engine, "PARALLEL_MIN_LINES", 0)
        monkeypatch.setattr(engine, "WORK_CHUNK", 3)
        monkeypatch.setattr(engine, "BATCH_SIZE", 4)

    return use


def a_file_with_every_kind_of_problem(world) -> list[dict[str, Any]]:
    taken_elsewhere = world.households[VILLAGE_B1][0].reveal_resident_id()
    bad_digit = sheets.household()
    bad_digit["身份证号"] = bad_digit["身份证号"][:17] + ("0" if bad_digit["身份证号"][17] != "0" else "1")
    repeated = sheets.household()
    rows = [sheets.household() for _ in range(12)]
    rows[1] = repeated
    rows[2] = bad_digit
    rows[4] = sheets.household(户主姓名="", 家庭人口="四")
    rows[5] = sheets.household(resident_id=taken_elsewhere)
    rows[7] = sheets.household(VILLAGE_B1, 贫困状态="已脱贫", 脱贫年度=2010)
    rows[8] = {**repeated, "户主姓名": "李四"}
    rows[10] = {h: "" for h in HOUSEHOLD_HEADERS}  # a blank line is skipped, as in one process
    rows[11] = {**repeated, "区划代码": "5203"}
    return rows


def issues(report) -> list[tuple[int, str, str]]:
    return [(i.line, i.column, i.message) for i in report.issues]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_workers_find_exactly_the_problems_one_process_finds(world, tmp_path, workers, suffix):
    path = households_file(tmp_path, a_file_with_every_kind_of_problem(world), suffix=suffix)
    before = Household.objects_unscoped.count()
    workers(1)
    alone = import_file(actor=world.users["county_a"], kind="households", path=path)
    workers(2)
    shared = import_file(actor=world.users["county_a"], kind="households", path=path)

    assert issues(shared) == issues(alone)
    assert (shared.total_rows, shared.failed_lines, shared.issue_count) == (11, 6, 9)
    assert (shared.total_rows, shared.failed_lines, shared.issue_count) == (
        alone.total_rows, alone.failed_lines, alone.issue_count)
    found = {(line, column): message for line, column, message in issues(shared)}
    assert found[(10, "身份证号")] == "与第3行的身份证号重复"  # its first row went to another worker
    assert found[(13, "身份证号")] == "与第3行的身份证号重复" and (13, "区划代码") in found
    assert found[(4, "身份证号")] == "身份证号校验码错误"
    assert found[(6, "户主姓名")] == "必填项为空" and "不是整数" in found[(6, "家庭人口")]
    assert "无法在此登记" in found[(7, "身份证号")]
    assert "不在您的管辖范围内" in found[(9, "区划代码")] and (9, "脱贫年度") in found
    assert shared.imported == 0 and Household.objects_unscoped.count() == before
    assert not AuditEntry.objects_unscoped.filter(action="import").exists()


def test_workers_import_a_clean_file_whole_and_update_what_is_registered(world, tmp_path, workers):
    workers(2)
    registered = world.households[VILLAGE_A1][0]
    rows = [sheets.household(VILLAGE_A2 if i % 2 else VILLAGE_A1) for i in range(10)]
    rows[6] = sheets.household(resident_id=registered.reveal_resident_id(), 户主姓名="王五")
    before = Household.objects_unscoped.count()

    report = import_file(actor=world.users["county_a"], kind="households",
                         path=households_file(tmp_path, rows))

    assert report.ok and report.imported == 10 and "新增 9，更新 1" in report.summary
    assert Household.objects_unscoped.count() == before + 9
    registered.refresh_from_db()
    assert registered.head_name == "王五"
    stored = {h.reveal_resident_id(): h for h in Household.objects_unscoped.filter(region_id__in=[VILLAGE_A1,
                                                                                                  VILLAGE_A2])}
    for row in rows:
        household = stored[row["身份证号"]]
        assert (household.region_id, household.head_name, household.members) == (
            row["区划代码"], row["户主姓名"], row["家庭人口"])


def test_a_dry_run_with_workers_writes_nothing(world, tmp_path, workers):
    workers(2)
    before = Household.objects_unscoped.count()

    report = import_file(actor=world.users["county_a"], kind="households", dry_run=True,
                         path=households_file(tmp_path, [sheets.household() for _ in range(7)]))

    assert report.ok and report.total_rows == 7 and report.imported == 0
    assert Household.objects_unscoped.count() == before


def registering_meanwhile(monkeypatch, region: str, resident_id: str) -> None:
    """Another user registers a number between the check pass and the write pass."""
    write = engine._write

    def meanwhile(*args: Any, **kwargs: Any) -> None:
        factories.household(region, resident_id=resident_id)
        write(*args, **kwargs)

    monkeypatch.setattr(engine, "_write", meanwhile)


def test_a_number_registered_in_scope_meanwhile_is_updated_not_refused(world, tmp_path, workers, monkeypatch):
    """The first write trusts the check's look-ups and breaks the unique index; the second looks up again."""
    workers(2)
    rows = [sheets.household() for _ in range(6)]
    registering_meanwhile(monkeypatch, world.regions[VILLAGE_A2], rows[4]["身份证号"])
    before = Household.objects_unscoped.count()

    report = import_file(actor=world.users["county_a"], kind="households", path=households_file(tmp_path, rows))

    assert report.ok and report.imported == 6 and "新增 5，更新 1" in report.summary
    assert Household.objects_unscoped.count() == before + 1 + 5
    [entry] = AuditEntry.objects_unscoped.filter(action="import")
    assert "新增 5，更新 1" in entry.summary


def test_a_number_registered_elsewhere_meanwhile_stops_the_import(world, tmp_path, workers, monkeypatch):
    workers(2)
    rows = [sheets.household() for _ in range(6)]
    registering_meanwhile(monkeypatch, world.regions[VILLAGE_B1], rows[4]["身份证号"])
    before = Household.objects_unscoped.count()

    report = import_file(actor=world.users["county_a"], kind="households", path=households_file(tmp_path, rows))

    assert [(i.line, i.column) for i in report.issues] == [(6, "身份证号")] and report.imported == 0
    assert Household.objects_unscoped.count() == before + 1
    assert not AuditEntry.objects_unscoped.filter(action="import").exists()


def test_workers_end_with_the_pass_whatever_this_process_does_on_sigterm(world, tmp_path, workers):
    """`wuzaicun worker` and RQ's worker turn SIGTERM into a warm shutdown, run in Python, which may wait (for
    Redis, for a lock another thread held at the fork). Workers forked under such a handler must still end when
    the pool ends them (the default SIGTERM), or the import waits for them for ever: the alarm fails it."""
    workers(2)

    def overdue(*_: Any) -> None:
        raise AssertionError("导入的检查进程在结束时未退出")

    handlers = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGALRM)}
    signal.signal(signal.SIGTERM, lambda *_: time.sleep(90))  # a shutdown handler that waits
    signal.signal(signal.SIGALRM, overdue)
    signal.alarm(30)
    try:
        report = import_file(actor=world.users["county_a"], kind="households",
                             path=households_file(tmp_path, [sheets.household() for _ in range(9)]))
    finally:
        signal.alarm(0)
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert report.ok and report.imported == 9


def test_a_file_below_the_threshold_is_checked_without_workers(world, tmp_path, monkeypatch, settings):
    settings.IMPORT_WORKERS = 2
    monkeypatch.setattr(engine.multiprocessing, "get_context", lambda *_: pytest.fail("started workers"))

    report = import_file(actor=world.users["county_a"], kind="households",
                         path=households_file(tmp_path, [sheets.household() for _ in range(3)]))

    assert report.ok and report.imported == 3
