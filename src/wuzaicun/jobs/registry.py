"""The kinds of job, registered by the apps like the tabular templates: `register_job_kind("report", func)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wuzaicun.core.errors import DomainError

if TYPE_CHECKING:
    from .runner import JobRun

# A kind's function runs in the worker: it reads `run.params` and `run.user`, reports progress through
# `run.report(...)` (which raises JobCancelled once the user cancelled), may `run.attach(path, name)` a result
# file, and returns a small JSON-able dict shown on the job's page (`message`: one Chinese sentence).
JobFunc = Callable[["JobRun"], dict[str, Any] | None]


@dataclass(frozen=True)
class JobKind:
    kind: str
    func: JobFunc
    title: str


_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: str, func: JobFunc, *, title: str = "") -> JobKind:
    if kind in _KINDS:
        raise ValueError(f"job kind {kind} registered twice")
    _KINDS[kind] = JobKind(kind=kind, func=func, title=title or kind)
    return _KINDS[kind]


def get_job_kind(kind: str) -> JobKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise DomainError(f"未知的任务类型“{kind}”", code="unknown_job_kind") from None


def all_job_kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda k: k.kind)
