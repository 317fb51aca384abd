"""Running one job in the worker: claim it for its run, call its kind, record the outcome, purge what expired.

A task carries (job id, run number). It claims the job only while the job is queued for that very run, so a
task delivered twice, or an old task of a job retried since, does nothing: a retry re-runs the job from scratch
under the same id, once. The kind reports progress through `JobRun.report`, which also reads the job's cancel
flag and raises JobCancelled between chunks: an import then leaves its transaction (rolled back, nothing
written), an export its unfinished file (removed).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from wuzaicun.core import tally
from wuzaicun.core.db import in_own_transaction
from wuzaicun.core.errors import DomainError

from .files import job_dir
from .liveness import current_mark
from .models import Job, JobState
from .registry import get_job_kind

logger = logging.getLogger(__name__)

REPORT_EVERY = 0.5  # seconds between two progress writes (and cancel checks) of a job


class JobCancelled(Exception):
    """The user cancelled the job: raised by `JobRun.report` between two chunks of work."""


class JobRun:
    """What a kind's function gets: the job's parameters and user, progress reporting, result files."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.params: dict[str, Any] = dict(job.params)
        self.user = job.user
        self.rows = 0
        self.total: int | None = None
        self.errors = 0
        self.stage = ""
        self.percent: int | None = None
        self._last = 0.0
        self._temps: list[Path] = []
        self.result: tuple[str, str, int] | None = None

    def report(self, *, rows: int | None = None, total: int | None = None, errors: int | None = None,
               stage: str | None = None, percent: int | None = None, force: bool = False) -> None:
        """Note the progress; at most every half second write it to the job and check for a cancel."""
        if rows is not None:
            self.rows = rows
        if total is not None:
            self.total = total
        if errors is not None:
            self.errors = errors
        if stage is not None:
            self.stage = stage
        if percent is not None:
            self.percent = percent
        now = time.monotonic()
        if not force and now - self._last < REPORT_EVERY:
            return
        self._last = now
        self.flush()

    def current_percent(self) -> int:
        if self.percent is not None:
            return max(0, min(99, self.percent))
        if self.total:
            return max(0, min(99, self.rows * 100 // self.total))
        return 0

    def flush(self) -> None:
        """Write the progress (same connection: inside an import's write transaction it shows at commit) and
        raise JobCancelled when the user asked to cancel or the job was taken over by another run."""
        if not in_own_transaction():
            # inside an import's write transaction the update would hold the job's row until the commit, so a
            # cancel would wait for the whole write and land after it: there only the flag is read
            mine = Job.objects_unscoped.filter(pk=self.job.pk, attempt=self.job.attempt, state=JobState.RUNNING)
            mine.update(progress=self.current_percent(), rows_done=self.rows, rows_total=self.total,
                        errors=self.errors, stage=self.stage[:40], heartbeat_at=timezone.now())
        flag = Job.objects_unscoped.filter(pk=self.job.pk).values_list("cancel_requested", "attempt").first()
        if flag is None or flag[0] or flag[1] != self.job.attempt:
            raise JobCancelled

    def temp_path(self, suffix: str) -> Path:
        """A file to write the result into; removed if the job does not finish."""
        path = job_dir() / f".{self.job.pk}-{self.job.attempt}-{uuid.uuid4().hex[:8]}{suffix}.part"
        self._temps.append(path)
        return path

    def attach(self, path: Path, name: str) -> None:
        """Keep `path` as the job's result file, downloaded as `name`."""
        suffix = Path(name).suffix or path.suffix
        stored = f"{self.job.pk}-{self.job.attempt}{suffix}"
        target = job_dir() / stored
        if path.parent == target.parent:
            os.replace(path, target)
        else:
            shutil.move(str(path), target)
        self.result = (stored, name[:200], target.stat().st_size)

    def discard(self) -> None:
        for path in self._temps:
            path.unlink(missing_ok=True)
        if self.result is not None:
            (job_dir() / self.result[0]).unlink(missing_ok=True)
            self.result = None


def execute(job_id: str, attempt: int) -> str:
    """Run the job's run `attempt`, if it is still queued for it. Returns the state it ended in."""
    now = timezone.now()
    # who runs it: if this process dies (kill -9), the next look at the job sees it gone and marks it 已中断
    mark = current_mark().encode()
    claimed = Job.objects_unscoped.filter(pk=job_id, attempt=attempt, state=JobState.QUEUED).update(
        state=JobState.RUNNING, worker=mark, started_at=now, heartbeat_at=now, finished_at=None, progress=0, rows_done=0,
        rows_total=None, errors=0, stage="", message="", outcome={})
    if not claimed:
        return "skipped"
    job = Job.objects_unscoped.select_related("user").get(pk=job_id)
    run = JobRun(job)
    state, message, outcome = JobState.FAILED, "", {}
    try:
        if not job.user.is_active:
            raise DomainError("提交任务的账号已停用，任务未执行")
        outcome = get_job_kind(job.kind).func(run) or {}
        state, message = JobState.DONE, str(outcome.pop("message", "已完成"))
    except JobCancelled:
        run.discard()
        state, message = JobState.CANCELLED, "已取消：未写入任何数据，未生成结果文件"
    except DomainError as exc:
        run.discard()
        message = exc.message
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        run.discard()
        message = "任务运行出错，未写入任何数据；可点“重试”，多次失败请联系系统管理员"
    finally:
        for path in run._temps:
            path.unlink(missing_ok=True)
    _finish(run, state, message, outcome)
    purge_expired()
    try:
        tally.fold()  # what the job counted, into the tallies' folded rows (D47); the job is finished either way
    except DatabaseError:
        logger.exception("folding the tallies after job %s failed", job.pk)
    return str(state)


def _finish(run: JobRun, state: str, message: str, outcome: dict[str, Any]) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {
        "state": state, "message": message[:500], "outcome": outcome, "finished_at": now, "heartbeat_at": now,
        "rows_done": run.rows, "errors": run.errors, "stage": "",
    }
    if state == JobState.DONE:
        fields["progress"] = 100
        if run.result is not None:
            stored, name, size = run.result
            fields.update(result_file=stored, result_name=name, result_size=size,
                          expires_at=now + timedelta(days=settings.JOB_RESULT_DAYS))
    updated = Job.objects_unscoped.filter(pk=run.job.pk, attempt=run.job.attempt).update(**fields)
    if not updated:  # taken over by a retry meanwhile: its file is not the job's
        run.discard()


def purge_expired(now: Any = None) -> int:
    """Remove the result files kept past their time; the jobs stay listed, marked 已过期. Returns the count."""
    from .files import remove

    now = now or timezone.now()
    expired = list(Job.objects_unscoped.filter(expires_at__lte=now).exclude(result_file="")
                   .values_list("pk", "result_file"))
    for pk, stored in expired:
        remove(stored)
        Job.objects_unscoped.filter(pk=pk, result_file=stored).update(result_file="", result_size=0)
    return len(expired)
