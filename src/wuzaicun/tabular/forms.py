"""The upload form."""

from __future__ import annotations

from django import forms

from wuzaicun.core.forms import StyledForm


class UploadForm(StyledForm):
    file = forms.FileField(label="选择文件（.xlsx 或 .csv）")
    year = forms.IntegerField(label="年度", min_value=1949, max_value=2100, required=False)
