"""Checks on an uploaded spreadsheet before it is parsed: size, type, magic bytes, ZIP bombs, declared rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.conf import settings

from wuzaicun.core.errors import DomainError

from .readers import declared_rows

ALLOWED_SUFFIXES = (".xlsx", ".csv")
_MAX_ZIP_ENTRIES = 2_000
_MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024  # below this an entry cannot be a bomb, whatever its ratio


class UploadRefused(DomainError):
    code = "upload_refused"


def check_upload(path: Path, *, original_name: str) -> None:
    """Raise UploadRefused with a Chinese reason, or return for a file that may be parsed."""
    suffix = Path(original_name).suffix.lower()
    if suffix == ".xlsm":
        raise UploadRefused("不接受含宏的 .xlsm 文件：请另存为 .xlsx")
    if suffix == ".xls":
        raise UploadRefused("不支持旧版 .xls 文件：请在 Excel 中另存为 .xlsx")
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRefused(f"不支持的文件类型“{suffix or '无扩展名'}”：请上传 .xlsx 或 .csv 文件")
    size = path.stat().st_size
    if size == 0:
        raise UploadRefused("文件为空")
    if size > settings.IMPORT_MAX_UPLOAD_BYTES:
        limit = settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise UploadRefused(f"文件过大（{size // (1024 * 1024)} MB），上限为 {limit} MB")
    with path.open("rb") as fh:
        head = fh.read(8192)
    if suffix == ".xlsx":
        if not head.startswith(b"PK\x03\x04"):
            raise UploadRefused("文件内容不是 .xlsx 格式（扩展名与内容不符）")
        _check_zip(path)
    elif head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise UploadRefused("文件内容不是 CSV 文本（扩展名与内容不符）")
    elif _has_nul(path):
        raise UploadRefused("文件含有空字符（NUL），不是 CSV 文本：请另存为 UTF-8 或 GB18030 编码的 CSV")


def _has_nul(path: Path) -> bool:
    """A NUL byte anywhere marks a binary file (the csv module would stop at it, or pass it on)."""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if b"\x00" in chunk:
                return True
    return False


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > _MAX_ZIP_ENTRIES:
                raise UploadRefused("文件结构异常（压缩条目过多），已拒绝")
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > _MAX_RATIO * max(info.compress_size, 1) and info.file_size > _RATIO_FLOOR:
                    raise UploadRefused("文件结构异常（压缩比异常），已拒绝")
                if info.filename.lower().endswith("vbaproject.bin"):
                    raise UploadRefused("文件含有宏，已拒绝：请另存为不含宏的 .xlsx")
            limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
            if total > limit:
                raise UploadRefused(
                    f"文件解压后过大（{_mb(total)} MB，上限为 {_mb(limit)} MB），已拒绝：请拆分后分批导入"
                )
            rows = declared_rows(zf)
    except zipfile.BadZipFile:
        raise UploadRefused("不是有效的 .xlsx 文件") from None
    if rows is not None and rows > settings.IMPORT_MAX_ROWS:
        raise UploadRefused(f"工作表有 {rows:,} 行，超过上限 {settings.IMPORT_MAX_ROWS:,} 行，已拒绝：请拆分后分批导入")


def _mb(size: int) -> str:
    return f"{size / 1024**2:,.0f}"
