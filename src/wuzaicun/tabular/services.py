"""Import and export as the pages and the command line use them: uploads kept aside, checked, then run."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.services import require_perm
from wuzaicun.core.errors import DomainError
from wuzaicun.core.masking import mask_phone, mask_resident_id

from .engine import ImportReport, issue_map, locate_header, run_import
from .readers import iter_rows
from .registry import get_template
from .spec import ImportContext, ImportProgress
from .uploads import check_upload
from .writers import error_workbook


@dataclass(frozen=True)
class StoredUpload:
    token: str
    path: Path
    original_name: str


def upload_dir() -> Path:
    path = Path(settings.UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(chunks: Iterable[bytes], *, original_name: str) -> StoredUpload:
    """Keep an uploaded file under a random name, checked before anything parses it."""
    suffix = Path(original_name).suffix.lower()
    token = uuid.uuid4().hex
    path = upload_dir() / f"{token}{suffix if suffix in ('.xlsx', '.csv') else '.bin'}"
    with path.open("wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    try:
        check_upload(path, original_name=original_name)
    except DomainError:
        path.unlink(missing_ok=True)
        raise
    return StoredUpload(token=token, path=path, original_name=original_name)


def find_upload(token: str) -> Path:
    if not token.isalnum():
        raise DomainError("上传文件已失效，请重新上传", code="upload_expired")
    for suffix in (".xlsx", ".csv"):
        path = upload_dir() / f"{token}{suffix}"
        if path.exists():
            return path
    raise DomainError("上传文件已失效，请重新上传", code="upload_expired")


def import_file(
    *, actor: Any, kind: str, path: Path, year: int | None = None, region_code: str | None = None,
    dry_run: bool = False, source_name: str = "", progress: ImportProgress | None = None,
) -> ImportReport:
    template = get_template(kind)
    if not template.importable:
        raise DomainError(f"“{template.title}”由系统生成，只能导出，不能导入", code="export_only")
    if actor is not None:
        require_perm(actor, Perm(template.import_perm))
    ctx = ImportContext(actor=actor, year=year, region_code=region_code, dry_run=dry_run, progress=progress)
    return run_import(template, path, ctx, source_name=source_name)


def preview_rows(kind: str, path: Path, limit: int = 10) -> tuple[list[str], list[list[Any]]]:
    """The template's columns and the first rows of the file under them, for the preview page."""
    template = get_template(kind)
    rows = iter_rows(path)
    _, mapping = locate_header(template, rows)
    columns = [c for c in template.columns if c.key in mapping]
    derived = [c for c in template.columns if c.key not in mapping and c.derived_from and c.derived_from[0] in mapping]
    out: list[list[Any]] = []
    for _, values in rows:
        if len(out) >= limit:
            break
        row = [values[mapping[c.key]] if mapping[c.key] < len(values) else "" for c in columns]
        cells = [_masked(c.key, v) for c, v in zip(columns, row, strict=True)]
        for column in derived:
            assert column.derived_from is not None
            source_key, derive = column.derived_from
            source = values[mapping[source_key]] if mapping[source_key] < len(values) else None
            cells.append(derive(str(source)) if source not in (None, "") else "")
        out.append(cells)
    return [c.header for c in columns] + [f"{c.header}（按{_header(template, c.derived_from)}推断）"
                                          for c in derived if c.derived_from], out


def _header(template: Any, derived_from: tuple[str, Any] | None) -> str:
    return next((c.header for c in template.columns if derived_from and c.key == derived_from[0]), "")


def _masked(key: str, value: Any) -> Any:
    """The preview never echoes a full resident ID or phone number back to the browser."""
    if value is None or value == "":
        return value
    if key.endswith("resident_id"):
        return mask_resident_id(str(value))
    if key == "phone":
        return mask_phone(str(value))
    return value


def write_error_file(report: ImportReport, source: Path, target: Path) -> None:
    """The uploaded sheet with bad cells marked and a 错误原因 column (下载错误报告)."""
    template = get_template(report.kind)
    width = max(report.columns.values(), default=0) + 1
    error_workbook(iter_rows(source), issue_map(report), target, title=f"{template.title}-错误",
                   header_line=report.header_line, width=width)


def temp_xlsx() -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False, dir=upload_dir())  # noqa: SIM115
    handle.close()
    return Path(handle.name)


def discard(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
