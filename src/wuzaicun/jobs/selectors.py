"""Reading jobs: every user sees only the jobs they submitted (the system administrator too, J4)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from wuzaicun.core.errors import NotFound

from .models import Job


def jobs_of(user: Any) -> QuerySet[Job]:
    if user is None or getattr(user, "pk", None) is None or not getattr(user, "is_authenticated", False):
        return Job.objects_unscoped.none()
    return Job.objects_unscoped.filter(user_id=user.pk).order_by("-created_at")


def job_of(user: Any, job_id: object) -> Job:
    """The user's own job; another user's answers exactly like a missing one."""
    try:
        key = job_id if isinstance(job_id, uuid.UUID) else uuid.UUID(str(job_id))
    except ValueError:
        raise NotFound("任务不存在") from None
    job = jobs_of(user).filter(pk=key).first()
    if job is None:
        raise NotFound("任务不存在")
    return job


def find_job(job_id: str) -> Job:
    """A job by its id or the id's first characters (at least 6), for the command line (the server's operator)."""
    text = job_id.strip().lower()
    try:
        return Job.objects_unscoped.select_related("user").get(pk=uuid.UUID(text))
    except ValueError:
        pass
    except Job.DoesNotExist:
        raise NotFound(f"任务 {job_id} 不存在") from None
    if len(text) < 6 or not all(c in "0123456789abcdef-" for c in text):
        raise NotFound(f"任务 {job_id} 不存在（请给出任务编号，至少前 6 位）")
    matches = [j for j in Job.objects_unscoped.select_related("user").order_by("-created_at")[:5000]
               if str(j.pk).startswith(text)]
    if len(matches) != 1:
        raise NotFound(f"任务 {job_id} 不存在" if not matches else f"有多个任务以 {job_id} 开头，请多给几位")
    return matches[0]
