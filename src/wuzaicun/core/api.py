"""What every API router shares: the error shape {"code", "message"} and page-number pagination."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .errors import DomainError

T = TypeVar("T")
MAX_PAGE_SIZE = 500


class ErrorOut(Schema):
    code: str
    message: str


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


def paged(queryset: QuerySet[Any], *, page: int, page_size: int) -> dict[str, Any]:
    """One page of `queryset`; page_size is capped, a page past the end is empty."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError(f"分页参数无效：page 须 ≥ 1，page_size 须在 1–{MAX_PAGE_SIZE} 之间", code="invalid_page")
    start = (page - 1) * page_size
    return {
        "count": queryset.count(),
        "page": page,
        "page_size": page_size,
        "results": list(queryset[start : start + page_size]),
    }


def _field_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "请求"


def install_error_handlers(api: NinjaAPI) -> None:
    def error(request: HttpRequest, code: str, message: str, status: int) -> HttpResponse:
        return api.create_response(request, {"code": code, "message": message}, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error(request, exc.code, exc.message, exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = "；".join(f"{_field_name(list(e.get('loc', [])))}：{_zh(e)}" for e in exc.errors)
        return error(request, "invalid", f"请求参数有误：{details}", 422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error(request, "unauthenticated", "未登录或令牌无效", 401)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error(request, "not_found", "记录不存在或无权访问", 404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error(request, "http_error", str(exc), exc.status_code)


def _zh(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "必填"
    if kind.startswith("int") or kind.startswith("decimal") or kind.startswith("float"):
        return "应为数字"
    if kind.startswith("string"):
        return "格式不正确"
    if kind.startswith("date"):
        return "应为日期（如 2016-03-01）"
    return "取值无效"
