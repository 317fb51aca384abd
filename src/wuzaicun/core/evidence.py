"""Evidence files (photos and PDFs): type and size checked, stored outside the database."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from .errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
_TYPES = {  # magic bytes → (content type, extension)
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"%PDF-": ("application/pdf", ".pdf"),
}
ALLOWED_SUFFIXES = (".jpg", ".jpeg", ".png", ".pdf")


@dataclass(frozen=True)
class StoredFile:
    relative_path: str
    original_name: str
    content_type: str
    size: int
    sha256: str

    def fields(self) -> dict[str, object]:
        """The values of core.models.EvidenceFile's fields."""
        return {"path": self.relative_path, "original_name": self.original_name,
                "content_type": self.content_type, "size": self.size, "sha256": self.sha256}


def store_evidence_file(chunks: Iterable[bytes], *, original_name: str) -> StoredFile:
    """Check and keep an uploaded photo or PDF under MEDIA_ROOT/evidence; refuse anything else."""
    suffix = Path(original_name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise DomainError(f"佐证材料只接受 JPG、PNG 图片或 PDF 文件，“{original_name}”不符合", field="佐证材料")
    folder = Path(settings.MEDIA_ROOT) / "evidence" / uuid.uuid4().hex[:2]
    folder.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    path = folder / name
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as fh:
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_BYTES:
                fh.close()
                path.unlink(missing_ok=True)
                raise DomainError(f"佐证材料“{original_name}”超过 {MAX_BYTES // (1024 * 1024)} MB", field="佐证材料")
            digest.update(chunk)
            fh.write(chunk)
    with path.open("rb") as fh:
        head = fh.read(16)
    kind = next((t for magic, t in _TYPES.items() if head.startswith(magic)), None)
    if kind is None or (kind[1] == ".pdf") != (suffix == ".pdf"):
        path.unlink(missing_ok=True)
        raise DomainError(f"“{original_name}”的内容不是有效的图片或 PDF（扩展名与内容不符）", field="佐证材料")
    final = path.with_suffix(kind[1])
    path.rename(final)
    return StoredFile(
        relative_path=str(final.relative_to(settings.MEDIA_ROOT)), original_name=original_name[:200],
        content_type=kind[0], size=size, sha256=digest.hexdigest(),
    )


Upload = tuple[Iterable[bytes], str]  # an uploaded file: its chunks and its original name


def attach_evidence(model: Any, files: Iterable[Upload], **owner: Any) -> int:
    """Keep each file and create a row of `model` (an EvidenceFile subclass) for it, owned by `owner`; the count."""
    count = 0
    for chunks, name in files:
        stored = store_evidence_file(chunks, original_name=name)
        model.objects_unscoped.create(**owner, **stored.fields())
        count += 1
    return count
