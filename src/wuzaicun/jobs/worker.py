"""Running the queue: `wuzaicun worker` (the configured backend's worker), the demo's in-process thread, and
`drain()` (run what is queued, here and now: tests and `wuzaicun jobs run`)."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.utils.crypto import get_random_string

QUEUE = "default"


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


def run_worker(*, burst: bool = False) -> None:
    """The configured backend's worker, in the foreground (`wuzaicun worker`)."""
    from .runner import purge_expired
    from .services import interrupt_dead_runs

    purge_expired()
    interrupt_dead_runs()  # what a killed worker left running is marked 已中断 (re-runnable) before new work
    if settings.TASKS_BACKEND == "rq":
        from django.db import connections

        connections.close_all()  # RQ forks a process per job: none may inherit this one's connections
        rq_worker(burst=burst).work(burst=burst)
        return
    worker = _db_worker(batch=burst)
    worker.configure_signals()
    worker.run()


_thread: threading.Thread | None = None


def start_in_process() -> threading.Thread | None:
    """The embedded default: a daemon thread running the database worker inside the demo's server process.

    With WUZAICUN_TASKS=rq the jobs are run by `wuzaicun worker` elsewhere, so no thread is started.
    """
    global _thread
    if settings.TASKS_BACKEND != "database":
        return None
    if _thread is not None and _thread.is_alive():
        return _thread
    worker = _db_worker(batch=False)
    _thread = threading.Thread(target=worker.run, name="wuzaicun-jobs", daemon=True)
    _thread.start()
    return _thread
