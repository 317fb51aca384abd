"""One family of domain errors: a machine code and a Chinese message, turned into one JSON shape or page."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user caused; `message` is Chinese and names the field, row or column involved."""

    code: str = "invalid"
    status: int = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """Missing or out of scope: the same answer either way, so existence is not confirmed."""

    code = "not_found"
    status = 404

    def __init__(self, message: str = "记录不存在或无权访问") -> None:
        super().__init__(message)


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403

    def __init__(self, message: str = "没有执行此操作的权限") -> None:
        super().__init__(message)


class Conflict(DomainError):
    """Optimistic-lock failure: somebody saved the record since it was read."""

    code = "conflict"
    status = 409

    def __init__(self, message: str = "该记录已被他人修改，请刷新后重试") -> None:
        super().__init__(message)


class OutOfOrder(DomainError):
    """A workflow step asked before its turn (or after the end): refused, nothing changed."""

    code = "out_of_order"
    status = 409
