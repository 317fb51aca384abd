"""The backup and restore drill of docs/operations.md: back up (the key ring apart), lose the database and the
keys, restore both, read an encrypted resident ID back; a restore without the ring cannot read it. On SQLite
(online backup) everywhere, on PostgreSQL (pg_dump / pg_restore) when the test clusters can be made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from . import clusters as pg
from .test_faults import _env

WUZAICUN = [sys.executable, "-m", "wuzaicun.manage"]
BUILD = ("import django; django.setup(); from django.core.management import call_command; "
         "call_command('migrate', verbosity=0); from wuzaicun.testing.world import build_world; "
         "from wuzaicun.testing.factories import household; "
         "w = build_world(households_per_village=1); "
         "household(w.region('520302001001'), head_name='备份户', resident_id='520302198001010011')")
READ = ("import django; django.setup(); from wuzaicun.registry.models import Household; "
        "print(Household.objects_unscoped.get(head_name='备份户').reveal_resident_id())")


def _run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A scratch site (its own data folder, database and key ring) with one household whose ID is known."""
    data = tmp_path / "site"
    extra: dict[str, str] = {}
    if request.param == "postgresql":
        clusters: pg.Clusters = request.getfixturevalue("clusters")
        admin = clusters.primary_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute("DROP DATABASE IF EXISTS wzbackup WITH (FORCE)")
            db.execute("CREATE DATABASE wzbackup")
        extra["DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/wzbackup"
    env = _env(data, **extra)
    built = _run(env, sys.executable, "-c", BUILD)
    assert built.returncode == 0, built.stderr
    return env, data


def _lose_everything(env: dict[str, str], data: Path) -> None:
    (data / "field_keys.json").unlink()
    if "DATABASE_URL" in env:
        admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute("DROP DATABASE wzbackup WITH (FORCE)")
            db.execute("CREATE DATABASE wzbackup")
    else:
        for path in data.glob("wuzaicun.sqlite3*"):
            path.unlink()


def test_backup_lose_restore_and_read_an_encrypted_id_back(site: tuple[dict[str, str], Path],
                                                           tmp_path: Path) -> None:
    env, data = site
    assert _run(env, sys.executable, "-c", READ).stdout.strip() == "520302198001010011"
    refused = _run(env, *WUZAICUN, "backup", "-o", str(tmp_path / "db"), "--keys-out", str(tmp_path / "db" / "k"))
    assert refused.returncode == 1 and "须分开保存" in refused.stderr
    done = _run(env, *WUZAICUN, "backup", "-o", str(tmp_path / "db"), "--keys-out", str(tmp_path / "keys"))
    assert done.returncode == 0, done.stderr
    assert "密钥已另存" in done.stderr
    assert not list((tmp_path / "db").glob("field_keys*"))  # the database backup holds no key

    _lose_everything(env, data)
    assert _run(env, *WUZAICUN, "restore", str(tmp_path / "db")).returncode == 1  # asks for --yes
    restored = _run(env, *WUZAICUN, "restore", str(tmp_path / "db"), "--keys",
                    str(tmp_path / "keys" / "field_keys.json"), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert _run(env, sys.executable, "-c", READ).stdout.strip() == "520302198001010011"


def test_a_database_restored_without_its_key_ring_cannot_read_the_ids(site: tuple[dict[str, str], Path],
                                                                       tmp_path: Path) -> None:
    env, data = site
    assert _run(env, *WUZAICUN, "backup", "-o", str(tmp_path / "db")).returncode == 0
    _lose_everything(env, data)  # a new key ring is made at the next start
    assert _run(env, *WUZAICUN, "restore", str(tmp_path / "db"), "--yes").returncode == 0
    read = _run(env, sys.executable, "-c", READ)
    assert read.returncode != 0 and "520302198001010011" not in read.stdout
