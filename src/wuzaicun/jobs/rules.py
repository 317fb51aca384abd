"""Pure checks of the jobs app: is a running job's worker gone (docs/jobs.md J8)? Values in, a verdict out."""

from __future__ import annotations

from dataclasses import dataclass

SEPARATOR = "|"


@dataclass(frozen=True)
class WorkerMark:
    """Where a run runs, written on the job when it is claimed.

    `place`: the machine and its PID namespace (two containers of one name do not share their pids); `pid` and
    `started` (the process's start time in clock ticks since boot, so that a reused pid is not taken for it);
    `db_session`: on PostgreSQL the run's database session ("backend pid@backend start"), seen from any machine.
    """

    place: str
    pid: int
    started: str = ""
    db_session: str = ""

    def encode(self) -> str:
        return SEPARATOR.join((self.place, str(self.pid), self.started, self.db_session))[:200]

    @classmethod
    def decode(cls, text: str) -> WorkerMark | None:
        parts = text.split(SEPARATOR)
        if len(parts) != 4 or not parts[1].isdigit():
            return None
        return cls(place=parts[0], pid=int(parts[1]), started=parts[2], db_session=parts[3])


def run_is_dead(*, mark: WorkerMark | None, here: str, process_alive: bool | None, session_alive: bool | None,
                silent_seconds: float, stale_seconds: float) -> bool:
    """Whether a running job's run has lost its worker (killed: kill -9, the OOM killer, a power cut).

    On the worker's own machine the process table answers for certain, at once and whatever the silence: a
    live process is never declared dead, however long one statement keeps it from reporting progress. From
    another machine, a live database session of the run (PostgreSQL) means it works (a long statement holds its
    session); only a run silent for `stale_seconds` whose session is gone, or cannot be seen (SQLite from
    another machine, a job of an older release), is taken as dead.
    """
    if mark is not None and mark.place == here and process_alive is not None:
        return not process_alive
    if session_alive:
        return False
    return silent_seconds >= stale_seconds
