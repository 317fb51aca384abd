"""What every API router shares: the error shape {"code", "message"} and page-number pagination."""

from __future__ import annotations

import logging
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.types import DictStrAny

from .bounds import MAX_ID
from .errors import DomainError

T = TypeVar("T")
MAX_PAGE_SIZE = 500
logger = logging.getLogger("django.request")

# Query parameters every list takes; a page past the end is empty, one beyond any offset the database
# can skip is refused (400) rather than overflowing it.
PageNumber = Annotated[int, Field(ge=1, le=MAX_ID // MAX_PAGE_SIZE)]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]

SERVER_ERROR_MESSAGE = "服务器内部错误，请联系管理员并提供请求编号 {request_id}"


class ErrorOut(Schema):
    code: str
    message: str
    request_id: str | None = None


NUL_REFUSED = "请求内容含有空字符（\\u0000），无法保存"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class RefusingNulParser(Parser):
    """JSON bodies as ninja reads them, refusing a NUL character anywhere (PostgreSQL cannot store one in text:
    it would be a 500 there and a silently kept control character on SQLite). Forms refuse it already (Django's
    ProhibitNullCharactersValidator); the query string and path are checked by `core.middleware.RefuseNulMiddleware`."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        if _has_nul(data):
            raise DomainError(NUL_REFUSED)
        return data


class Api(NinjaAPI):
    """The site's NinjaAPI: one error shape for everything it answers, and every error documented."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=RefusingNulParser(), **kwargs)
        install_error_handlers(self)

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = ErrorOut.model_json_schema()
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                codes = {"400": "请求参数有误", "403": "没有执行此操作的权限", "404": "记录不存在或无权访问",
                         "409": "状态冲突（已被他人修改或步骤不对）", "500": "服务器内部错误（带请求编号）"}
                if operation.get("security"):
                    codes["401"] = "未登录或令牌无效"
                else:
                    codes["429"] = "登录失败次数过多，已锁定"
                responses = operation.setdefault("responses", {})
                for code, description in codes.items():
                    responses.setdefault(code, {"description": description, **error})
        return schema


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
        return error(request, "invalid", f"请求参数有误：{details}", 400)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error(request, "unauthenticated", "未登录或令牌无效", 401)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error(request, "not_found", "记录不存在或无权访问", 404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, DomainError):  # our body parser's refusal, wrapped by ninja
            return domain_error(request, cause)
        if str(exc).startswith("Cannot parse request body"):
            return error(request, "bad_request", "请求内容不是有效的 JSON，无法读取", 400)
        return error(request, "http_error", str(exc), exc.status_code)

    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    @api.exception_handler(MultiPartParserError)
    def bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
        """A body Django cannot read (a multipart without boundary, too many fields): the client's error."""
        return error(request, "bad_request", "请求格式有误，无法读取请求内容", 400)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        """Anything unexpected: logged with the request id, answered without a trace of what went wrong."""
        from .views import database_unavailable, is_database_unavailable

        if is_database_unavailable(exc):
            logger.warning("Database unavailable: %s", request.path)
            return database_unavailable(request)
        logger.error("Internal Server Error: %s", request.path, exc_info=exc,
                     extra={"status_code": 500, "request": request})
        return api.create_response(request, server_error_body(request), status=500)


def server_error_body(request: HttpRequest) -> dict[str, str]:
    """The JSON answer to an unexpected error, here and from the site's 500 handler for /api/ paths."""
    request_id = str(getattr(request, "request_id", "") or "-")
    return {"code": "server_error", "message": SERVER_ERROR_MESSAGE.format(request_id=request_id),
            "request_id": request_id}


def _zh(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "必填"
    if kind == "value_error" and "error" in ctx:  # our own checks raise ValueError with a Chinese message
        return str(ctx["error"])
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于{'' if kind.endswith('equal') else '或等于'} {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"超出允许范围（不能大于{'' if kind.endswith('equal') else '或等于'} {ctx.get('le', ctx.get('lt'))}）"
    if kind.startswith("int") or kind.startswith("decimal") or kind.startswith("float"):
        return "应为数字"
    if kind.startswith("string"):
        return "格式不正确"
    if kind.startswith("date"):
        return "应为日期（如 2016-03-01）"
    return "取值无效"
