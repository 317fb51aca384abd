"""The replicated databases for tests/replica: two clusters (clusters.py) made once per session, and Django's
connections pointed at them for this folder's tests, then given back to whatever the run uses (SQLite or the
PostgreSQL test database). The primary is migrated and holds the two-county world; the replica follows it."""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterator
from typing import Any

import dj_database_url
import pytest
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings

from wuzaicun.testing.world import World, build_world

from . import clusters as pg


def _once_per_ci_run() -> None:
    """These tests make their own clusters and files, whatever database the run uses: CI runs the suite on SQLite
    and then on PostgreSQL, so they run in the PostgreSQL pass only (WUZAICUN_REPLICA_TESTS=1 runs them anyway)."""
    if connections["default"].vendor != "postgresql" and os.environ.get("WUZAICUN_REPLICA_TESTS") != "1":
        pytest.skip("集群、备份与故障测试不依赖本轮数据库，只在 PostgreSQL 一轮运行（WUZAICUN_REPLICA_TESTS=1 可强制运行）")


@pytest.fixture(autouse=True)
def _only_in_the_postgresql_pass() -> None:
    _once_per_ci_run()


@pytest.fixture(scope="session")
def clusters() -> Iterator[pg.Clusters]:
    _once_per_ci_run()  # a session fixture is set up before the function's autouse skip: ask here too
    if reason := pg.unavailable_reason():
        pytest.skip(reason)
    made = pg.create()
    try:
        yield made
    finally:
        pg.drop()


def _swap(databases: dict[str, Any]) -> dict[str, Any]:
    """Point Django's connections at `databases`; returns the settings they had."""
    for conn in connections.all(initialized_only=True):
        conn.close()
    previous: dict[str, Any] = connections.settings
    for alias in previous:
        if hasattr(connections._connections, alias):
            del connections[alias]
    connections.settings = connections.configure_settings(databases)  # type: ignore[misc]
    return previous


def _restore(previous: dict[str, Any]) -> None:
    for conn in connections.all(initialized_only=True):
        conn.close()
    for alias in list(connections.settings):
        if hasattr(connections._connections, alias):
            del connections[alias]
    connections.settings = previous  # type: ignore[misc]


def wait_for_replica(timeout: float = 30) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


@pytest.fixture(scope="module")
def replicated(clusters: pg.Clusters, django_db_blocker: Any) -> Iterator[World]:
    """Django on the primary with the replica routed, the world built on the primary and replayed."""
    def database(url: str) -> dict[str, Any]:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)

    databases = {"default": database(clusters.primary_url), "replica": database(clusters.replica_url)}
    with django_db_blocker.unblock():
        previous = _swap(databases)
        try:
            with warnings.catch_warnings():  # "Overriding setting DATABASES": the connections are swapped above
                warnings.simplefilter("ignore")
                overridden = override_settings(DATABASES=databases, DATABASE_REPLICAS=["replica"],
                                               DATABASE_ROUTERS=["wuzaicun.core.db_router.ReplicaRouter"])
                overridden.enable()
            try:
                call_command("migrate", verbosity=0)
                with connections["default"].cursor() as cursor:  # a module re-run starts from an empty world
                    cursor.execute("SELECT count(*) FROM regions_region")
                    if cursor.fetchone()[0]:
                        call_command("flush", interactive=False, verbosity=0)
                world = build_world()
                wait_for_replica()
                yield world
            finally:
                overridden.disable()
        finally:
            _restore(previous)
