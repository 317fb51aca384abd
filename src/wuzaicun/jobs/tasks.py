"""The one task the queue runs: a job's run (Django's tasks framework, through the django-tasks backport)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: str, attempt: int) -> str:
    from .runner import execute

    return execute(job_id, attempt)
