"""Faults survived: the database going away under load (a 503 page in Chinese, then the same server serves
again once it is back, no restart), and kill -9 in the middle of an import's write (nothing written, and the
same import runs again to the end). The import is tried on SQLite everywhere and on PostgreSQL when the
test clusters can be made."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.test import Client

from wuzaicun.testing.world import World

from . import clusters as pg

ROOT = Path(__file__).resolve().parents[2]
SERVER_ENV_DROPPED = {"DATABASE_URL", "DATABASE_REPLICA_URL", "WUZAICUN_PRODUCTION", "DEBUG",
                      "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV_DROPPED}
    return env | {"WUZAICUN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "wuzaicun.settings",
                  "PYTHONPATH": str(ROOT / "src")} | extra


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- the database goes away


@pytest.fixture
def server(replicated: World, clusters: pg.Clusters, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """gunicorn as `wuzaicun serve` runs it, on the primary and the replica, and a session of county_a's."""
    client = Client()
    client.force_login(replicated.users["county_a"])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    port = _free_port()
    env = _env(tmp_path, DATABASE_URL=clusters.primary_url, DATABASE_REPLICA_URL=clusters.replica_url,
               SECRET_KEY=settings.SECRET_KEY, FIELD_KEYS_FILE=str(settings.FIELD_KEYS_FILE))
    log = (tmp_path / "gunicorn.log").open("w")  # closed below, read on failure
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "wuzaicun.wsgi:application", "--bind",
                                f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "gthread",
                                "--threads", "4"], env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        for _ in range(240):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"gunicorn exited: {(tmp_path / 'gunicorn.log').read_text()}")
                time.sleep(0.25)
        yield f"http://127.0.0.1:{port}", session
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def _get(url: str, session: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _burst(call: Callable[[], tuple[int, str]], n: int = 12) -> list[tuple[int, str]]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: call(), range(n)))


def test_the_database_going_away_gives_a_chinese_503_and_the_server_recovers_by_itself(
        server: tuple[str, str], clusters: pg.Clusters) -> None:
    base, session = server
    page = f"{base}/registry/households/"
    api = f"{base}/api/households"
    status, body = _get(page, session)
    assert status == 200 and "甲村户主0" in body
    clusters.stop_primary()
    try:
        answers = _burst(lambda: _get(page, session))
        assert {status for status, _ in answers} == {503}
        assert all("数据库暂时无法连接，请稍后重试" in body for _, body in answers)
        assert "Traceback" not in answers[0][1]
        status, body = _get(api, session)
        assert status == 503 and '"database_unavailable"' in body
    finally:
        clusters.start_primary()
    # the same workers, no restart: each request checks its kept connection (CONN_HEALTH_CHECKS) and reconnects
    status, body = _get(page, session)
    assert status == 200 and "甲村户主0" in body
    assert {status for status, _ in _burst(lambda: _get(page, session))} == {200}


# ---------------------------------------------------------------- kill -9 during an import

ROWS = 60_000


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_import_households", ROOT / "bench" / "import_households.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def households_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "households.csv"
    _bench().write_csv(path, ROWS)
    return path


class _Sqlite:
    def __init__(self, data_dir: Path) -> None:
        self.env = _env(data_dir)
        self.path = data_dir / "wuzaicun.sqlite3"

    def count(self) -> int:
        with sqlite3.connect(self.path) as db:
            return int(db.execute("SELECT count(*) FROM registry_household").fetchone()[0])

    def writing(self) -> bool:
        """The import's write transaction holds SQLite's one write lock."""
        db = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            db.close()


class _Postgres:
    def __init__(self, data_dir: Path, clusters: pg.Clusters) -> None:
        admin = clusters.primary_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute("DROP DATABASE IF EXISTS wzkill WITH (FORCE)")
            db.execute("CREATE DATABASE wzkill")
        self.url = admin.rsplit("/", 1)[0] + "/wzkill"
        self.env = _env(data_dir, DATABASE_URL=self.url)

    def count(self) -> int:
        with psycopg.connect(self.url) as db:
            row = db.execute("SELECT count(*) FROM registry_household").fetchone()
            return int(row[0]) if row else -1

    def writing(self) -> bool:
        """The import's backend has a transaction id: it has written its first rows."""
        with psycopg.connect(self.url) as db:
            row = db.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = 'wzkill' "
                             "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()").fetchone()
            return bool(row and row[0])


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch(request: pytest.FixtureRequest, tmp_path: Path) -> _Sqlite | _Postgres:
    """A migrated scratch database with the shipped Zunyi regions, for the import's own process."""
    target: _Sqlite | _Postgres = (_Sqlite(tmp_path) if request.param == "sqlite"
                                   else _Postgres(tmp_path, request.getfixturevalue("clusters")))
    prepare = ("import django; django.setup(); from django.core.management import call_command; "
               "call_command('migrate', verbosity=0); from wuzaicun.core.operator import OPERATOR; "
               "from wuzaicun.regions.services import load_shipped_divisions; "
               "load_shipped_divisions(actor=OPERATOR, prefix='5203')")
    done = subprocess.run([sys.executable, "-c", prepare], env=target.env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return target


def test_kill_9_in_the_middle_of_an_import_leaves_nothing_and_the_import_runs_again(
        scratch: _Sqlite | _Postgres, households_csv: Path) -> None:
    argv = [sys.executable, "-m", "wuzaicun.manage", "import", "households", str(households_csv)]
    process = subprocess.Popen(argv, env=scratch.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while not scratch.writing():
            assert process.poll() is None, "the import ended before its write pass was seen: make the file larger"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)  # some batches into the write pass
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert scratch.count() == 0  # the write pass is one transaction: nothing of it stays
    again = subprocess.run(argv, env=scratch.env, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    assert f"成功 {ROWS} 行" in again.stderr
    assert scratch.count() == ROWS


# ---------------------------------------------------------------- kill -9 of the worker running an import job

SUBMIT = """
import django; django.setup()
from wuzaicun.accounts.services import create_user
from wuzaicun.jobs.kinds import IMPORT_COMMIT
from wuzaicun.jobs.services import submit
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import store_upload
user = create_user(actor=None, username="importer", role="city_admin", scope="5203", password="Wzc-Kill-9-test!",
                   must_change_password=False)
with open({csv!r}, "rb") as fh:
    stored = store_upload(iter(lambda: fh.read(1 << 20), b""), original_name="households.csv")
template = get_template("households")
job = submit(IMPORT_COMMIT, user=user, label="导入贫困户（households.csv）",
             params={{"template": "households", "token": stored.token, "name": "households.csv", "year": None,
                     "perm": template.import_perm, "object_type": template.object_type}})
print(job.pk)
"""

TASK_RUNS = """
import django; django.setup()
from django_tasks_db.models import DBTaskResult
print(sorted(r.status for r in DBTaskResult.objects.all()))
"""


def _manage(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "wuzaicun.manage", *argv], env=env, capture_output=True, text=True,
                          timeout=900, check=False)
    assert done.returncode == 0, done.stderr
    return done


def _python(env: dict[str, str], code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _job(env: dict[str, str], job_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_manage(env, "jobs", "show", job_id, "--json").stdout)
    return data


def _descendants(pid: int) -> list[int]:
    """The processes forked from `pid`, and theirs (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill_the_worker_mid_import_then_retry(scratch: _Sqlite | _Postgres, env: dict[str, str], csv: Path) -> str:
    """Submit the import as a job, SIGKILL the worker (its whole process group) inside the write pass, see the job
    interrupted, retry it twice, run the queue: returns the job id."""
    job_id = _python(env, SUBMIT.format(csv=str(csv)))
    # the worker and all it forked (RQ's work horse) are killed, as the OOM killer or a power cut would
    worker = subprocess.Popen([sys.executable, "-m", "wuzaicun.manage", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not scratch.writing():
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else "worker exited"
            assert time.monotonic() < deadline, "the import's write pass was never seen"
            time.sleep(0.02)
        time.sleep(0.3)  # some batches into the write pass
    finally:
        horses = _descendants(worker.pid)  # RQ's work horse runs in a session of its own (os.setsid)
        os.killpg(worker.pid, signal.SIGKILL)
        for pid in horses:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=30)
        if worker.stderr:
            worker.stderr.close()
    assert worker.returncode == -signal.SIGKILL
    assert scratch.count() == 0  # all or nothing: the write pass was one transaction

    # the next look (here `wuzaicun jobs show`; the same on 下载中心's page) finds the worker gone
    shown = _job(env, job_id)
    assert shown["state"] == "interrupted" and shown["state_label"] == "已中断"
    assert "未写入任何数据" in shown["message"]

    first = _manage(env, "jobs", "retry", job_id)
    second = _manage(env, "jobs", "retry", job_id)  # a repeated retry queues nothing more
    assert "第 2 次运行" in first.stdout and "第 2 次运行" in second.stdout  # not a third run
    _manage(env, "worker", "--burst")

    done = _job(env, job_id)
    assert done["state"] == "done" and done["attempt"] == 2 and done["outcome"]["imported"] == ROWS
    assert scratch.count() == ROWS
    return job_id


def test_kill_9_of_the_worker_mid_import_leaves_nothing_the_job_shows_interrupted_and_one_retry_finishes_it(
        scratch: _Sqlite | _Postgres, households_csv: Path) -> None:
    _kill_the_worker_mid_import_then_retry(scratch, scratch.env, households_csv)
    # two task runs in all: the killed one (left as it was, never run again) and the retry's, run once
    assert _python(scratch.env, TASK_RUNS) == "['RUNNING', 'SUCCESSFUL']"


RQ_DB = "7"  # a Redis database of this test's own


@pytest.fixture
def redis_queue() -> Iterator[str]:
    redis = pytest.importorskip("redis")
    url = f"redis://127.0.0.1:6379/{RQ_DB}"
    connection = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI 中必须测试 Redis 队列，但连不上 {url}：{exc}")
        pytest.skip(f"Redis 队列测试已跳过：连不上 {url}")
    connection.flushdb()
    yield url
    connection.flushdb()


@pytest.mark.parametrize("scratch", ["sqlite"], indirect=True)
def test_kill_9_of_an_rq_worker_mid_import_likewise(scratch: _Sqlite | _Postgres, households_csv: Path,
                                                    redis_queue: str) -> None:
    """The production backend: RQ forks a work horse per job; the horse's pid is the run's mark."""
    env = scratch.env | {"WUZAICUN_TASKS": "rq", "REDIS_URL": redis_queue}
    _kill_the_worker_mid_import_then_retry(scratch, env, households_csv)
