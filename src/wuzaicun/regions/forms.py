"""An area (a county, a township, a village …) picked by name, not typed as a code: the filters of lists and
reports and the area of a spot check's draw."""

from __future__ import annotations

from typing import Any

from wuzaicun.core.errors import DomainError
from wuzaicun.core.params import region_param
from wuzaicun.core.pickers import PickerField, PickerForm

from .pickers import REGION_PICKER


class AreaForm(PickerForm):
    region = PickerField(label="地区", source=REGION_PICKER, required=False)


def shown_region(text: str | None) -> str:
    """A region as a page received it (a code or a prefix) as the 12-digit code a picker shows; blank when absent
    or not a code (the page's own read refuses it by name)."""
    try:
        return region_param(text) or ""
    except DomainError:
        return ""


def area_form(user: Any, region: str | None) -> AreaForm:
    """The filter's picker showing `region` by name."""
    return AreaForm(initial={"region": shown_region(region)}, user=user)
