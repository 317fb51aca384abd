"""Request id and client address for audit and logs; no-store caching on authenticated pages."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse

from .context import RequestInfo, current_request


class TrustedProxyMiddleware:
    """Behind a reverse proxy the peer is the proxy: when it is one of `TRUSTED_PROXIES`, the client is the last
    address it appended to X-Forwarded-For, and REMOTE_ADDR becomes that, for the audit trail, the online sessions
    and django-axes' lockout alike. From any other peer the header is ignored (it could be forged)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and request.META.get("REMOTE_ADDR", "") in self.trusted:
            client = forwarded.split(",")[-1].strip()
            if client:
                request.META["REMOTE_ADDR"] = client[:45]
        return self.get_response(request)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        info = RequestInfo(request_id=uuid.uuid4().hex[:16], ip=request.META.get("REMOTE_ADDR", ""))
        request.request_id = info.request_id  # type: ignore[attr-defined]
        token = current_request.set(info)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = info.request_id
        return response


class NoStoreForAuthenticatedMiddleware:
    """Pages with personal data must not sit in a shared or browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        info = current_request.get()
        record.request_id = info.request_id if info else "-"
        return True


class DomainErrorMiddleware:
    """A DomainError raised by a page becomes its Chinese message with the right status (404 for scope)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from .errors import DomainError

        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        template = "core/_error_alert.html" if getattr(request, "htmx", False) else "core/error.html"
        return render(request, template, {"error": exception}, status=exception.status)


class RefuseNulMiddleware:
    """A NUL character in the path or the query string is refused with 400 before any view runs: PostgreSQL
    cannot compare text with one (a search box's `?q=%00` was a 500 there). The API answers its JSON shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                          for key, values in request.GET.lists()):
            from .api import NUL_REFUSED

            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": NUL_REFUSED}, status=400)
            raise BadRequest(NUL_REFUSED)  # the site's 400 page
        return self.get_response(request)
