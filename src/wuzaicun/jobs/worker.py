"""Running the queue: `wuzaicun worker` (the configured backend's worker), the demo's in-process thread, and
`drain()` (run what is queued, here and now: tests and `wuzaicun jobs run`)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.crypto import get_random_string

QUEUE = "default"
logger = logging.getLogger(__name__)


def _db_worker(*, batch: bool, interval: float = 1.0) -> Any:
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(queue_names=[QUEUE], interval=interval, batch=batch, backend_name="default", startup_delay=False,
                  max_tasks=None, worker_id=f"wuzaicun-{get_random_string(12)}", excluded_queue_names=[])


def drain(limit: int = 1000) -> int:
    """Run the database backend's ready tasks in this thread, one by one; returns how many ran.

    Unlike the worker's loop it never closes this thread's connection (a test's transaction stays open).
    """
    from django_tasks_db.models import DBTaskResult

    worker = _db_worker(batch=True)
    ran = 0
    while ran < limit:
        result = DBTaskResult.objects.ready().filter(backend_name="default", queue_name=QUEUE).first()
        if result is None:
            return ran
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def rq_worker(*, burst: bool, simple: bool = False) -> Any:
    """An RQ worker on the queue, with the job class that runs Django tasks (simple: runs jobs in this process)."""
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker, Worker

    queue = django_rq.get_queue(QUEUE, job_class=Job)
    cls = SimpleWorker if simple else Worker
    return cls([queue], connection=queue.connection, job_class=Job)


class Housekeeper(threading.Thread):
    """A worker's daemon thread running `services.housekeeping` every `interval` seconds, so that an idle site
    still removes expired result files, marks dead runs and folds the tallies. Its connection is closed after
    each round (an RQ worker forks a process per job: none inherits an open one)."""

    def __init__(self, interval: float) -> None:
        super().__init__(name="wuzaicun-housekeeping", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()
        self.rounds = 0

    def run(self) -> None:
        from .services import housekeeping

        while not self.stopped.wait(self.interval):
            try:
                done = housekeeping()
                if any(done.values()):
                    logger.info("housekeeping: %s", done)
            except Exception:  # the database away, a file not removable: logged, tried again next round
                logger.exception("housekeeping failed; tried again in %s s", self.interval)
            finally:
                self.rounds += 1
                try:
                    connections.close_all()  # this thread's own
                except Exception:
                    logger.exception("closing the housekeeping thread's connection failed")

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=30)


def start_housekeeping(interval: float | None = None) -> Housekeeper | None:
    """The housekeeping thread at JOB_HOUSEKEEPING_SECONDS (0: none)."""
    seconds = settings.JOB_HOUSEKEEPING_SECONDS if interval is None else interval
    if seconds <= 0:
        return None
    keeper = Housekeeper(seconds)
    keeper.start()
    return keeper


def run_worker(*, burst: bool = False) -> None:
    """The configured backend's worker, in the foreground (`wuzaicun worker`), with its housekeeping thread."""
    from .services import housekeeping

    housekeeping()  # what a killed worker left running is marked 已中断 (re-runnable) before new work
    keeper = None if burst else start_housekeeping()
    try:
        _work(burst=burst)
    finally:
        if keeper is not None:
            keeper.stop()


def _work(*, burst: bool) -> None:
    if settings.TASKS_BACKEND == "rq":
        connections.close_all()  # RQ forks a process per job: none may inherit this one's connections
        rq_worker(burst=burst).work(burst=burst)
        return
    worker = _db_worker(batch=burst)
    worker.configure_signals()
    worker.run()


_thread: threading.Thread | None = None
_keeper: Housekeeper | None = None


def start_in_process() -> threading.Thread | None:
    """The embedded default: a daemon thread running the database worker inside the demo's server process.

    With WUZAICUN_TASKS=rq the jobs are run by `wuzaicun worker` elsewhere, so no thread is started.
    """
    global _thread, _keeper
    if settings.TASKS_BACKEND != "database":
        return None
    if _thread is not None and _thread.is_alive():
        return _thread
    worker = _db_worker(batch=False)
    _thread = threading.Thread(target=worker.run, name="wuzaicun-jobs", daemon=True)
    _thread.start()
    if _keeper is None or not _keeper.is_alive():
        _keeper = start_housekeeping()
    return _thread
