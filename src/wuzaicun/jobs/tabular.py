"""How the import and export pages hand a large file to a job (docs/jobs.md J5, J6)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wuzaicun.core.errors import DomainError
from wuzaicun.tabular.services import StoredUpload, find_upload
from wuzaicun.tabular.spec import ExportContext, Template

from .kinds import EXPORT, IMPORT_CHECK, IMPORT_COMMIT
from .models import Job, JobState
from .services import submit


def submit_export(user: Any, template: Template, ctx: ExportContext) -> Job:
    params = {
        "template": template.kind, "year": ctx.year, "region": ctx.region_code or "", "full_ids": ctx.full_ids,
        "reason": ctx.reason, "filters": dict(ctx.filters), "perm": template.export_perm,
        "object_type": template.object_type,
    }
    label = f"导出{template.title}" + (f"（{ctx.year}年）" if ctx.year else "")
    return submit(EXPORT, user=user, params=params, label=label, region_code=ctx.region_code or "")


def submit_import_check(user: Any, template: Template, stored: StoredUpload, *, year: int | None) -> Job:
    params = {"template": template.kind, "token": stored.token, "name": stored.original_name, "year": year,
              "perm": template.import_perm, "object_type": template.object_type}
    return submit(IMPORT_CHECK, user=user, params=params, label=f"校验导入文件：{template.title}（{stored.original_name}）")


def submit_import_commit(user: Any, check: Job) -> Job:
    """确认导入 after a passed check job: the same file, now written (all or nothing) by another job."""
    if check.kind != IMPORT_CHECK or check.state != JobState.DONE or not check.outcome.get("ok"):
        raise DomainError("只有校验通过的文件才能确认导入", code="import_not_checked")
    find_upload(check.params["token"])  # still there (not imported by an earlier click, not cleaned away)
    # two quick clicks: the check job's row is locked (SQLite: the write lock) while one of them looks and submits
    with transaction.atomic():
        Job.objects_unscoped.select_for_update().filter(pk=check.pk).first()
        already = Job.objects_unscoped.filter(user=check.user, kind=IMPORT_COMMIT, params__token=check.params["token"]
                                              ).exclude(state__in=(JobState.FAILED, JobState.CANCELLED)).first()
        if already is not None:  # a second click on 确认导入 shows the first one's job
            return already
        params = {**check.params, "check_job": str(check.pk)}
        title = check.outcome.get("title", "")
        return submit(IMPORT_COMMIT, user=user, params=params,
                      label=f"导入{title}（{check.params.get('name', '')}）")
