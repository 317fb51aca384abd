"""`{% region_tree %}`: the region tree (市 → 县 → 乡 → 村) beside a list page; a click filters the list."""

from __future__ import annotations

from typing import Any

from django import template

from ..codes import code_from_prefix
from ..selectors import region_tree as build_tree

register = template.Library()


@register.inclusion_tag("_region_tree.html", takes_context=True)
def region_tree(context: template.Context, form: str = "search-form") -> dict[str, Any]:
    """The tree of the user's scope, opened down to the page's `?region=` (kept working as before)."""
    request = context["request"]
    selected = request.GET.get("region", "").strip()
    try:
        selected = code_from_prefix(selected) if selected else ""
    except ValueError:
        selected = ""
    root = build_tree(request.user, selected)
    return {"root": root, "root_nodes": [root] if root else [], "selected": selected, "form": form}
