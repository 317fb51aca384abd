"""A job: one long piece of work a user asked for, run by the task queue, with its progress and result file."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"
    # its worker was killed (kill -9, the OOM killer, a power cut): nothing of it was kept; 重试 runs it again
    INTERRUPTED = "interrupted", "已中断"


FINISHED_STATES: tuple[str, ...] = (JobState.DONE, JobState.FAILED, JobState.CANCELLED, JobState.INTERRUPTED)
# a run that ended without a result: 重试 runs it again from scratch, under the same id
RERUNNABLE_STATES: tuple[str, ...] = (JobState.FAILED, JobState.CANCELLED, JobState.INTERRUPTED)


class Job(models.Model):
    # A random id: a job's address never tells how many jobs others have run.
    id = models.UUIDField("编号", primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("类型", max_length=40)
    label = models.CharField("名称", max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.CASCADE,
                             related_name="jobs", db_index=False)
    params = models.JSONField("参数", default=dict, blank=True)
    # The region the job reads or writes (its export's region, or the user's scope): the download is checked
    # against the user's scope as it is then.
    region_code = models.CharField("区划", max_length=12, blank=True, default="")
    state = models.CharField("状态", max_length=12, choices=JobState.choices, default=JobState.QUEUED,
                             db_index=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    rows_total = models.PositiveIntegerField("总行数", null=True, blank=True)
    errors = models.PositiveIntegerField("已发现问题", default=0)
    stage = models.CharField("阶段", max_length=40, blank=True, default="")
    message = models.CharField("结果说明", max_length=500, blank=True, default="")
    outcome = models.JSONField("结果", default=dict, blank=True)
    result_file = models.CharField("结果文件", max_length=200, blank=True, default="")
    result_name = models.CharField("结果文件名", max_length=200, blank=True, default="")
    result_size = models.PositiveBigIntegerField("结果文件大小", default=0)
    cancel_requested = models.BooleanField("已请求取消", default=False)
    # Each run (the first and every retry) has its number; a task carries the number it was queued for and
    # runs only while it is still the job's: a second delivery or an old task does nothing (idempotent retry).
    attempt = models.PositiveIntegerField("运行次数", default=1)
    task_id = models.CharField("任务编号", max_length=64, blank=True, default="")
    # the process running the current run (rules.WorkerMark): a run whose worker is gone is marked 已中断
    worker = models.CharField("运行进程", max_length=200, blank=True, default="")
    created_at = models.DateTimeField("提交时间", db_default=Now())
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    expires_at = models.DateTimeField("结果保留至", null=True, blank=True, db_index=True)

    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["user", "-created_at"], name="jobs_user_recent")]

    def __str__(self) -> str:
        return self.label

    @property
    def state_label(self) -> str:
        return str(JobState(self.state).label)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def has_result(self) -> bool:
        return self.state == JobState.DONE and bool(self.result_file)
