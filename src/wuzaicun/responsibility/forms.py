"""Input shapes for the lists' pages."""

from __future__ import annotations

from django import forms

from wuzaicun.core.bounds import ID_RANGE, id_or_none
from wuzaicun.core.forms import StyledForm

from .duties import GoalKind, ListKind, StationedPost
from .models import PROGRESS_VALUE_RANGE, TARGET_VALUE_RANGE


class EntryForm(StyledForm):
    kind = forms.ChoiceField(label="清单类型", choices=ListKind.choices)
    village_code = forms.CharField(label="村（区划代码）", min_length=12, max_length=12)
    person_id = ID_RANGE.form_field(label="责任人（人员编号）", required=False,
                                    help_text="帮村以外的清单填写；在“人员”中可查到编号")
    team_id = ID_RANGE.form_field(label="责任主体（领导班子编号）", required=False, help_text="帮村清单填写")
    household_ids = forms.CharField(label="帮扶户（农户编号，用逗号分隔）", required=False)
    duties = forms.CharField(label="职责（用“、”分隔）", required=False)
    goal = forms.CharField(label="目标", max_length=300, required=False)
    goal_kind = forms.ChoiceField(label="目标类型", choices=GoalKind.choices, required=False)
    stationed_post = forms.ChoiceField(label="驻村身份", choices=[("", "—"), *StationedPost.choices], required=False)

    def clean_household_ids(self) -> list[int]:
        raw = self.cleaned_data.get("household_ids") or ""
        parts = [p.strip() for p in raw.replace("，", ",").replace("、", ",").split(",") if p.strip()]
        ids = [id_or_none(p) for p in parts]
        if any(i is None for i in ids):
            raise forms.ValidationError("帮扶户须填写农户编号（数字），用逗号分隔")
        return [i for i in ids if i is not None]


class EntryEditForm(StyledForm):
    household_ids = forms.CharField(label="帮扶户（农户编号，用逗号分隔）", required=False)
    duties = forms.CharField(label="职责（用“、”分隔）", required=False)
    goal = forms.CharField(label="目标", max_length=300, required=False)
    goal_kind = forms.ChoiceField(label="目标类型", choices=GoalKind.choices, required=False)
    stationed_post = forms.ChoiceField(label="驻村身份", choices=[("", "—"), *StationedPost.choices], required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    clean_household_ids = EntryForm.clean_household_ids


class RuleForm(StyledForm):
    enabled = forms.BooleanField(label="启用", required=False)
    threshold = forms.IntegerField(label="阈值", min_value=1, max_value=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class LineForm(StyledForm):
    commitment = forms.CharField(label="承诺事项", max_length=300)
    target_value = TARGET_VALUE_RANGE.form_field(label="目标值", required=False)
    target_unit = forms.CharField(label="单位", max_length=20, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReconcileForm(StyledForm):
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)])
    progress_value = PROGRESS_VALUE_RANGE.form_field(label="完成值", required=False)
    on_track = forms.TypedChoiceField(label="进度", coerce=lambda v: v == "1",
                                      choices=[("1", "进度正常"), ("0", "进度滞后")])
    narrative = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label="佐证材料（照片或 PDF，可多选）", required=False)


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(label="审核结论", choices=[("approved", "通过"), ("problem", "有问题"),
                                                        ("returned", "退回")])
    note = forms.CharField(label="审核意见", max_length=500, required=False)


class VisitForm(StyledForm):
    person_id = ID_RANGE.form_field(label="走访人（人员编号）")
    household_id = ID_RANGE.form_field(label="农户（农户编号）")
    visited_on = forms.DateField(label="走访日期", widget=forms.DateInput(attrs={"type": "date"}))
    activity = forms.CharField(label="走访内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label="照片（可多选）", required=False)
