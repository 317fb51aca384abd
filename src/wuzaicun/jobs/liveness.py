"""Whether a job's worker process is still there: its mark (machine, pid, start time, database session) taken
when it claims a job, and the probes that read the process table and PostgreSQL's sessions (rules.run_is_dead)."""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path

from django.db import connection

from .rules import WorkerMark


@cache
def this_place() -> str:
    """This machine and PID namespace: pids are comparable only between processes sharing both."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()}/{namespace}"[:100]


def process_started(pid: int) -> str | None:
    """The process's start time (clock ticks since boot, /proc/PID/stat field 22); "" where /proc is missing
    but the process exists; None when there is no such process, or only its zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return ""
    fields = stat.rpartition(")")[2].split()  # the name in parentheses may hold spaces
    if fields and fields[0] in ("Z", "X"):  # killed, not yet reaped by its parent: gone all the same
        return None
    return fields[19] if len(fields) > 19 else ""


def current_mark() -> WorkerMark:
    """This process's mark, with its database session on PostgreSQL (one query)."""
    session = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()")
            row = cursor.fetchone()
        if row:
            session = f"{row[0]}@{row[1].isoformat()}"
    pid = os.getpid()
    return WorkerMark(place=this_place(), pid=pid, started=process_started(pid) or "", db_session=session)


def process_alive(mark: WorkerMark) -> bool:
    """On this machine: the marked process still runs (the same one, not a later process given its pid)."""
    started = process_started(mark.pid)
    if started is None:
        return False
    return not (mark.started and started and started != mark.started)


def session_alive(mark: WorkerMark) -> bool | None:
    """PostgreSQL: the marked run's database session is still open (None: not knowable here)."""
    if connection.vendor != "postgresql" or "@" not in mark.db_session:
        return None
    pid, _, started = mark.db_session.partition("@")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s AND backend_start = %s::timestamptz",
                       [int(pid), started])
        return cursor.fetchone() is not None
