"""Input shapes of 选派's pages: a working group, a dispatch, ending one, a placement (the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm, PickerSource
from wuzaicun.regions.pickers import REGION_PICKER, VILLAGE_PICKER
from wuzaicun.registry.pickers import PERSON_PICKER

from ..models.dispatch import DispatchKind, PlacementKind
from ..selectors.dispatch import group_labels, unit_labels

UNIT_PICKER = PickerSource(reverse_lazy("cadres:unit_pick"), unit_labels, "输入派出单位名称搜索")
GROUP_PICKER = PickerSource(reverse_lazy("cadres:group_pick"), group_labels, "先选村，再从该村的驻村工作组中选择")


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": f"{label}应为日期（如 2016-03-01）", "required": f"请填写{label}"})


class GroupEditForm(StyledForm, PickerForm):
    unit_id = PickerField(label="派出单位", coerce=int, source=UNIT_PICKER)
    leader_id = PickerField(label="组长", coerce=int, source=PERSON_PICKER, required=False)
    start = _date("进驻日期")
    end = _date("撤离日期", required=False)


class GroupForm(GroupEditForm):
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    field_order = ["village_code", "unit_id", "leader_id", "start", "end"]


class DispatchEditForm(StyledForm, PickerForm):
    kind = forms.ChoiceField(label="类型", choices=DispatchKind.choices)
    unit_id = PickerField(label="派出单位", coerce=int, source=UNIT_PICKER)
    group_id = PickerField(label="驻村工作组", coerce=int, source=GROUP_PICKER, required=False)
    start = _date("开始日期")
    end = _date("结束日期", required=False)


class DispatchForm(DispatchEditForm):
    person_id = PickerField(label="姓名", coerce=int, source=PERSON_PICKER)
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    group_id = PickerField(label="驻村工作组", coerce=int, source=GROUP_PICKER, within="village_code", required=False)
    field_order = ["person_id", "kind", "unit_id", "village_code", "group_id", "start", "end"]


class EndForm(StyledForm):
    end = _date("结束日期")
    successor_id = forms.TypedChoiceField(label="接任选派", coerce=int, required=False, empty_value=None,
                                          help_text="不选则自动取在结束日期前到岗的同类型选派")

    def __init__(self, *args: Any, successors: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor_id"].choices = [("", "自动查找"), *(successors or [])]  # type: ignore[attr-defined]


class PlacementForm(StyledForm, PickerForm):
    person_id = PickerField(label="姓名", coerce=int, source=PERSON_PICKER)
    kind = forms.ChoiceField(label="类型", choices=PlacementKind.choices)
    region_code = PickerField(label="乡镇或村", source=REGION_PICKER, help_text="贫困乡镇或未出列的贫困村")
    post = forms.CharField(label="任职岗位", max_length=100, required=False)
    start = _date("开始日期")
    end = _date("结束日期", required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)
