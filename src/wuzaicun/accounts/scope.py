"""The one scoping function: every read of scoped data and every write's target check goes through here.

A user's scope is a region-code prefix; a model declares `scope_path`, the lookup that reaches the
12-digit code of the region the record concerns. Anything unclear fails closed (an empty queryset,
or NotFound): out of scope answers exactly like missing.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from wuzaicun.core.errors import NotFound

from .roles import Perm, Role

M = TypeVar("M", bound=models.Model)


# Who may read a model at all, before its scope is applied: business data needs VIEW_REGISTRY (every business
# role has it; the security and audit administrators do not, 三员分立). A model that others must read names its
# own permissions in `scope_perms` (the audit trail; accounts and the names of places: roles.ADMINISTRATION).
BUSINESS_DATA: tuple[Perm, ...] = (Perm.VIEW_REGISTRY,)


def may_read(model: type[models.Model], user: Any) -> bool:
    can = getattr(user, "can", None)
    return can is not None and any(can(perm) for perm in getattr(model, "scope_perms", BUSINESS_DATA))


class ScopedUser(Protocol):
    @property
    def scope_prefix(self) -> str | None: ...


def prefix_for(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    prefix: str | None = getattr(user, "scope_prefix", None)
    return prefix


def scoped(
    model: type[M] | models.QuerySet[M], user: Any, *, with_unassigned: bool = False
) -> models.QuerySet[M]:
    """The model's records that concern a region within the user's scope.

    `with_unassigned` adds, for an audit administrator of the whole province only, records that concern no region
    (the audit rows of command-line runs and of failed logins for unknown accounts). A role without the model's read permission
    (`may_read`) gets nothing, whatever its scope.
    """
    queryset = model if isinstance(model, models.QuerySet) else model.objects_unscoped.all()  # type: ignore[attr-defined]
    path = getattr(queryset.model, "scope_path", None)
    if not path:
        raise ImproperlyConfigured(f"{queryset.model.__name__} declares no scope_path")
    prefix = prefix_for(user)
    if prefix is None or not may_read(queryset.model, user):
        return queryset.none()
    if prefix == "":
        return queryset
    condition = models.Q(**{f"{path}__within": prefix})
    if with_unassigned and getattr(user, "role", None) == Role.AUDIT_ADMIN and len(prefix) <= 2:
        condition |= models.Q(**{path: ""})
    return queryset.filter(condition)


def narrowed(queryset: models.QuerySet[M], region_code: str | None) -> models.QuerySet[M]:
    """Narrow an already scoped queryset to the records under one region (never widens it)."""
    if not region_code:
        return queryset
    from wuzaicun.regions.codes import prefix_of

    path = getattr(queryset.model, "scope_path", None)
    if not path:
        raise ImproperlyConfigured(f"{queryset.model.__name__} declares no scope_path")
    return queryset.filter(**{f"{path}__within": prefix_of(region_code)})


def get_for_user(model: type[M] | models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """One object in scope, or NotFound whether it is missing or out of scope."""
    try:
        return scoped(model, user).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError, OverflowError):  # an id beyond 64 bits: not found
        raise NotFound() from None


def code_in_scope(user: Any, code: str | None) -> bool:
    prefix = prefix_for(user)
    return prefix is not None and code is not None and code.startswith(prefix)


def require_code_in_scope(user: Any, code: str | None, *, field: str = "区划代码") -> None:
    """Refuse a write that targets a region outside the user's scope (as if it did not exist)."""
    if not code_in_scope(user, code):
        raise NotFound(f"{field}“{code}”不存在或不在您的管辖范围内")
