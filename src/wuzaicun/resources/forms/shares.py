"""Input shapes of 三变's pages: a contribution, and a dividend to split."""

from __future__ import annotations

from django import forms

from wuzaicun.core.bounds import YEAR_RANGE
from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.registry.pickers import HOUSEHOLD_PICKER

from ..models.shares import ContributionKind
from ..services.shares import AMOUNT_RANGE, LAND_RANGE, SHARES_RANGE, TOTAL_RANGE

_DATE = forms.DateInput(attrs={"type": "date"})


class ContributionForm(StyledForm, PickerForm):
    village_code = forms.CharField(widget=forms.HiddenInput)  # narrows the household picker to the entity's village
    household_id = PickerField(label="股东户", coerce=int, source=HOUSEHOLD_PICKER, within="village_code",
                               required=False, help_text="不选则为村集体入股")
    kind = forms.ChoiceField(label="入股方式", choices=ContributionKind.choices)
    land_mu = LAND_RANGE.form_field(label="土地面积（亩）", required=False)
    property_name = forms.CharField(label="资产名称", max_length=200, required=False)
    amount = AMOUNT_RANGE.form_field(label="折价或金额（元）", required=False)
    shares = SHARES_RANGE.form_field(label="股份")
    contributed_on = forms.DateField(label="入股日期", widget=_DATE,
                                     error_messages={"invalid": "入股日期应为日期（如 2016-03-01）"})


class DividendForm(StyledForm):
    year = YEAR_RANGE.form_field(label="年度")
    total = TOTAL_RANGE.form_field(label="分红总额（元）")
