"""Input shapes of 组织保障's pages: a village-year's guarantees, and the year's standards."""

from __future__ import annotations

from typing import Any

from django import forms

from wuzaicun.core.bounds import YEAR_RANGE
from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.regions.pickers import VILLAGE_PICKER

from ..rules.guarantees import STANDARDS
from ..services.guarantees import RANGES, STANDARD_RANGE


class GuaranteeForm(StyledForm, PickerForm):
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    year = YEAR_RANGE.form_field(label="年度")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for s in STANDARDS:
            help_text = "未建党员群众之家的村可不填" if not s.blank_is_shortfall else ""
            self.fields[s.code] = RANGES[s.code].form_field(label=f"{s.title}（{s.unit}）", required=False,
                                                           help_text=help_text)
        if editing:  # the village and year of a record are fixed; another is a new record
            del self.fields["village_code"], self.fields["year"]
        self.order_fields(["village_code", "year", *(s.code for s in STANDARDS)])
        for name in (s.code for s in STANDARDS):
            self.fields[name].widget.attrs["class"] = "form-control"

    def values(self) -> dict[str, Any]:
        return {s.code: self.cleaned_data.get(s.code) for s in STANDARDS}


class StandardsForm(StyledForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for s in STANDARDS:
            self.fields[s.code] = STANDARD_RANGE.form_field(
                label=f"{s.title}（{s.comparison}，{s.unit}）", help_text=f"默认 {s.default:,}")
            self.fields[s.code].widget.attrs["class"] = "form-control"
