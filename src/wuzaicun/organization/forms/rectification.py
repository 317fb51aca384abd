"""Forms of 倒排整顿: 民主评议 score, a round's proposal and adjustment, a case's plan, a progress update, a review."""

from __future__ import annotations

from django import forms

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.regions.pickers import REGION_PICKER, VILLAGE_PICKER
from wuzaicun.registry.pickers import PERSON_PICKER

from ..imports.rectification import SCORE_RANGE
from ..rules.rectification import DEFAULT_COUNT


class DemocraticScoreForm(StyledForm, PickerForm):
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    score = SCORE_RANGE.form_field(label="民主评议得分", help_text="0–100，最多两位小数")


class ProposeForm(StyledForm, PickerForm):
    region_code = PickerField(label="排名范围", source=REGION_PICKER, required=False,
                              help_text="县、市或省；不选则为您的管辖范围")
    count = forms.IntegerField(label="倒排数量", min_value=1, max_value=100000, initial=DEFAULT_COUNT,
                               help_text=f"遵义市默认 {DEFAULT_COUNT} 个")


class AdjustForm(StyledForm, PickerForm):
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    action = forms.ChoiceField(label="调整", choices=[("add", "列入整顿名单"), ("remove", "移出整顿名单")])
    reason = forms.CharField(label="调整理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class CaseForm(StyledForm, PickerForm):
    problems = forms.CharField(label="主要问题", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(label="整顿方案", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label="整顿措施", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    leader_id = PickerField(label="责任县领导", coerce=int, required=False, source=PERSON_PICKER,
                            help_text="县处级干部，输入姓名或身份证号后四位搜索")
    deadline = forms.DateField(label="整顿时限", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProgressForm(StyledForm):
    reported_on = forms.DateField(label="日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    narrative = forms.CharField(label="进展情况", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(label="验收结论", choices=[("approved", "通过"), ("problem", "有问题"),
                                                           ("returned", "退回")])
    note = forms.CharField(label="意见", required=False, max_length=500, help_text="有问题或退回时必填")
