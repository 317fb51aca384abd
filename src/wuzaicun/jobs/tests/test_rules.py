"""When a running job's worker is taken as gone (rules.run_is_dead): table-driven."""

from __future__ import annotations

import pytest

from wuzaicun.jobs.rules import WorkerMark, run_is_dead

HERE = "web1/pid:[4026531836]"
LOCAL = WorkerMark(place=HERE, pid=4242, started="991", db_session="")
REMOTE = WorkerMark(place="worker2/pid:[4026531836]", pid=4242, started="991", db_session="77@2026-11-26T08:00:00+00:00")


@pytest.mark.parametrize(("mark", "process_alive", "session_alive", "silent", "dead"), [
    # on the worker's machine the process table decides, whatever the silence
    (LOCAL, False, None, 1, True),          # killed a second after its last progress: dead at once
    (LOCAL, True, None, 86_400, False),     # one long statement, no progress for a day: alive
    # from another machine: the run's database session (PostgreSQL) decides
    (REMOTE, None, True, 86_400, False),    # a long statement holds its session
    (REMOTE, None, False, 60, False),       # session gone but silent only a minute: not yet
    (REMOTE, None, False, 900, True),       # session gone and silent past the limit
    # nothing to ask (SQLite from elsewhere, a run of an older release): the silence alone
    (None, None, None, 899, False),
    (None, None, None, 900, True),
])
def test_a_run_is_dead_only_when_its_worker_is_known_gone_or_silent_past_the_limit(
        mark, process_alive, session_alive, silent, dead):
    assert run_is_dead(mark=mark, here=HERE, process_alive=process_alive, session_alive=session_alive,
                       silent_seconds=silent, stale_seconds=900) is dead


def test_a_mark_reads_back_what_was_written_and_rejects_garbage():
    assert WorkerMark.decode(REMOTE.encode()) == REMOTE
    assert WorkerMark.decode("") is None and WorkerMark.decode("a|b|c|d") is None
