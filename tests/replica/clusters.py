"""Two local PostgreSQL 15 clusters with streaming replication, for the replica and fault tests.

`wzprimary` on port 5441 (wal_level=replica, replication trusted from 127.0.0.1), and `wzreplica` on 5442, a
`pg_basebackup -R` of it: a hot standby that follows the primary and refuses writes. Made with Debian's
postgresql-common tools as root; left-overs of an interrupted run are dropped first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

VERSION = "15"
PRIMARY, PRIMARY_PORT = "wzprimary", 5441
REPLICA, REPLICA_PORT = "wzreplica", 5442
DATABASE = "wz"
HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n"
# test clusters: durability is not what is tested, speed of the migrations is
SETTINGS = ["fsync=off", "max_connections=50",
            "wal_level=replica", "max_wal_senders=5", "hot_standby=on", "shared_buffers=32MB"]


def unavailable_reason() -> str | None:
    """Why the clusters cannot be made here, or None. CI runs as root with postgresql-common: never skipped."""
    if os.environ.get("CI"):
        return None
    if shutil.which("pg_createcluster") is None:
        return "pg_createcluster 不存在（需要 Debian 的 postgresql-common 和 postgresql-15）"
    if os.geteuid() != 0:
        return "需要 root 身份才能创建测试用的 PostgreSQL 集群"
    return None


def _run(*argv: str) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {result.stdout}{result.stderr}")
    return result.stdout


def url(port: int) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"


@dataclass
class Clusters:
    primary_url: str = url(PRIMARY_PORT)
    replica_url: str = url(REPLICA_PORT)

    def stop_primary(self) -> None:
        _run("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, PRIMARY, "stop", "-m", "fast")

    def start_primary(self) -> None:
        _run("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, PRIMARY, "start")
        _wait_ready(PRIMARY_PORT)


def _create(name: str, port: int) -> Path:
    _run("pg_createcluster", VERSION, name, "-p", str(port), *(a for s in SETTINGS for a in ("-o", s)))
    (Path("/etc/postgresql") / VERSION / name / "pg_hba.conf").write_text(HBA)
    return Path("/var/lib/postgresql") / VERSION / name


def _wait_ready(port: int) -> None:
    for _ in range(120):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)], check=False).returncode == 0:
            return
        time.sleep(0.25)
    raise RuntimeError(f"PostgreSQL on port {port} did not start")


def drop() -> None:
    for name in (REPLICA, PRIMARY):
        if (Path("/etc/postgresql") / VERSION / name).exists():
            subprocess.run(["pg_dropcluster", "--stop", VERSION, name], capture_output=True, check=False)


def create() -> Clusters:
    drop()
    _create(PRIMARY, PRIMARY_PORT)
    _run("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, PRIMARY, "start")
    _wait_ready(PRIMARY_PORT)
    _run("psql", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres", "-c", f"CREATE DATABASE {DATABASE}")
    data = _create(REPLICA, REPLICA_PORT)
    for entry in data.iterdir():  # the folder stays, the postgres user's; pg_basebackup fills it
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    _run("runuser", "-u", "postgres", "--", "pg_basebackup", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT),
         "-U", "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast")
    _run("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, REPLICA, "start")
    _wait_ready(REPLICA_PORT)
    return Clusters()
