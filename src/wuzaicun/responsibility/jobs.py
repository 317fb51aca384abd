"""The 五张责任清单 workbook as a job of 下载中心 (`jobs`): over JOB_EXPORT_ROWS entries 导出责任清单 queues it,
the worker writes it through `exports.export_lists` (the one entry point the page and the command call) as the
same user, so permission, scope and the export's audit row happen there; the owner downloads it in 下载中心."""

from __future__ import annotations

from typing import Any

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.services import require_perm
from wuzaicun.jobs.models import Job
from wuzaicun.jobs.registry import register_job_kind
from wuzaicun.jobs.runner import JobRun
from wuzaicun.jobs.services import submit
from wuzaicun.regions.selectors import get_region_for_user

from .exports import export_lists
from .selectors import count_entries

LISTS_EXPORT = "lists_export"


def lists_title(year: int, area_name: str) -> str:
    """The workbook's name, on the page's download and in 下载中心 alike."""
    return f"{area_name}{year}年度责任清单"


def _write(run: JobRun) -> dict[str, Any]:
    year = int(run.params["year"])
    area = get_region_for_user(run.user, run.params["region"])  # still in the user's scope, else not found
    run.report(rows=0, total=count_entries(run.user, year=year, region=area.code), stage="导出", force=True)
    target = run.temp_path(".xlsx")
    count = export_lists(actor=run.user, year=year, region=area.code, area_name=area.name, target=target,
                         progress=lambda rows: run.report(rows=rows))
    run.rows = count
    title = lists_title(year, area.name)
    run.attach(target, f"{title}.xlsx")
    return {"message": f"已导出{title} {count:,} 条", "rows": count}


def submit_lists_export(user: Any, *, year: int, region: str) -> Job:
    """Queue the year's five lists of `region` (a code in the user's scope, else not found) for `user`;
    the export permission is checked before it is queued, and again when the job runs."""
    require_perm(user, Perm.EXPORT_DATA)
    area = get_region_for_user(user, region)
    params = {"year": year, "region": area.code, "perm": Perm.EXPORT_DATA.value, "object_type": "assignment"}
    return submit(LISTS_EXPORT, user=user, params=params, label=f"导出{lists_title(year, area.name)}",
                  region_code=area.code)


register_job_kind(LISTS_EXPORT, _write, title="导出责任清单")
