"""Writing jobs: submit, cancel, retry, the audited download of a result, the purge of expired files.

`submit(kind, user=, params=, label=)` is the API the other apps use (their kinds registered with
`registry.register_job_kind`). The job row is written first, then its task is queued; the task claims the job
by (id, run number), so whatever the queue delivers twice runs once.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import code_in_scope
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.errors import DomainError, NotFound

from .files import job_dir, result_path
from .liveness import process_alive, session_alive, this_place
from .models import RERUNNABLE_STATES, Job, JobState
from .registry import get_job_kind
from .rules import WorkerMark, run_is_dead
from .runner import purge_expired
from .selectors import job_of

logger = logging.getLogger(__name__)


def submit(kind: str, *, user: Any, params: dict[str, Any], label: str, region_code: str = "") -> Job:
    """Queue a job of a registered kind for `user` (who alone will see it); returns the job, 排队中."""
    get_job_kind(kind)
    if getattr(user, "pk", None) is None:
        raise DomainError("任务须由登录用户提交", code="job_needs_user")
    job = Job.objects_unscoped.create(kind=kind, label=label[:200], user=user, params=params,
                                      region_code=region_code or (getattr(user, "scope_id", "") or ""))
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from .tasks import run_job

    result = run_job.enqueue(str(job.pk), job.attempt)
    Job.objects_unscoped.filter(pk=job.pk, attempt=job.attempt).update(task_id=str(result.id)[:64])
    job.task_id = str(result.id)[:64]


def cancel(actor: Any, job_id: object) -> Job:
    """Cancel the actor's job: a queued one at once, a running one between two of its chunks (cooperative)."""
    return cancel_job(job_of(actor, job_id))


def cancel_job(job: Job) -> Job:
    """Cancel any job (the command line, run by the server's operator)."""
    if Job.objects_unscoped.filter(pk=job.pk, state=JobState.QUEUED).update(
            state=JobState.CANCELLED, finished_at=timezone.now(), message="已取消：尚未开始运行"):
        job.refresh_from_db()
        return job
    if Job.objects_unscoped.filter(pk=job.pk, state=JobState.RUNNING).update(cancel_requested=True):
        job.refresh_from_db()
        return job
    job.refresh_from_db()
    raise DomainError(f"任务已{job.state_label}，无需取消", code="job_finished")


INTERRUPTED_MESSAGE = "已中断：运行任务的进程意外终止（如被强制结束或服务器断电），未写入任何数据；可点“重试”从头运行"


def interrupt_dead_runs(*, user: Any = None, job_id: uuid.UUID | str | None = None) -> int:
    """Mark 已中断 the running jobs whose worker is gone (rules.run_is_dead); returns how many.

    Called where someone looks (下载中心's pages and API, `wuzaicun jobs`) and by the workers' housekeeping (at
    their start and every JOB_HOUSEKEEPING_SECONDS): what a killed worker left is found the next time it
    matters. A dead run wrote nothing that stays (an import's write pass is one transaction, rolled back by the
    database when its session died); its unfinished result file is removed. The job is not re-queued by itself: a job that kills its worker (out of memory)
    would kill the next one too; the user's 重试 (idempotent by job id and run number) runs it again.
    """
    running = Job.objects_unscoped.filter(state=JobState.RUNNING)
    if user is not None:
        running = running.filter(user_id=user.pk)
    if job_id is not None:
        running = running.filter(pk=job_id)
    now = timezone.now()
    here = this_place()
    interrupted = 0
    for pk, attempt, worker, heartbeat, started in running.values_list(
            "pk", "attempt", "worker", "heartbeat_at", "started_at"):
        mark = WorkerMark.decode(worker)
        local = mark is not None and mark.place == here
        last = heartbeat or started or now
        dead = run_is_dead(
            mark=mark, here=here, process_alive=process_alive(mark) if local and mark else None,
            session_alive=session_alive(mark) if mark and not local else None,
            silent_seconds=(now - last).total_seconds(), stale_seconds=settings.JOB_STALE_SECONDS)
        if dead and Job.objects_unscoped.filter(pk=pk, attempt=attempt, state=JobState.RUNNING).update(
                state=JobState.INTERRUPTED, finished_at=now, message=INTERRUPTED_MESSAGE, cancel_requested=False):
            discard_partial_files(pk, attempt)
            interrupted += 1
    return interrupted


def retry(actor: Any, job_id: object) -> Job:
    """Run the actor's failed, cancelled or interrupted job again from scratch, under the same id.

    Safe to repeat: only the first of two clicks finds the job re-runnable and queues a run; the second finds
    it queued and leaves it. A running job is retried only when its worker is found gone (interrupt_dead_runs).
    """
    return retry_job(job_of(actor, job_id))


def retry_job(job: Job) -> Job:
    """Retry any job (the command line, run by the server's operator); see `retry`."""
    if job.state == JobState.RUNNING:
        interrupt_dead_runs(job_id=job.pk)
    with transaction.atomic():
        updated = Job.objects_unscoped.filter(state__in=RERUNNABLE_STATES, pk=job.pk).update(
            state=JobState.QUEUED, attempt=F("attempt") + 1, cancel_requested=False, progress=0, rows_done=0,
            rows_total=None, errors=0, stage="", message="", outcome={}, started_at=None, finished_at=None,
            heartbeat_at=None, worker="")
    job.refresh_from_db()
    if updated:
        _enqueue(job)
    elif job.state == JobState.DONE:
        raise DomainError("任务已完成，无需重试", code="job_done")
    return job


def discard_partial_files(job_id: object, attempt: int) -> None:
    """The unfinished result files a dead run left (JobRun.temp_path's names)."""
    for path in job_dir().glob(f".{job_id}-{attempt}-*.part"):
        path.unlink(missing_ok=True)


def open_result(actor: Any, job_id: object) -> tuple[Path, str]:
    """The actor's own result file and its download name, checked and audited as an export.

    Only the job's owner, only while they still hold the permission the job needed and the region is still in
    their scope; anything else answers like a missing file.
    """
    job = job_of(actor, job_id)
    path = result_path(job.result_file) if job.has_result else None
    if path is None or not path.is_file():
        raise NotFound("结果文件不存在或已过期删除")
    if job.expires_at is not None and job.expires_at <= timezone.now():  # kept no longer, even before the purge
        raise NotFound("结果文件不存在或已过期删除")
    perm = job.params.get("perm")
    if perm and not actor.can(Perm(perm)):
        raise NotFound("结果文件不存在或已过期删除")
    if job.params.get("full_ids") and not actor.can(Perm.REVEAL_ID):  # plaintext IDs: still allowed to see them
        raise NotFound("结果文件不存在或已过期删除")
    if job.region_code and not code_in_scope(actor, job.region_code):
        raise NotFound("结果文件不存在或已过期删除")
    with transaction.atomic():
        record(actor=actor, action=Action.EXPORT, object_type=str(job.params.get("object_type", "job"))[:50],
               object_id=job.pk, region_code=job.region_code,
               summary=f"下载任务结果：{job.label}（{job.result_name}）",
               changes={"job": str(job.pk), "file": job.result_name, "bytes": job.result_size})
    return path, job.result_name


def purge(now: Any = None) -> int:
    """`wuzaicun jobs purge`: remove the result files kept past JOB_RESULT_DAYS."""
    return purge_expired(now)


def housekeeping() -> dict[str, int]:
    """What a worker does every JOB_HOUSEKEEPING_SECONDS, with jobs or none: result files past their time
    removed, runs whose worker died marked 已中断 (re-runnable), the tallies' committed rows folded (D47).
    Each part is safe to repeat and beside running jobs. A failed fold is logged, not raised (as after a job):
    unfolded rows are read correctly, only more of them. Returns how many of each."""
    from wuzaicun.core import tally

    done = {"purged": purge_expired(), "interrupted": interrupt_dead_runs(), "folded": 0}
    try:
        done["folded"] = tally.fold()
    except DatabaseError:  # e.g. the tally locked by a rebuild under an operator's lock_timeout
        logger.exception("folding the tallies failed; tried again at the next round")
    return done
