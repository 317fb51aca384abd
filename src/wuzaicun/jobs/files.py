"""Where result files live: JOB_DIR/<job id>.<suffix>, written under a temporary name and moved into place."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def job_dir() -> Path:
    path = Path(settings.JOB_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def result_path(stored: str) -> Path | None:
    """The stored name's file, or None when the name is not one of ours (never a path from elsewhere)."""
    if not stored or "/" in stored or "\\" in stored or stored.startswith("."):
        return None
    return job_dir() / stored


def remove(stored: str) -> None:
    path = result_path(stored)
    if path is not None:
        path.unlink(missing_ok=True)
