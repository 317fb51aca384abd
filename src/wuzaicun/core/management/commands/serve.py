"""`wuzaicun serve [--bind 127.0.0.1:8000] [--workers N] [--threads N]`: the production server (README 生产部署).

Before it serves it refuses a database with unapplied migrations and a configuration with deploy errors, prints
the deploy warnings in full (serving plain HTTP outside a TLS terminator is the usual one), and collects the static
files with hashed names. Then it replaces itself with gunicorn (gthread workers) running `wuzaicun.wsgi` with
WUZAICUN_PRODUCTION=1, so WhiteNoise serves the static files compressed and cached for ten years. Settings come
from the environment, as for every command (README 配置): several app servers behind a load balancer share
SECRET_KEY, DATABASE_URL and FIELD_KEYS_FILE.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.commands import require_migrated


def default_workers() -> int:
    """Two processes a core and one more (gunicorn's rule of thumb), at most 17; WEB_CONCURRENCY overrides."""
    if value := os.environ.get("WEB_CONCURRENCY"):
        return max(1, int(value))
    return min(2 * (os.cpu_count() or 1) + 1, 17)


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "wuzaicun.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--timeout", str(timeout),
        "--graceful-timeout", "30",
        "--max-requests", "5000",  # a worker is replaced now and then, so no slow leak grows for ever
        "--max-requests-jitter", "500",
        "--access-logfile", "-",
        # method and path only: no query string (a list search may hold an ID), no header, no body
        "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    ]


class Command(BaseCommand):
    help = "启动生产环境服务（gunicorn；静态文件压缩并长期缓存）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"),
                            help="监听地址，默认 127.0.0.1:8000（由反向代理终止 TLS）")
        parser.add_argument("--workers", type=int, default=None, help="工作进程数，默认 CPU 核数×2+1")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("THREADS", "4")),
                            help="每个进程的线程数，默认 4")
        parser.add_argument("--timeout", type=int, default=120, help="单个请求的最长秒数，默认 120")
        parser.add_argument("--check-only", action="store_true", help="只做启动前检查，不启动服务")

    def handle(self, *args: Any, **options: Any) -> None:
        require_migrated()
        call_command("check", deploy=True, fail_level="ERROR", stdout=self.stderr)
        env = {**os.environ, "WUZAICUN_PRODUCTION": "1", "DJANGO_SETTINGS_MODULE": "wuzaicun.settings"}
        collected = subprocess.run([sys.executable, "-m", "wuzaicun.manage", "collectstatic", "--noinput",
                                    "--verbosity", "0"], env=env, check=False)
        if collected.returncode != 0:
            raise CommandError("静态文件收集失败：请确认已运行 ./dev setup（npm ci）")
        workers = options["workers"] or default_workers()
        argv = gunicorn_argv(bind=options["bind"], workers=workers, threads=options["threads"],
                             timeout=options["timeout"])
        self.stderr.write(f"生产服务：{options['bind']}，{workers} 个进程 × {options['threads']} 个线程")
        if options["check_only"]:
            self.stdout.write(" ".join(argv[1:]))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, argv, env)  # noqa: S606 (this interpreter running gunicorn, fixed arguments)
