"""Permissions declared on views, checked in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponseBase

from .roles import Perm
from .services import require_perm

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def requires(perm: Perm) -> Callable[[V], V]:
    """The view runs only for a user whose role carries `perm`; others get 403 and an audit row."""

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require_perm(request.user, perm)
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate
