"""Input shapes of 整合项目's pages: a project (its place, date and funds by source), one funding, beneficiaries,
a stage to move to with its date and evidence."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from wuzaicun.core.bounds import YEAR_RANGE
from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import MultiplePickerField, PickerField, PickerForm
from wuzaicun.core.text import ParseError, parse_money
from wuzaicun.regions.pickers import REGION_PICKER
from wuzaicun.registry.pickers import HOUSEHOLD_PICKER

from ..models.projects import FundSource
from ..rules.projects import amount_problem

_DATE = forms.DateInput(attrs={"type": "date"})


class MoneyField(forms.CharField):
    """An amount in yuan to the fen (“10,000.01” accepted)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            amount = parse_money(text)
        except ParseError as exc:
            raise forms.ValidationError(f"{self.label}：{exc}") from None
        if problem := amount_problem(amount, str(self.label).removesuffix("（元）")):
            raise forms.ValidationError(problem)
        return amount


def _source_field(source: str) -> str:
    return f"fund_{source}"


class ProjectForm(StyledForm, PickerForm):
    name = forms.CharField(label="项目名称", max_length=200)
    year = YEAR_RANGE.form_field(label="立项年度")
    region_code = PickerField(label="区划", source=REGION_PICKER,
                              help_text="已落实到村的选村；尚未落实的选管理乡镇或统筹县")
    approved_on = forms.DateField(label="立项日期", widget=_DATE,
                                  error_messages={"invalid": "立项日期应为日期（如 2016-03-01）"})
    description = forms.CharField(label="建设内容", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in FundSource.choices:
            self.fields[_source_field(value)] = MoneyField(label=f"{label}（元）", required=False)

    @property
    def fund_fields(self) -> list[Any]:
        return [self[_source_field(v)] for v in FundSource.values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fundings = {v: data[_source_field(v)] for v in FundSource.values if data.get(_source_field(v)) is not None}
        if not fundings and not any(_source_field(v) in self.errors for v in FundSource.values):
            raise forms.ValidationError("至少填写一项资金来源的金额")
        data["fundings"] = fundings
        return data


class ProjectEditForm(StyledForm, PickerForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label="项目名称", max_length=200)
    region_code = PickerField(label="区划", source=REGION_PICKER, help_text="落实到村时改选实施村")
    approved_on = forms.DateField(label="立项日期", widget=_DATE,
                                  error_messages={"invalid": "立项日期应为日期（如 2016-03-01）"})
    description = forms.CharField(label="建设内容", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FundingForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    source = forms.ChoiceField(label="资金来源", choices=FundSource.choices)
    amount = MoneyField(label="金额（元）")


class BeneficiariesForm(StyledForm, PickerForm):
    village_code = forms.CharField(widget=forms.HiddenInput)  # narrows the picker to the implementing village
    household_ids = MultiplePickerField(label="受益户", coerce=int, source=HOUSEHOLD_PICKER, within="village_code",
                                        help_text="实施村的农户")


class StageForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    stage = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=_DATE, error_messages={"invalid": "日期应为日期（如 2016-03-01）"})
