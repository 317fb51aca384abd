"""The regions' picker kinds: villages (村) and regions of any level, by name or by code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.urls import reverse_lazy

from wuzaicun.core.pickers import RESULT_LIMIT, Choice, PickerSource, labels_of

from .models import Level, Region
from .selectors import regions_for

KINDS = ("villages", "regions")


def _place(region: Region) -> str:
    """The names above a region, down from the county (红花岗区老城街道), so that two 新村 differ."""
    names: list[str] = []
    parent = region.parent
    while parent is not None and parent.level >= Level.COUNTY:
        names.append(parent.name)
        parent = parent.parent
    return "".join(reversed(names))


def region_choices(user: Any, term: str, *, kind: str = "villages", codes: Sequence[str] | None = None) -> list[Choice]:
    """Regions in the user's scope whose name holds `term`, or whose code starts with it (villages only
    for kind "villages"); one more than RESULT_LIMIT, so that the page can say there are more."""
    queryset = regions_for(user).select_related("parent__parent__parent")
    if kind == "villages":
        queryset = queryset.filter(level=Level.VILLAGE)
    if codes is not None:
        queryset = queryset.filter(code__in=list(codes))
    elif term.isdigit():
        queryset = queryset.filter(code__within=term)
    elif term:
        queryset = queryset.filter(Q(name__icontains=term))
    else:
        return []
    rows = queryset.order_by("level", "code")
    return [Choice(r.code, r.name, _place(r)) for r in (rows if codes is not None else rows[: RESULT_LIMIT + 1])]


def village_labels(user: Any, codes: Sequence[str]) -> dict[str, str]:
    return labels_of(region_choices(user, "", kind="villages", codes=codes))


def region_labels(user: Any, codes: Sequence[str]) -> dict[str, str]:
    return labels_of(region_choices(user, "", kind="regions", codes=codes))


VILLAGE_PICKER = PickerSource(
    reverse_lazy("regions:pick", args=["villages"]), village_labels, "输入村名或区划代码搜索")
REGION_PICKER = PickerSource(
    reverse_lazy("regions:pick", args=["regions"]), region_labels, "输入地名或区划代码搜索")
