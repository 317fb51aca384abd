"""Deny by default (the API authenticates itself), the idle and absolute session limits of the security policy
(30 minutes and 12 hours by default), and a password to change: an initial one, or one past the policy's age."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from . import policy

SESSION_STARTED = "wzc_started"
SESSION_REFRESHED = "wzc_refreshed"
# The idle expiry is pushed forward at most this often: a session ends 29 to 30 minutes after its last request.
SESSION_REFRESH_SECONDS = 60


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware, with the idle timeout kept without a database write per request.

    `SESSION_SAVE_EVERY_REQUEST` saved the session row on every request to move its expiry; on SQLite
    each save waits for the one write lock, so during an import a user's page views queued behind it and
    lost their session after the busy timeout. Here a request saves only when the session changed or
    its expiry was last moved a minute or more ago (the row and the cookie then both get 30 more minutes).
    Logout still deletes the row, and SessionLimitMiddleware still ends any session after 12 hours.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(SESSION_REFRESHED, 0) >= SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED] = now
                session.set_expiry(policy.current().idle_minutes * 60)
        return super().process_response(request, response)


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Every page needs a login unless its view opts out; /api/ answers 401 JSON through its own auth."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            started = request.session.get(SESSION_STARTED)
            if started is None:
                request.session[SESSION_STARTED] = int(time.time())
            elif time.time() - started > policy.current().session_hours * 3600:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A user holding an initial password set by an administrator, or one older than the policy's 密码有效期, must
    change it before anything else."""

    ALLOWED = ("/accounts/password/", "/accounts/logout/", "/accounts/logout-all/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (user.is_authenticated and not request.path.startswith(self.ALLOWED) and not request.path.startswith("/api/")
                and (getattr(user, "must_change_password", False) or policy.password_expired(user))):
            return redirect("accounts:password")
        return self.get_response(request)


class SecondFactorMiddleware:
    """双因素认证: after the password, a user with an authenticator reaches nothing but the code page until a code
    passes, and a user whose role requires one but has none reaches nothing but enrolment (accounts/twofa.py). The
    API refuses such a session on its own (api.ActiveSessionAuth)."""

    ALLOWED = ("/accounts/logout/", "/static/")
    STEPS = {"verify": "accounts:twofa_verify", "enrol": "accounts:twofa_enrol"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.urls import reverse

        from . import twofa

        if (request.user.is_authenticated and hasattr(request, "session") and not request.path.startswith("/api/")
                and not request.path.startswith(self.ALLOWED)):
            step = twofa.next_step(request)
            if step is not None and request.path != reverse(self.STEPS[step]):
                return redirect(self.STEPS[step])
        return self.get_response(request)
