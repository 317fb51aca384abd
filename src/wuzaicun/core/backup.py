"""Backup and restore (docs/operations.md, D37): the database one way, the field-key ring another.

The database goes to a folder: SQLite through its online backup API (a consistent copy while the site runs),
PostgreSQL through `pg_dump --format=custom`. The key ring (core/crypto.py) is copied to a second folder that
must not be the first nor inside it: whoever holds both can read every resident ID, so the two are stored and
carried apart. A restore puts the database back (SQLite: the backup API again, into the live file; PostgreSQL:
`pg_restore --clean`) and, when given, the key ring; a database restored without its ring cannot decrypt IDs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction

from .errors import DomainError

MANIFEST = "backup.json"
SQLITE_FILE = "wuzaicun.sqlite3"
PG_FILE = "wuzaicun.dump"
KEYS_FILE = "field_keys.json"


@dataclass(frozen=True)
class BackupResult:
    database: Path
    keys: Path | None
    bytes: int


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _vendor() -> str:
    return connections["default"].vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_args(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # to the child only, never on its command line
    return args, env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    if shutil.which(argv[0]) is None:
        raise DomainError(f"找不到 {argv[0]}：请安装 PostgreSQL 客户端（postgresql-client）")
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise DomainError(f"{what}失败：{result.stderr.strip()[:500]}")


def _apart(database_dir: Path, keys_dir: Path) -> None:
    a, b = database_dir.resolve(), keys_dir.resolve()
    if a == b or a in b.parents or b in a.parents:
        raise DomainError("密钥备份目录不能与数据库备份目录相同或互相包含：两者须分开保存")


def backup(output: Path, *, keys_output: Path | None = None) -> BackupResult:
    """The database into `output` (created; must be empty), the key ring into `keys_output` if given."""
    if keys_output is not None:
        _apart(output, keys_output)
    if output.exists() and any(output.iterdir()):
        raise DomainError(f"备份目录不是空的：{output}")
    output.mkdir(parents=True, exist_ok=True)
    db = _database()
    if _vendor() == "sqlite":
        target = output / SQLITE_FILE
        source = sqlite3.connect(str(db["NAME"]))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # page by page, consistent, while other processes keep writing
        finally:
            copy.close()
            source.close()
    else:
        target = output / PG_FILE
        args, env = _pg_args(db)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env, "数据库备份")
    target.chmod(0o600)
    manifest = {"created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "vendor": _vendor(),
                "file": target.name, "sha256": _sha256(target), "bytes": target.stat().st_size,
                "keys_kept_apart": keys_output is not None}
    (output / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    keys = None
    if keys_output is not None:
        keys_output.mkdir(parents=True, exist_ok=True)
        keys = keys_output / KEYS_FILE
        source_keys = Path(settings.FIELD_KEYS_FILE)
        if not source_keys.exists():
            raise DomainError(f"密钥文件不存在：{source_keys}")
        fd = os.open(keys, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(source_keys.read_bytes())
    return BackupResult(database=target, keys=keys, bytes=target.stat().st_size)


def restore(backup_dir: Path, *, keys: Path | None = None) -> str:
    """Put the database of `backup_dir` back over the current one; the key ring too, from `keys`."""
    manifest_path = backup_dir / MANIFEST
    if not manifest_path.exists():
        raise DomainError(f"不是备份目录（缺少 {MANIFEST}）：{backup_dir}")
    manifest = json.loads(manifest_path.read_text())
    source = backup_dir / manifest["file"]
    if not source.exists() or _sha256(source) != manifest["sha256"]:
        raise DomainError("备份文件缺失或已损坏（校验值不符），未恢复")
    if manifest["vendor"] != _vendor():
        raise DomainError(f"备份来自 {manifest['vendor']}，当前数据库是 {_vendor()}，未恢复")
    if keys is not None:
        json.loads(keys.read_text())  # a ring that does not parse is refused before the database is touched
    db = _database()
    for conn in connections.all(initialized_only=True):
        conn.close()
    if _vendor() == "sqlite":
        Path(str(db["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(str(db["NAME"]))
        try:
            with live:
                backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    else:
        args, env = _pg_args(db)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
              *args, str(source)], env, "数据库恢复")
    if keys is not None:
        target = Path(settings.FIELD_KEYS_FILE)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(keys.read_bytes())
        from . import crypto

        crypto.keys.cache_clear()
    _move_generation_forward()
    return str(manifest["created"])


def _move_generation_forward() -> None:
    """The restored stamp is the backup's, older than figures cached since: move it past now, so nothing cached
    from the abandoned timeline is found again (a backup older than the stamp itself gets it at `migrate`)."""
    from . import generation

    connection = connections["default"]
    try:
        with transaction.atomic():
            generation.advance(connection)
    except DatabaseError:
        pass
    finally:
        connection.close()
