"""Input shapes for the lists' pages."""

from __future__ import annotations

from typing import Any

from django import forms

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import MultiplePickerField, PickerField, PickerForm
from wuzaicun.regions.pickers import VILLAGE_PICKER
from wuzaicun.registry.pickers import HOUSEHOLD_PICKER, PERSON_PICKER, TEAM_PICKER

from .duties import STANDARD_DUTIES, GoalKind, ListKind, StationedPost
from .models import PROGRESS_VALUE_RANGE, TARGET_VALUE_RANGE
from .rules import split_duties


def _duties_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label="职责", widget=forms.CheckboxSelectMultiple, required=False)


def _other_duties_field() -> forms.CharField:
    return forms.CharField(label="其他职责（用“、”分隔）", max_length=200, required=False)


class _DutiesMixin:
    """The standard duties of the entry's list kind as checkboxes (ticked for a new entry), plus others typed."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _offer_duties(self, kind: str) -> None:
        standard = STANDARD_DUTIES.get(kind, ())
        field = self.fields["duties"]
        field.choices = [(d, d) for d in standard]  # type: ignore[attr-defined]
        field.help_text = f"{ListKind(kind).label}清单的标准职责" if kind in ListKind.values else ""

    def chosen_duties(self) -> list[str]:
        """The ticked standard duties in their standard order, then the others as typed."""
        picked = [*self.cleaned_data.get("duties", []), *split_duties(self.cleaned_data.get("other_duties") or "")]
        return list(dict.fromkeys(picked))


class EntryForm(StyledForm, PickerForm, _DutiesMixin):
    kind = forms.ChoiceField(label="清单类型", choices=ListKind.choices)
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    person_id = PickerField(label="责任人", coerce=int, required=False, help_text="帮村以外的清单填写",
                            source=PERSON_PICKER)
    team_id = PickerField(label="责任主体（领导班子）", coerce=int, required=False, help_text="帮村清单填写",
                          source=TEAM_PICKER)
    household_ids = MultiplePickerField(label="帮扶户", coerce=int, required=False, within="village_code",
                                        help_text="先选村，再点选该村的农户（可多选）", source=HOUSEHOLD_PICKER)
    duties = _duties_field()
    other_duties = _other_duties_field()
    goal = forms.CharField(label="目标", max_length=300, required=False)
    goal_kind = forms.ChoiceField(label="目标类型", choices=GoalKind.choices, required=False)
    stationed_post = forms.ChoiceField(label="驻村身份", choices=[("", "—"), *StationedPost.choices], required=False)

    def __init__(self, *args: Any, duties_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = (self.data.get("kind") if self.is_bound else self.initial.get("kind")) or ListKind.TEAM
        kind = kind if kind in ListKind.values else ListKind.TEAM
        self._offer_duties(kind)
        self.initial.setdefault("kind", kind)
        self.initial.setdefault("duties", list(STANDARD_DUTIES[kind]))
        if duties_url:  # choosing another kind fetches the form again and swaps in that kind's duties
            self.fields["kind"].widget.attrs.update({
                "hx-get": duties_url, "hx-target": "#field-duties", "hx-select": "#field-duties",
                "hx-swap": "outerHTML"})


class EntryEditForm(StyledForm, PickerForm, _DutiesMixin):
    village_code = forms.CharField(widget=forms.HiddenInput, required=False)  # narrows the household picker
    household_ids = EntryForm.base_fields["household_ids"]
    duties = _duties_field()
    other_duties = _other_duties_field()
    goal = forms.CharField(label="目标", max_length=300, required=False)
    goal_kind = forms.ChoiceField(label="目标类型", choices=GoalKind.choices, required=False)
    stationed_post = forms.ChoiceField(label="驻村身份", choices=[("", "—"), *StationedPost.choices], required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_duties(kind)


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


class VisitForm(StyledForm, PickerForm):
    person_id = PickerField(label="走访人", coerce=int, source=PERSON_PICKER)
    household_id = PickerField(label="农户", coerce=int, source=HOUSEHOLD_PICKER)
    visited_on = forms.DateField(label="走访日期", widget=forms.DateInput(attrs={"type": "date"}))
    activity = forms.CharField(label="走访内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label="照片（可多选）", required=False)
