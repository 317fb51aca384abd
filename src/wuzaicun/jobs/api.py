"""API of 下载中心: `GET /api/jobs`, `GET /api/jobs/{id}`, `POST /api/jobs/{id}/cancel`, `POST /api/jobs/{id}/retry`,
`GET /api/jobs/{id}/result` (the file). Every user reaches only their own jobs; another's answers 404."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Router, Schema

from . import services
from .models import Job
from .selectors import job_of, jobs_of

router = Router(tags=["下载中心"])
LIST_LIMIT = 100


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    state: str
    state_label: str
    progress: int
    rows_done: int
    rows_total: int | None
    errors: int
    stage: str
    message: str
    outcome: dict[str, Any]
    attempt: int
    cancel_requested: bool
    has_result: bool
    result_name: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    expires_at: datetime | None


def job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk, "kind": job.kind, "label": job.label, "state": job.state,
        "state_label": job.state_label, "progress": job.progress, "rows_done": job.rows_done,
        "rows_total": job.rows_total, "errors": job.errors, "stage": job.stage, "message": job.message,
        "outcome": job.outcome, "attempt": job.attempt, "cancel_requested": job.cancel_requested,
        "has_result": job.has_result, "result_name": job.result_name if job.has_result else "",
        "created_at": job.created_at, "started_at": job.started_at, "finished_at": job.finished_at,
        "expires_at": job.expires_at,
    }


@router.get("/jobs", response=list[JobOut], summary="我的任务（最近 100 个）")
def list_jobs(request: HttpRequest) -> list[dict[str, Any]]:
    services.interrupt_dead_runs(user=request.user)
    return [job_json(job) for job in jobs_of(request.user)[:LIST_LIMIT]]


@router.get("/jobs/{job_id}", response=JobOut, summary="任务进度与结果")
def get_job(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    services.interrupt_dead_runs(user=request.user, job_id=job_id)
    return job_json(job_of(request.user, job_id))


@router.post("/jobs/{job_id}/cancel", response=JobOut, summary="取消任务（运行中的任务在当前一批处理完后停止）")
def cancel_job(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    return job_json(services.cancel(request.user, job_id))


@router.post("/jobs/{job_id}/retry", response=JobOut, summary="重试失败、已取消或已中断的任务（重复调用只运行一次）")
def retry_job(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    return job_json(services.retry(request.user, job_id))


@router.get("/jobs/{job_id}/result", summary="下载任务的结果文件（记入操作日志）")
def job_result(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    path, name = services.open_result(request.user, job_id)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Content-Length"] = str(path.stat().st_size)
    return response
