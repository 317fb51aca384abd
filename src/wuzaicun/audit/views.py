"""The audit pages: 登录日志 and 操作日志 for the audit administrator, and the whole trail at /audit/.
Read-only, filterable, scoped by the region each row concerns, exported through the tabular engine."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param

from .access import AUDIT_PERM
from .labels import describe
from .models import Result
from .selectors import LOG_KINDS, actions_of, entries_for, names_for_page

FILTERS = ("action", "actor", "object_type", "since", "until", "result", "region")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _log_page(request: AuthedRequest, kind: str) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in FILTERS}
    actions = actions_of(kind)
    if filters["action"] not in {v for v, _ in actions}:
        filters["action"] = ""
    queryset = entries_for(
        request.user, action=filters["action"], actor=filters["actor"], object_type=filters["object_type"],
        since=_date(filters["since"]), until=_date(filters["until"]), result=filters["result"],
        region=region_param(filters["region"]), kind=kind,
    )
    context = paginate(request, queryset) | {
        "filters": filters, "actions": actions, "results": Result.choices, "kind": kind,
        "title": LOG_KINDS.get(kind, "操作日志"), "export_kind": f"audit_{kind}" if kind else "",
        "url_name": f"audit:{kind}" if kind else "audit:entries",
    }
    page = list(context["page_obj"].object_list)
    describe(page, **names_for_page(request.user, page))
    context["page_obj"].object_list = page
    return render_list(request, "audit/entries.html", context)


@requires(AUDIT_PERM)
@vary_on_headers("HX-Request")
@require_GET
def entries(request: AuthedRequest) -> HttpResponse:
    """The whole trail (the first audit page's URL, kept working)."""
    return _log_page(request, "")


@requires(AUDIT_PERM)
@vary_on_headers("HX-Request")
@require_GET
def logins(request: AuthedRequest) -> HttpResponse:
    """登录日志: logins, logouts, failed logins, lockouts."""
    return _log_page(request, "logins")


@requires(AUDIT_PERM)
@vary_on_headers("HX-Request")
@require_GET
def operations(request: AuthedRequest) -> HttpResponse:
    """操作日志: every other action (changes, imports, exports, reveals of full IDs, refusals, purges)."""
    return _log_page(request, "operations")
