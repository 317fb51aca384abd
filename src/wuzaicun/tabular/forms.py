"""The upload form and the export form."""

from __future__ import annotations

from typing import Any

from django import forms

from wuzaicun.core.errors import DomainError
from wuzaicun.core.forms import StyledForm
from wuzaicun.core.params import region_param
from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.regions.pickers import REGION_PICKER


class UploadForm(StyledForm):
    file = forms.FileField(label="选择文件（.xlsx 或 .csv）")
    year = forms.IntegerField(label="年度", min_value=1949, max_value=2100, required=False)


class ExportForm(StyledForm, PickerForm):
    """What to export. The full-ID option exists only for a role that may see IDs (`offer_full_ids`)."""

    year = forms.IntegerField(label="年度", min_value=1949, max_value=2100, required=False,
                              help_text="不填则导出全部年度")
    region = PickerField(label="地区", source=REGION_PICKER, required=False,
                         help_text="按地名搜索选择县、乡镇或村；不选则导出管辖范围内全部")
    full_ids = forms.BooleanField(label="导出完整身份证号", required=False,
                                  help_text="默认按脱敏格式导出（520321********1234）；导出完整号码须填写原因，并记入操作日志")
    reason = forms.CharField(label="导出原因", max_length=100, required=False)

    def __init__(self, *args: Any, offer_full_ids: bool, needs_year: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_year:
            del self.fields["year"]
        if not offer_full_ids:
            del self.fields["full_ids"]
            del self.fields["reason"]

    def clean_region(self) -> str | None:
        try:
            return region_param(self.cleaned_data.get("region"))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("full_ids") and not (data.get("reason") or "").strip():
            self.add_error("reason", "导出完整身份证号须填写导出原因")
        return data
