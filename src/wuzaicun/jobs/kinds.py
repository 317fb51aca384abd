"""The kinds this app runs for the tabular engine: a large export, and a large import's check and commit.

Other apps register theirs the same way (`register_job_kind("report", func)`), in their own module imported
from their AppConfig.ready.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from wuzaicun.tabular.engine import export_to_xlsx, format_issues
from wuzaicun.tabular.readers import declared_rows
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import discard, find_upload, import_file, write_error_file
from wuzaicun.tabular.spec import ExportContext

from .registry import register_job_kind
from .runner import JobRun

EXPORT = "export"
IMPORT_CHECK = "import_check"
IMPORT_COMMIT = "import_commit"
ASSESSMENT = "assessment"
ISSUES_SHOWN = 200  # the issues listed on the job's page; the marked workbook has them all


def _export(run: JobRun) -> dict[str, Any]:
    p = run.params
    template = get_template(p["template"])
    ctx = ExportContext(
        actor=run.user, year=p.get("year"), region_code=p.get("region") or None, full_ids=bool(p.get("full_ids")),
        reason=p.get("reason") or "", filters=p.get("filters") or {}, progress=lambda n: run.report(rows=n),
    )
    total = template.export_count(ctx) if template.export_count else None
    run.report(rows=0, total=total, stage="导出", force=True)
    target = run.temp_path(".xlsx")
    count = export_to_xlsx(template, ctx, target)
    run.rows = count
    run.attach(target, f"{template.title}.xlsx")
    return {"message": f"已导出{template.title} {count:,} 行", "rows": count}


def estimate_lines(path: Path) -> int | None:
    """The file's lines, for a percentage: an .xlsx's declared range, a CSV's line breaks (a quick count)."""
    if path.suffix == ".xlsx":
        try:
            with zipfile.ZipFile(path) as zf:
                return declared_rows(zf)
        except zipfile.BadZipFile:
            return None
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _import(run: JobRun, *, dry_run: bool) -> dict[str, Any]:
    p = run.params
    template = get_template(p["template"])
    path = find_upload(p["token"])
    total = estimate_lines(path)
    # The check pass is most of the work; a commit's write pass takes the last part of the bar.
    share = 100 if dry_run else 70

    def progress(stage: str, rows: int, issues: int) -> None:
        done = rows * share // total if total else None
        if stage == "write":
            done = share + (rows * (100 - share) // max(run.rows, 1))
            run.report(errors=issues, stage="写入数据库", percent=done)
        else:
            run.report(rows=rows, errors=issues, stage="校验", percent=done)

    run.report(rows=0, total=total, stage="校验", force=True)
    report = import_file(actor=run.user, kind=template.kind, path=path, year=p.get("year"), dry_run=dry_run,
                         source_name=p.get("name", ""), progress=progress)
    # no cancel check from here on: the import has committed (or written nothing); a cancel now would mislabel it
    run.rows, run.errors = report.total_rows, report.issue_count
    outcome: dict[str, Any] = {
        "ok": report.ok, "total_rows": report.total_rows, "issue_count": report.issue_count,
        "failed_lines": report.failed_lines, "issues": list(format_issues(report, ISSUES_SHOWN)),
        "template": template.kind, "title": template.title,
    }
    if not report.ok:
        target = run.temp_path(".xlsx")
        write_error_file(report, path, target)
        run.attach(target, f"{Path(p.get('name') or 'import').stem}-错误标注.xlsx")
        verb = "校验" if dry_run else "导入"
        outcome["message"] = (f"{verb}发现 {report.issue_count:,} 处问题（{report.failed_lines:,} 行），未导入任何数据："
                              f"请下载错误标注文件修改后重新上传")
    elif dry_run:
        outcome["message"] = f"校验通过：{template.title}共 {report.total_rows:,} 行，可以确认导入"
    else:
        discard(path)
        outcome["message"] = f"导入完成：{template.title}共 {report.total_rows:,} 行，成功 {report.imported:,} 行{report.summary}"
        outcome["imported"] = report.imported
    return outcome


def _import_check(run: JobRun) -> dict[str, Any]:
    return _import(run, dry_run=True)


def _import_commit(run: JobRun) -> dict[str, Any]:
    return _import(run, dry_run=False)


def _assessment(run: JobRun) -> dict[str, Any]:
    """年度考核 of a large region (verification.assessment.run_assessment, one transaction: all or nothing)."""
    from wuzaicun.verification.assessment import run_assessment

    p = run.params
    run.report(stage="计算考核结果", percent=5, force=True)
    summary = run_assessment(actor=run.user, year=p["year"], region_code=p["region"], durable=False)
    run.rows = summary.assessed
    return {"message": f"已计算 {summary.assessed:,} 个村和乡镇的考核结果（保留已确认 {summary.kept:,} 个）",
            "assessed": summary.assessed, "kept": summary.kept, "grades": dict(summary.grades)}


register_job_kind(EXPORT, _export, title="导出")
register_job_kind(ASSESSMENT, _assessment, title="年度考核")
register_job_kind(IMPORT_CHECK, _import_check, title="导入校验")
register_job_kind(IMPORT_COMMIT, _import_commit, title="导入")
