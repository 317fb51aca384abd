"""Input shapes of 十户一体's pages: a new group, members to add, a business entity to tie."""

from __future__ import annotations

from django import forms

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import MultiplePickerField, PickerField, PickerForm
from wuzaicun.regions.pickers import VILLAGE_PICKER
from wuzaicun.registry.pickers import HOUSEHOLD_PICKER, PERSON_PICKER

from ..models.groups import BusinessKind

_DATE = forms.DateInput(attrs={"type": "date"})


class GroupForm(StyledForm, PickerForm):
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    name = forms.CharField(label="小组名称", max_length=100, help_text="如：张三党群连心组")
    head_id = PickerField(label="党群连心户户长", coerce=int, source=PERSON_PICKER, within="village_code",
                          help_text="本村的中共党员（能人党员）")
    formed_on = forms.DateField(label="成立日期", widget=_DATE,
                                error_messages={"invalid": "成立日期应为日期（如 2016-03-01）"})
    household_ids = MultiplePickerField(label="成员户", coerce=int, source=HOUSEHOLD_PICKER, within="village_code",
                                        required=False, help_text="约10户，均为本村农户")


class MembersForm(StyledForm, PickerForm):
    village_code = forms.CharField(widget=forms.HiddenInput)  # narrows the picker to the group's village
    household_ids = MultiplePickerField(label="加入成员户", coerce=int, source=HOUSEHOLD_PICKER, within="village_code")


class GroupEntityForm(StyledForm):
    name = forms.CharField(label="经营主体名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=BusinessKind.choices)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False, help_text="可不填；填写则按GB 32100校验")
