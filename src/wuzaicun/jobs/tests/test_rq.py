"""The production backend for real: jobs queued in Redis (RQ through django-tasks-rq) and run by an RQ worker.

Needs the Redis at REDIS_URL (127.0.0.1:6379 on the project's machines and in CI). Without it the test is skipped
with the reason, except in CI (CI set), where it must run.
"""

from __future__ import annotations

import os
import signal

import pytest
from django.conf import settings

from wuzaicun.jobs import registry, services
from wuzaicun.jobs.models import Job, JobState
from wuzaicun.jobs.runner import JobRun
from wuzaicun.jobs.tasks import run_job
from wuzaicun.jobs.worker import QUEUE, rq_worker

RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [QUEUE]}}


def _redis_or_skip():
    import redis

    connection = redis.Redis.from_url(settings.RQ_QUEUES['default']['URL'], socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI 中必须测试 Redis 队列，但连不上 {settings.RQ_QUEUES['default']['URL']}：{exc}")
        pytest.skip(f"Redis 队列测试已跳过：连不上 {settings.RQ_QUEUES['default']['URL']}（启动 redis-server 后重试）")
    return connection


@pytest.fixture
def rq_backend(settings):
    _redis_or_skip()
    settings.TASKS = RQ_TASKS
    settings.TASKS_BACKEND = "rq"
    worker = rq_worker(burst=True, simple=True)
    worker.queues[0].empty()
    # the worker's work() installs its own SIGINT and SIGTERM handlers in this process: put pytest's back, or a
    # stop asked of the test run later would be taken for the worker's warm shutdown
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield worker
    for number, handler in handlers.items():
        signal.signal(number, handler)
    worker.queues[0].empty()


@pytest.fixture
def counting_kind():
    calls: list[int] = []

    def count(run: JobRun):
        calls.append(run.job.attempt)
        run.report(rows=3, total=3, force=True)
        target = run.temp_path(".txt")
        target.write_text("Redis", encoding="utf-8")
        run.attach(target, "结果.txt")
        return {"message": f"第 {run.job.attempt} 次运行完成"}

    registry.register_job_kind("test_count", count)
    yield calls
    registry._KINDS.pop("test_count", None)


def test_jobs_go_through_redis_and_an_rq_worker_runs_them(world, rq_backend, counting_kind, client_for):
    job = services.submit("test_count", user=world.users["county_a"], params={}, label="Redis 任务")
    assert rq_backend.queues[0].count == 1  # in Redis, not in the database queue
    assert run_job.get_backend().get_result(job.task_id).status == "READY"

    rq_backend.work(burst=True)

    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 100 and job.message == "第 1 次运行完成"
    assert counting_kind == [1]
    assert run_job.get_backend().get_result(job.task_id).status == "SUCCESSFUL"
    assert client_for("county_a").get(f"/api/jobs/{job.pk}/result").status_code == 200
    assert client_for("county_b").get(f"/api/jobs/{job.pk}/result").status_code == 404


def test_retry_twice_through_redis_runs_once(world, rq_backend, counting_kind):
    job = services.submit("test_count", user=world.users["county_a"], params={}, label="Redis 任务")
    services.cancel(world.users["county_a"], job.pk)
    services.retry(world.users["county_a"], job.pk)
    services.retry(world.users["county_a"], job.pk)
    assert rq_backend.queues[0].count == 2  # the cancelled run's task and one retry

    rq_backend.work(burst=True)

    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempt == 2
    assert counting_kind == [2]  # the first run's task found its run cancelled and did nothing
    assert Job.objects_unscoped.count() == 1
