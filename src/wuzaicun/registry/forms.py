"""Input shapes for registry pages; domain checks live in rules.py and services.py."""

from __future__ import annotations

from django import forms

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.regions.pickers import REGION_PICKER, VILLAGE_PICKER

from .models import INCOME_PER_HEAD_RANGE, PoliticalStatus, PovertyCause, PovertyStatus, Rank, Sex


class HouseholdForm(StyledForm, PickerForm):
    region_code = PickerField(label="村", source=VILLAGE_PICKER)
    head_name = forms.CharField(label="户主姓名", max_length=50)
    resident_id = forms.CharField(label="身份证号", max_length=18, required=False,
                                  help_text="修改时留空表示不变")
    members = forms.IntegerField(label="家庭人口", min_value=1, max_value=30)
    status = forms.ChoiceField(label="贫困状态", choices=PovertyStatus.choices)
    identified_year = forms.IntegerField(label="识别年度", min_value=1949, max_value=2100)
    exit_year = forms.IntegerField(label="脱贫年度", min_value=1949, max_value=2100, required=False)
    cause = forms.ChoiceField(label="致贫原因", choices=PovertyCause.choices)
    income_per_head = INCOME_PER_HEAD_RANGE.form_field(label="人均纯收入（元）", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PersonForm(StyledForm, PickerForm):
    region_code = PickerField(label="所属区划", source=REGION_PICKER)
    name = forms.CharField(label="姓名", max_length=50)
    resident_id = forms.CharField(label="身份证号", max_length=18)
    sex = forms.ChoiceField(label="性别", choices=[("", "按身份证号"), *Sex.choices], required=False)
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    political_status = forms.ChoiceField(label="政治面貌", choices=PoliticalStatus.choices)
    post = forms.CharField(label="职务", max_length=100, required=False)
    rank = forms.ChoiceField(label="职级", choices=[("", "—"), *Rank.choices], required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)


class PersonEditForm(PersonForm):
    resident_id = forms.CharField(label="身份证号", max_length=18, required=False, help_text="留空表示不变")
    phone = forms.CharField(label="联系电话", max_length=20, required=False, help_text="留空表示不变")
    version = forms.IntegerField(widget=forms.HiddenInput)


class RevealForm(StyledForm):
    reason = forms.CharField(label="查看原因", min_length=4, max_length=100)
