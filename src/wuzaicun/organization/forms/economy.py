"""Input shapes of 村级集体经济's pages: an entity, and one year's income."""

from __future__ import annotations

from django import forms

from wuzaicun.core.bounds import YEAR_RANGE
from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.regions.pickers import VILLAGE_PICKER

from ..models.economy import EntityKind
from ..rules.economy import NAME_MAX
from ..services.economy import COLLECTIVE_RANGE, OPERATING_RANGE


class EntityForm(StyledForm, PickerForm):
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    name = forms.CharField(label="名称", max_length=NAME_MAX)
    kind = forms.ChoiceField(label="类型", choices=EntityKind.choices)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False,
                                  help_text="18位，按GB 32100校验")
    founded_on = forms.DateField(label="成立日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": "成立日期应为日期（如 2016-03-01）"})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EntityEditForm(EntityForm):
    village_code = None  # type: ignore[assignment]  # an entity stays in its village


class IncomeForm(StyledForm):
    year = YEAR_RANGE.form_field(label="年度")
    operating_income = OPERATING_RANGE.form_field(label="经营收入（元）")
    collective_income = COLLECTIVE_RANGE.form_field(label="集体收入（元）")
