"""`wuzaicun worker [--burst]`: run the long jobs (下载中心) with the configured backend's worker.

WUZAICUN_TASKS=database (default): the database queue; rq: the Redis queue at REDIS_URL. `--burst` runs what is
queued, then exits. Stop with Ctrl+C (a job running then is finished first; a second Ctrl+C ends it, and the
job is left re-runnable: 重试).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from wuzaicun.jobs.worker import run_worker


class Command(BaseCommand):
    help = "运行后台任务（下载中心）：按 WUZAICUN_TASKS 使用数据库队列或 Redis 队列"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--burst", action="store_true", help="运行完队列中已有的任务后退出")

    def handle(self, *args: Any, **options: Any) -> None:
        where = "数据库队列" if settings.TASKS_BACKEND == "database" else f"Redis 队列（{_redacted(str(settings.RQ_QUEUES['default']['URL']))}）"
        self.stderr.write(f"后台任务进程已启动：{where}")
        run_worker(burst=options["burst"])


def _redacted(url: str) -> str:
    """The Redis URL without its password."""
    if "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
