"""Import (upload → preview with errors → confirm), template download and export pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.services import require_perm
from wuzaicun.core.errors import DomainError
from wuzaicun.jobs.tabular import submit_export, submit_import_check
from wuzaicun.regions.forms import shown_region

from .engine import export_to_xlsx
from .forms import ExportForm, UploadForm
from .registry import all_templates, get_template
from .services import (
    discard,
    find_upload,
    import_file,
    preview_rows,
    store_upload,
    temp_xlsx,
    write_error_file,
)
from .spec import ExportContext
from .writers import template_workbook

SESSION_KEY = "tabular_uploads"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires(Perm.IMPORT_DATA)
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    exportable = {t.kind for t in all_templates() if t.export_rows and user.can(Perm(t.export_perm))}
    shown = [t for t in all_templates() if (t.importable and user.can(Perm(t.import_perm))) or t.kind in exportable]
    return render(request, "tabular/index.html", {"templates": shown, "exportable": exportable})


def _remember(request: AuthedRequest, token: str, data: dict[str, Any]) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = data
    request.session[SESSION_KEY] = dict(list(uploads.items())[-5:])


def _recall(request: AuthedRequest, token: str, kind: str) -> dict[str, Any]:
    data: dict[str, Any] | None = request.session.get(SESSION_KEY, {}).get(token)
    if data is None or data.get("kind") != kind:
        raise DomainError("上传文件已失效，请重新上传", code="upload_expired")
    return data


@requires(Perm.IMPORT_DATA)
@require_http_methods(["GET", "POST"])
def upload(request: AuthedRequest, kind: str) -> HttpResponse:
    template = get_template(kind)
    if not template.importable:
        raise DomainError(f"“{template.title}”由系统生成，只能导出，不能导入", code="export_only")
    require_perm(request.user, Perm(template.import_perm))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        year = form.cleaned_data["year"]
        if template.needs_year and year is None:
            form.add_error("year", "导入村情须填写年度")
        else:
            try:
                stored = store_upload(uploaded.chunks(), original_name=uploaded.name)
                if stored.path.stat().st_size > settings.JOB_IMPORT_BYTES:
                    # A large file is checked by a job (下载中心) with progress, not in the request.
                    job = submit_import_check(request.user, template, stored, year=year)
                    _remember(request, stored.token, {"kind": kind, "name": uploaded.name, "year": year})
                    messages.info(request, "文件较大，已转入下载中心在后台校验；校验通过后可在任务页确认导入")
                    return redirect("jobs:detail", job_id=job.pk)
                report = import_file(actor=request.user, kind=kind, path=stored.path, year=year, dry_run=True,
                                     source_name=uploaded.name)
                headers, sample = preview_rows(kind, stored.path)
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                _remember(request, stored.token, {"kind": kind, "name": uploaded.name, "year": year})
                return render(request, "tabular/preview.html", {
                    "template": template, "report": report, "token": stored.token, "name": uploaded.name,
                    "headers": headers, "sample": sample, "issues": report.issues[:200],
                })
    return render(request, "tabular/upload.html", {"template": template, "form": form})


@requires(Perm.IMPORT_DATA)
@require_POST
def confirm(request: AuthedRequest, kind: str, token: str) -> HttpResponse:
    data = _recall(request, token, kind)
    path = find_upload(token)
    report = import_file(actor=request.user, kind=kind, path=path, year=data["year"], source_name=data["name"])
    template = get_template(kind)
    if report.ok:
        discard(path)
        messages.success(request, f"导入完成：{template.title}共 {report.total_rows} 行，成功 {report.imported} 行，"
                                  f"失败 0 行{report.summary}")
        return redirect("tabular:index")
    headers, sample = preview_rows(kind, path)
    return render(request, "tabular/preview.html", {
        "template": template, "report": report, "token": token, "name": data["name"],
        "headers": headers, "sample": sample, "issues": report.issues[:200],
    })


@requires(Perm.IMPORT_DATA)
@require_GET
def error_file(request: AuthedRequest, kind: str, token: str) -> HttpResponseBase:
    data = _recall(request, token, kind)
    path = find_upload(token)
    report = import_file(actor=request.user, kind=kind, path=path, year=data["year"], dry_run=True,
                         source_name=data["name"])
    target = temp_xlsx()
    write_error_file(report, path, target)
    name = f"{Path(data['name']).stem}-错误标注.xlsx"
    return file_response(target, name)


@require_GET
def template_file(request: AuthedRequest, kind: str) -> HttpResponseBase:
    template = get_template(kind)
    target = temp_xlsx()
    template_workbook(template, target)
    return file_response(target, f"{template.title}导入模板.xlsx")


@require_http_methods(["GET", "POST"])
def export(request: AuthedRequest, kind: str) -> HttpResponseBase:
    """GET: the export form (links carry ?year= and ?region=); POST: the file, audited once.

    The export itself is a POST: a GET that writes an audit row is repeated by link prefetching,
    download managers and the back button, and a reason for full IDs does not belong in a URL.
    """
    template = get_template(kind)
    require_perm(request.user, Perm(template.export_perm))  # export_data, or the audit logs' own
    if template.export_rows is None:
        raise DomainError(f"“{template.title}”不支持导出", code="export_unsupported")
    offer_full_ids = template.carries_ids and request.user.can(Perm.REVEAL_ID)
    source = request.POST if request.method == "POST" else request.GET
    # The list page's filters travel with the export (links carry them; the form keeps them as hidden fields).
    filters = {key: source.get(key, "").strip()[:100] for key, _ in template.filters if source.get(key, "").strip()}
    initial = {"year": request.GET.get("year", "").strip(), "region": shown_region(request.GET.get("region"))}
    form = ExportForm(request.POST if request.method == "POST" else None, initial=initial, offer_full_ids=offer_full_ids,
                      needs_year=template.needs_year, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ctx = ExportContext(actor=request.user, year=data.get("year"), region_code=data["region"],
                            full_ids=bool(data.get("full_ids")), reason=data.get("reason") or "", filters=filters)
        if template.export_count is not None and template.export_count(ctx) > settings.JOB_EXPORT_ROWS:
            # A large export is written by a job (下载中心): the checks run again there, as the same user.
            job = submit_export(request.user, template, ctx)
            messages.info(request, f"“{template.title}”数据量较大，已转入下载中心在后台生成，完成后可在此下载")
            return redirect("jobs:detail", job_id=job.pk)
        target = temp_xlsx()
        try:
            export_to_xlsx(template, ctx, target)
        except DomainError:
            discard(target)
            raise
        return file_response(target, f"{template.title}.xlsx")
    labels = dict(template.filters)
    return render(request, "tabular/export.html", {
        "template": template, "form": form, "filters": [(key, labels[key], value) for key, value in filters.items()]})


class _DeletingFile:
    """A file object that removes the temporary file once the response has been sent."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = path.open("rb")

    def read(self, size: int = -1) -> bytes:
        return self.handle.read(size)

    def close(self) -> None:
        self.handle.close()
        self.path.unlink(missing_ok=True)


def file_response(path: Path, filename: str) -> FileResponse:
    response = FileResponse(_DeletingFile(path), as_attachment=True, filename=filename, content_type=XLSX)
    response["Content-Length"] = str(path.stat().st_size)
    return response
