"""The audit page (操作日志): read-only, filterable, scoped."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param

from .labels import describe
from .models import Action, Result
from .selectors import entries_for, names_for_page


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@requires(Perm.VIEW_AUDIT)
@vary_on_headers("HX-Request")
@require_GET
def entries(request: AuthedRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("action", "actor", "object_type", "since", "until", "result", "region")}
    queryset = entries_for(
        request.user, action=filters["action"], actor=filters["actor"], object_type=filters["object_type"],
        since=_date(filters["since"]), until=_date(filters["until"]), result=filters["result"],
        region=region_param(filters["region"]),
    )
    context = paginate(request, queryset) | {"filters": filters, "actions": Action.choices, "results": Result.choices}
    page = list(context["page_obj"].object_list)
    describe(page, **names_for_page(request.user, page))
    context["page_obj"].object_list = page
    return render_list(request, "audit/entries.html", context)
