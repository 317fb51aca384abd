"""下载中心: the user's own jobs, each with live progress (htmx polling while it runs), cancel, retry, download."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.core.paging import paginate

from . import services
from .kinds import IMPORT_CHECK
from .models import FINISHED_STATES
from .selectors import job_of, jobs_of
from .tabular import submit_import_commit

POLL_SECONDS = 2


@require_GET
@vary_on_headers("HX-Request")
def index(request: AuthedRequest) -> HttpResponse:
    services.interrupt_dead_runs(user=request.user)  # a run whose worker was killed shows 已中断, with 重试
    context = paginate(request, jobs_of(request.user))
    context["polling"] = any(job.state not in FINISHED_STATES for job in context["page_obj"])
    context["poll_seconds"] = POLL_SECONDS
    context["result_days"] = settings.JOB_RESULT_DAYS
    name = "jobs/index.html#list" if getattr(request, "htmx", False) else "jobs/index.html"
    return render(request, name, context)


@require_GET
@vary_on_headers("HX-Request")
def detail(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponse:
    services.interrupt_dead_runs(user=request.user, job_id=job_id)
    job = job_of(request.user, job_id)
    context = {"job": job, "polling": not job.finished, "poll_seconds": POLL_SECONDS,
               "can_commit": job.kind == IMPORT_CHECK and job.finished and bool(job.outcome.get("ok"))}
    name = "jobs/detail.html#panel" if getattr(request, "htmx", False) else "jobs/detail.html"
    return render(request, name, context)


@require_POST
def cancel(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponse:
    job = services.cancel(request.user, job_id)
    messages.info(request, "任务已取消" if job.finished else "已请求取消：任务将在处理完当前一批数据后停止，不留下部分结果")
    return redirect("jobs:detail", job_id=job.pk)


@require_POST
def retry(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponse:
    job = services.retry(request.user, job_id)
    messages.info(request, "任务已重新排队，将从头运行")
    return redirect("jobs:detail", job_id=job.pk)


@require_POST
def commit(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponse:
    """确认导入 of a large file checked by a job: the write runs as a job too."""
    check = job_of(request.user, job_id)
    job = submit_import_commit(request.user, check)
    return redirect("jobs:detail", job_id=job.pk)


@require_GET
def download(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponseBase:
    path, name = services.open_result(request.user, job_id)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Content-Length"] = str(path.stat().st_size)
    return response
