"""Pagination for list pages: 共 N 条, 10/20/50/100 per page (default 20), page numbers, 跳至."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20


def page_size_from(raw: str | None) -> int:
    try:
        size = int(raw or DEFAULT_PAGE_SIZE)
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def paginate(request: HttpRequest, queryset: QuerySet[Any] | Sequence[Any], *, count: int | None = None) -> dict[str, Any]:
    size = page_size_from(request.GET.get("page_size"))
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return {
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_sizes": PAGE_SIZES,
        "query_string": keep.urlencode(),
        "keep_query": {k: v for k, v in keep.items() if k != "page_size"},
        "offset": page.start_index() - 1 if paginator.count else 0,
    }


def render_list(request: HttpRequest, template: str, context: dict[str, Any], *, partial: str = "list") -> HttpResponse:
    """The whole list page, or only its `list` partial (the #list element) for an htmx request.
    Views using it carry `@vary_on_headers("HX-Request")` so a cached fragment never stands for a page."""
    from django.shortcuts import render

    return render(request, f"{template}#{partial}" if getattr(request, "htmx", False) else template, context)
