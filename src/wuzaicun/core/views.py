"""Error pages: a Chinese message and the request id, never a traceback; JSON under /api/."""

from __future__ import annotations

import sqlite3
import sys

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from .api import server_error_body

DATABASE_UNAVAILABLE = "数据库暂时无法连接，请稍后重试"
# seconds a client (or the load balancer) should wait before asking again
RETRY_AFTER_SECONDS = 5


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 when the database cannot be reached (stopped, failed over, out of connections).

    Rendered without the request's context processors: they would ask the same database for the user and the
    menu. The connection that failed is closed at the end of the request (Django drops a connection on which an
    error occurred, `CONN_HEALTH_CHECKS` tests a kept one before use), so the next request connects afresh and
    the site recovers when the database does, without a restart.
    """
    if _is_api(request):
        response: HttpResponse = JsonResponse({"code": "database_unavailable", "message": DATABASE_UNAVAILABLE},
                                              status=503)
    else:
        response = HttpResponse(render_to_string("core/unavailable.html", {"message": DATABASE_UNAVAILABLE}),
                                status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# PostgreSQL SQLSTATEs meaning "no database to talk to": class 08 (connection exception), 57P01 admin shutdown,
# 57P02 crash shutdown, 57P03 cannot connect now (starting up, recovering), 53300 too many connections
UNAVAILABLE_SQLSTATE_CLASSES = ("08",)
UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# SQLite primary result codes: SQLITE_IOERR (10, a disk or network-share failure), SQLITE_CANTOPEN (14)
UNAVAILABLE_SQLITE_CODES = frozenset({10, 14})


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached (503), not that one statement failed (500).

    Django wraps the driver's error (its `__cause__`), which is asked: PostgreSQL by SQLSTATE, or, without one,
    a client-side connection failure of libpq (refused, server closed the connection: no server answered to
    give a code); SQLite by result code. A lock timeout (55P03, SQLite's "database is locked"), a cancelled
    statement (57014), a serialization failure, a bad statement are the request's own failure: 500, logged.
    Django's InterfaceError is a connection already closed under the request: unavailable.
    """
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in UNAVAILABLE_SQLITE_CODES
    if isinstance(cause, psycopg.Error):
        state = cause.sqlstate
        if state is None:  # libpq's own failure: no server reply, so the connection itself
            return isinstance(cause, psycopg.OperationalError | psycopg.InterfaceError)
        return state.startswith(UNAVAILABLE_SQLSTATE_CLASSES) or state in UNAVAILABLE_SQLSTATES
    return False


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "bad_request", "message": "请求格式有误，无法读取请求内容"}, status=400)
    return render(request, "core/error.html", {"error": {"message": "请求格式有误"}}, status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "not_found", "message": "接口或记录不存在"}, status=404)
    return render(request, "core/error.html", {"error": {"message": "页面不存在或无权访问"}}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_database_unavailable(sys.exc_info()[1]):  # raised anywhere: a middleware's session read, a view
        return database_unavailable(request)
    if _is_api(request):  # an error outside the API's own handlers (a middleware, the URL resolver)
        return JsonResponse(server_error_body(request), status=500)
    return render(request, "core/error.html",
                  {"error": {"message": "系统繁忙，请稍后重试；如持续出现，请把请求编号告诉管理员"}}, status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "permission_denied", "message": "没有执行此操作的权限"}, status=403)
    return render(request, "core/error.html", {"error": {"message": "没有访问此页面的权限"}}, status=403)
