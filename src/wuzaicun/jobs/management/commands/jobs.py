"""`wuzaicun jobs list [--user NAME] [--state S] [--json] | show ID [--json] | cancel ID | retry ID | purge | run`.

ID is a job's id or its first characters (at least 6). The command is the server's operator: it sees every
user's jobs (the pages show each user only their own).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.core.errors import DomainError
from wuzaicun.jobs import services
from wuzaicun.jobs.api import job_json
from wuzaicun.jobs.models import Job, JobState
from wuzaicun.jobs.selectors import find_job


def _plain(job: Job) -> dict[str, Any]:
    data = job_json(job)
    data["user"] = job.user.get_username()
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v) if k == "id" else v) for k, v in data.items()}


class Command(BaseCommand):
    help = "下载中心的任务：列出、查看、取消、重试，清理过期的结果文件"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="列出任务（最近的在前）")
        listing.add_argument("--user", help="只列出该用户的任务")
        listing.add_argument("--state", choices=JobState.values, help="只列出该状态的任务")
        listing.add_argument("--limit", type=int, default=50)
        listing.add_argument("--json", action="store_true")
        showing = sub.add_parser("show", help="查看一个任务")
        showing.add_argument("id")
        showing.add_argument("--json", action="store_true")
        sub.add_parser("cancel", help="取消任务").add_argument("id")
        sub.add_parser("retry", help="重试失败、已取消或已中断的任务（重复执行只运行一次）").add_argument("id")
        sub.add_parser("purge", help="删除超过保留期的结果文件")
        sub.add_parser("run", help="在本进程中运行数据库队列里已排队的任务，然后退出")

    def handle(self, *args: Any, **options: Any) -> None:
        # runs whose worker was killed are marked 已中断 (re-runnable) before they are shown or retried
        if options["action"] in ("list", "show", "retry") and (count := services.interrupt_dead_runs()):
            self.stderr.write(f"发现 {count} 个任务的运行进程已终止，已标记为“已中断”，可重试")
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _list(self, options: dict[str, Any]) -> None:
        jobs = Job.objects_unscoped.select_related("user").order_by("-created_at")
        if options.get("user"):
            jobs = jobs.filter(user__username=options["user"])
        if options.get("state"):
            jobs = jobs.filter(state=options["state"])
        rows = list(jobs[: max(1, options["limit"])])
        if options["json"]:
            self.stdout.write(json.dumps([_plain(j) for j in rows], ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("没有任务")
        for job in rows:
            self.stdout.write(f"{str(job.pk)[:8]}  {job.state_label:<4} {job.progress:>3}%  "
                              f"{job.created_at:%Y-%m-%d %H:%M}  {job.user.get_username()}  {job.label}")

    def _show(self, options: dict[str, Any]) -> None:
        job = find_job(options["id"])
        data = _plain(job)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"任务 {job.pk}：{job.label}")
        self.stdout.write(f"  提交人 {data['user']}，状态 {job.state_label}，进度 {job.progress}%，"
                          f"已处理 {job.rows_done} 行，问题 {job.errors} 处，第 {job.attempt} 次运行")
        if job.message:
            self.stdout.write(f"  {job.message}")
        if job.has_result:
            self.stdout.write(f"  结果文件 {job.result_name}（{job.result_size} 字节），保留至 {job.expires_at:%Y-%m-%d %H:%M}")

    def _cancel(self, options: dict[str, Any]) -> None:
        job = services.cancel_job(find_job(options["id"]))
        self.stdout.write("已取消" if job.finished else "已请求取消：任务将在处理完当前一批数据后停止")

    def _retry(self, options: dict[str, Any]) -> None:
        job = services.retry_job(find_job(options["id"]))
        self.stdout.write(f"任务已重新排队（第 {job.attempt} 次运行）" if job.state == JobState.QUEUED
                          else f"任务{job.state_label}，未重新排队")

    def _purge(self, options: dict[str, Any]) -> None:
        count = services.purge()
        self.stdout.write(f"已删除过期的结果文件 {count} 个")

    def _run(self, options: dict[str, Any]) -> None:
        from wuzaicun.jobs.worker import drain

        self.stdout.write(f"已运行 {drain()} 个任务")
