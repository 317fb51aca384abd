"""Forms of 干部培训: input shapes only; the services check the rules."""

from __future__ import annotations

from django import forms

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import MultiplePickerField, PickerField, PickerForm
from wuzaicun.regions.pickers import REGION_PICKER
from wuzaicun.registry.pickers import PERSON_PICKER

from ..models.training import TargetGroup, TrainingLevel
from ..rules.training import NAME_MAX, ORGANISER_MAX, TOPIC_MAX

_DATE = forms.DateInput(attrs={"type": "date"})


class SessionForm(StyledForm, PickerForm):
    name = forms.CharField(label="培训班名称", max_length=NAME_MAX)
    level = forms.ChoiceField(label="层级", choices=TrainingLevel.choices)
    region_code = PickerField(label="举办区划", source=REGION_PICKER,
                              help_text="市级培训班选择市（州），县级培训班选择县（市、区）")
    organiser = forms.CharField(label="主办单位", max_length=ORGANISER_MAX)
    topic = forms.CharField(label="培训主题", max_length=TOPIC_MAX)
    start = forms.DateField(label="开始日期", widget=_DATE)
    end = forms.DateField(label="结束日期", widget=_DATE)
    target_groups = forms.MultipleChoiceField(label="培训对象", choices=TargetGroup.choices,
                                              widget=forms.CheckboxSelectMultiple)


class AttendeesForm(StyledForm, PickerForm):
    person_ids = MultiplePickerField(label="登记参训人员", coerce=int, source=PERSON_PICKER,
                                     help_text="可多选；已在名单中的人员不能重复登记")
