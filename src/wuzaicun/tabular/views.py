"""Import (upload → preview with errors → confirm), template download and export pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.services import require_perm
from wuzaicun.core.errors import DomainError
from wuzaicun.core.params import region_param, year_param

from .engine import export_to_xlsx
from .forms import UploadForm
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
    return render(request, "tabular/index.html", {"templates": all_templates()})


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
        messages.success(request, f"导入成功：{template.title}共 {report.imported} 行{report.summary}")
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


@requires(Perm.EXPORT_DATA)
@require_GET
def export(request: AuthedRequest, kind: str) -> HttpResponseBase:
    template = get_template(kind)
    year = year_param(request.GET.get("year"), default=0) or None
    region = region_param(request.GET.get("region"))
    ctx = ExportContext(actor=request.user, year=year, region_code=region)
    target = temp_xlsx()
    export_to_xlsx(template, ctx, target)
    return file_response(target, f"{template.title}.xlsx")


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
