"""Error pages: a Chinese message and the request id, never a traceback; JSON under /api/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .api import server_error_body


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
    if _is_api(request):  # an error outside the API's own handlers (a middleware, the URL resolver)
        return JsonResponse(server_error_body(request), status=500)
    return render(request, "core/error.html",
                  {"error": {"message": "系统繁忙，请稍后重试；如持续出现，请把请求编号告诉管理员"}}, status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "permission_denied", "message": "没有执行此操作的权限"}, status=403)
    return render(request, "core/error.html", {"error": {"message": "没有访问此页面的权限"}}, status=403)
