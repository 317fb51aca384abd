"""Error pages: a Chinese message and the request id, never a traceback."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"error": {"message": "页面不存在或无权访问"}}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/error.html",
                  {"error": {"message": "系统繁忙，请稍后重试；如持续出现，请把请求编号告诉管理员"}}, status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"error": {"message": "没有访问此页面的权限"}}, status=403)
