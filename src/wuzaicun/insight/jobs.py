"""The annual report as a job of 下载中心 (`jobs`): the page's 生成年度报告 queues it, the worker writes the .docx
through `report.write_report` (the one entry point the command also calls), the owner downloads it there."""

from __future__ import annotations

from typing import Any

from wuzaicun.accounts.roles import Perm
from wuzaicun.jobs.models import Job
from wuzaicun.jobs.registry import register_job_kind
from wuzaicun.jobs.runner import JobRun
from wuzaicun.jobs.services import submit

from .report import OBJECT_TYPE, check_report_allowed, report_area, report_title, write_report

ANNUAL_REPORT = "annual_report"


def _write(run: JobRun) -> dict[str, Any]:
    year = int(run.params["year"])
    region = run.params.get("region") or None
    run.report(stage="生成报告", percent=5, force=True)
    title = report_title(year, report_area(run.user, region))
    target = run.temp_path(".docx")
    with target.open("wb") as out:
        write_report(run.user, year=year, region=region, out=out)
    run.attach(target, f"{title}.docx")
    return {"message": f"已生成{title}"}


def submit_report(user: Any, *, year: int, region: str | None) -> Job:
    """Queue the report of `year` for `region` (the user's whole scope when None); checked before it is queued:
    the export permission, and the region in the user's scope (else not found)."""
    check_report_allowed(user, year=year, region=region)
    area = report_area(user, region)
    params = {"year": year, "region": region or "", "perm": Perm.EXPORT_DATA.value, "object_type": OBJECT_TYPE}
    return submit(ANNUAL_REPORT, user=user, params=params, label=report_title(year, area), region_code=region or "")


register_job_kind(ANNUAL_REPORT, _write, title="年度报告")
