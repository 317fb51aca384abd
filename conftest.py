"""Shared pytest fixtures: the two-county world, logged-in clients, the field-key ring for tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from wuzaicun.testing.world import World, build_world


def pytest_configure(config: pytest.Config) -> None:
    """Transactional tests end with Django's flush (TRUNCATE on PostgreSQL, DELETE on SQLite), which the audit
    table's triggers refuse (audit/migrations/0003): the flush steps around them, in tests only; and around the
    tallies' triggers (D47), which SQLite's table-by-table flush would make count households of villages gone."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
        from wuzaicun.audit.testing import around_flush
        from wuzaicun.core import tally

        before, after = around_flush(self.connection.vendor)
        untallied, tallied = tally.around_flush(self.connection)
        original(self, [*before, *untallied, *sql_list, *tallied, *after])

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _test_keys(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests use their own key ring, upload and job-result folders, never the developer's."""
    from wuzaicun.core import crypto

    base: Path = tmp_path_factory.getbasetemp()
    settings.FIELD_KEYS_FILE = base / "field_keys.json"
    settings.UPLOAD_DIR = base / "uploads"
    settings.JOB_DIR = base / "jobs"
    crypto.keys.cache_clear()


@pytest.fixture(autouse=True)
def _security_policy(settings: Any) -> Any:
    """Each test starts from the default security policy held in memory (no query for it, so page query counts
    stay exact), and a change a test makes is seen at once and forgotten afterwards."""
    from wuzaicun.accounts import policy

    settings.SECURITY_POLICY_CACHE_SECONDS = None
    policy.prime(policy.defaults())
    yield
    policy.forget()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: a test's writes are rolled back at its end, so the next test may
    reach the same data generation with other data (in production a rolled-back write never bumps it)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def client_for(world: World) -> Callable[[str], Client]:
    """A logged-in test client for one of the world's users (by username): `force_login` skips the password and
    `pass_second_factor` the code page, for the administrators who have an authenticator. The crawler's tests
    log in through both pages (`testing.twofa.log_in`)."""
    from wuzaicun.testing.twofa import pass_second_factor

    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.users[username])
        pass_second_factor(client, world.users[username])
        return client

    return make


@pytest.fixture
def year_open(world: World) -> int:
    """The 2016 lists opened, due in 2100 so that entries made today are on time."""
    from wuzaicun.testing.lists import open_test_year

    return open_test_year()
