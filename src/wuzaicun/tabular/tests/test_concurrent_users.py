"""Long jobs never block other users: while an export reads or an upload is checked, another user signs
in, opens pages and saves, without waiting for the job and without "database is locked".

Each user works in its own thread with its own database connection, as under waitress. On SQLite the
tests' database lives in memory, which threads cannot share the way the site shares its WAL file; so
the world is copied into a WAL file that every thread opens. SQLite waits only a few seconds for the
write lock here (the site waits 20), so a job that held the lock fails the test quickly.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client

from wuzaicun.audit.models import AuditEntry
from wuzaicun.registry.imports import HouseholdSink
from wuzaicun.registry.models import Household
from wuzaicun.tabular import registry

from . import sheets
from .sheets import HOUSEHOLD_HEADERS, VILLAGE_A1

pytestmark = pytest.mark.django_db(transaction=True)

LOCK_WAIT_SECONDS = 3  # how long SQLite waits for the write lock in these tests
QUICK = 1.5  # what the other user's requests may take, each, while the job runs


@pytest.fixture
def own_connection(world: Any, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """A function a thread calls first to open its own connection to the shared database."""
    if connection.vendor != "sqlite":  # every thread already opens its own connection to the test database
        yield lambda: None
        return
    target = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    connection.connection.backup(copy)
    copy.close()
    shared = {**connection.settings_dict, "NAME": str(target),
              "OPTIONS": {**connection.settings_dict["OPTIONS"], "timeout": LOCK_WAIT_SECONDS}}

    wrapper = type(connections["default"])

    def open_own() -> None:
        connections["default"] = wrapper(shared, "default")

    yield open_own


class Worker(threading.Thread):
    """One user's work in its own thread, started at once."""

    def __init__(self, open_own: Callable[[], None], job: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.open_own, self.job = open_own, job
        self.result: Any = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        self.open_own()
        try:
            self.result = self.job()
        except BaseException as exc:  # reported by the test, in the test's thread
            self.error = exc
        finally:
            connections.close_all()

    def outcome(self, timeout: float = 15) -> Any:
        self.join(timeout)
        assert not self.is_alive(), "the job did not finish"
        if self.error is not None:
            raise self.error
        return self.result


def another_user_works(world: Any) -> list[tuple[str, int, float]]:
    """County B's user signs in, opens three pages and reveals an ID (an audited save): (what, status, seconds)."""
    client = Client()
    household = world.households["520303100201"][0]
    timings: list[tuple[str, int, float]] = []
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("登录", lambda: client.force_login(world.users["county_b"])),
        ("工作台", lambda: client.get("/")),
        ("农户", lambda: client.get("/registry/households/")),
        ("年度清单", lambda: client.get("/responsibility/")),
        ("查看身份证号", lambda: client.post(f"/registry/households/{household.pk}/reveal/", {"reason": "核对身份"})),
    ]
    for label, step in steps:
        started = time.monotonic()
        response = step()
        timings.append((label, getattr(response, "status_code", 200), time.monotonic() - started))
    return timings


def assert_quick(timings: list[tuple[str, int, float]]) -> None:
    assert [(label, status) for label, status, _ in timings] == [(label, 200) for label, _, _ in timings]
    slow = [(label, round(seconds, 2)) for label, _, seconds in timings if seconds > QUICK]
    assert slow == [], f"waited for the long job: {slow}"


def test_another_user_works_undisturbed_while_a_long_export_reads(world, own_connection, monkeypatch):
    reading, finish = threading.Event(), threading.Event()
    template = registry.get_template("households")

    def slow_rows(ctx: Any) -> Iterator[Any]:  # an export that takes as long as the test wants
        for number, row in enumerate(template.export_rows(ctx)):
            if number == 1:
                reading.set()
                finish.wait(20)
            yield row

    monkeypatch.setitem(registry._TEMPLATES, "households", dataclasses.replace(template, export_rows=slow_rows))

    def export() -> tuple[int, int, int]:
        client = Client()
        client.force_login(world.users["county_a"])
        response = client.post("/imports/households/export/", {"region": ""})
        size = len(b"".join(response.streaming_content))
        response.close()
        return response.status_code, size, AuditEntry.objects_unscoped.filter(action="export").count()

    exporter = Worker(own_connection, export)
    try:
        assert reading.wait(10), "the export did not start"
        assert_quick(Worker(own_connection, lambda: another_user_works(world)).outcome())
    finally:
        finish.set()
    status, size, audited = exporter.outcome()
    assert status == 200 and size > 0 and audited == 1  # the export itself is whole, and audited


def test_another_user_works_undisturbed_while_an_upload_is_checked_and_the_import_is_short(
    world, own_connection, monkeypatch, tmp_path
):
    checking, finish = threading.Event(), threading.Event()
    check = HouseholdSink.check

    def slow_check(self: HouseholdSink, row: dict[str, Any], line: int) -> Any:  # a large file's check
        if line == 5 and not checking.is_set():
            checking.set()
            finish.wait(20)
        return check(self, row, line)

    monkeypatch.setattr(HouseholdSink, "check", slow_check)
    path = sheets.write_csv(tmp_path / "户.csv", sheets.table(HOUSEHOLD_HEADERS, [sheets.household(VILLAGE_A1) for _ in range(40)]))

    def upload_then_confirm() -> tuple[str, int, int]:
        client = Client()
        client.force_login(world.users["county_a"])
        before = Household.objects_unscoped.count()
        preview = client.post("/imports/households/upload/", {"file": SimpleUploadedFile("户.csv", path.read_bytes())})
        confirm = re.search(r'action="(/imports/households/confirm/\w+/)"', preview.text)
        assert confirm, preview.text
        done = client.post(confirm.group(1))
        return preview.text, done.status_code, Household.objects_unscoped.count() - before

    importer = Worker(own_connection, upload_then_confirm)
    try:
        assert checking.wait(10), "the upload check did not start"
        assert_quick(Worker(own_connection, lambda: another_user_works(world)).outcome())
    finally:
        finish.set()
    preview, status, added = importer.outcome()
    assert "共 40 行" in preview and "检查全部通过" in preview
    assert status == 302 and added == 40
