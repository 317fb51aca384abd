"""The area of a spot check's draw and of the assessment results' filter, picked by name (not by code)."""

from __future__ import annotations

from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.regions.pickers import REGION_PICKER


class AreaForm(PickerForm):
    region = PickerField(label="地区", source=REGION_PICKER, required=False)
