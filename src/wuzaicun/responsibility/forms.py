"""Input shapes for the lists' pages."""

from __future__ import annotations

from django import forms

from wuzaicun.core.forms import StyledForm

from .duties import GoalKind, ListKind, StationedPost


class EntryForm(StyledForm):
    kind = forms.ChoiceField(label="清单类型", choices=ListKind.choices)
    village_code = forms.CharField(label="村（区划代码）", min_length=12, max_length=12)
    person_id = forms.IntegerField(label="责任人（人员编号）", required=False,
                                   help_text="帮村以外的清单填写；在“人员”中可查到编号")
    team_id = forms.IntegerField(label="责任主体（领导班子编号）", required=False, help_text="帮村清单填写")
    household_ids = forms.CharField(label="帮扶户（农户编号，用逗号分隔）", required=False)
    duties = forms.CharField(label="职责（用“、”分隔）", required=False)
    goal = forms.CharField(label="目标", max_length=300, required=False)
    goal_kind = forms.ChoiceField(label="目标类型", choices=GoalKind.choices, required=False)
    stationed_post = forms.ChoiceField(label="驻村身份", choices=[("", "—"), *StationedPost.choices], required=False)

    def clean_household_ids(self) -> list[int]:
        raw = self.cleaned_data.get("household_ids") or ""
        parts = [p.strip() for p in raw.replace("，", ",").replace("、", ",").split(",") if p.strip()]
        if any(not p.isdigit() for p in parts):
            raise forms.ValidationError("帮扶户须填写农户编号（数字），用逗号分隔")
        return [int(p) for p in parts]


class RuleForm(StyledForm):
    enabled = forms.BooleanField(label="启用", required=False)
    threshold = forms.IntegerField(label="阈值", min_value=1, max_value=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
