"""The current request's id and client address, for the audit trail and the logs."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str
    ip: str


current_request: ContextVar[RequestInfo | None] = ContextVar("current_request", default=None)
