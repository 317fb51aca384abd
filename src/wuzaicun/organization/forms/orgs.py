"""Forms of the orgs area: input shapes only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import MultiplePickerField, PickerField, PickerForm, PickerSource
from wuzaicun.regions.pickers import REGION_PICKER, VILLAGE_PICKER
from wuzaicun.registry.pickers import HOUSEHOLD_PICKER, PERSON_PICKER

from ..models.orgs import OrgCategory, OrgType, ServiceKind, SocialOrgKind
from ..rules.orgs import COMMITTEE_DUTIES, ECOMMERCE_PRODUCTS
from ..selectors.orgs import parent_picker_labels

_DATE = forms.DateInput(attrs={"type": "date"})
PARENT_PICKER = PickerSource(reverse_lazy("organization:org_pick"), parent_picker_labels, "输入上级党委或党总支名称搜索")


class OrganisationForm(StyledForm, PickerForm):
    name = forms.CharField(label="组织名称", max_length=100)
    org_type = forms.ChoiceField(label="组织类型", choices=OrgType.choices)
    category = forms.ChoiceField(label="类别", choices=OrgCategory.choices)
    product = forms.CharField(label="特色产品", max_length=50, required=False,
                              help_text=f"电商特色党支部填写，如{'、'.join(ECOMMERCE_PRODUCTS[:3])}")
    region_code = PickerField(label="所属区划", source=REGION_PICKER)
    parent_id = PickerField(label="上级组织", coerce=int, source=PARENT_PICKER, required=False,
                            help_text="党委或党总支；党支部不能设下级组织")
    secretary_id = PickerField(label="书记", coerce=int, source=PERSON_PICKER, required=False,
                               help_text="须为已登记的中共党员")
    founded_on = forms.DateField(label="成立日期", required=False, widget=_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MembersForm(StyledForm, PickerForm):
    person_ids = MultiplePickerField(label="加入党员", coerce=int, source=PERSON_PICKER,
                                     help_text="可多选；须为已登记的中共党员")
    joined_on = forms.DateField(label="转入日期", required=False, widget=_DATE)


def _members(data: dict[str, Any]) -> list[tuple[int, str]]:
    """(person id, post) of a committee form: the chair, then the members (the chair once)."""
    chair = data.get("chair_id")
    out = [(chair, "chair")] if chair else []
    return out + [(pk, "member") for pk in data.get("member_ids") or [] if pk != chair]


class CommitteeForm(StyledForm, PickerForm):
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    founded_on = forms.DateField(label="成立日期", required=False, widget=_DATE)
    chair_id = PickerField(label="主任", coerce=int, source=PERSON_PICKER, required=False)
    member_ids = MultiplePickerField(label="委员", coerce=int, source=PERSON_PICKER, required=False)

    def members(self) -> list[tuple[int, str]]:
        return _members(self.cleaned_data)


class CommitteeMembersForm(StyledForm, PickerForm):
    chair_id = PickerField(label="主任", coerce=int, source=PERSON_PICKER, required=False)
    member_ids = MultiplePickerField(label="委员", coerce=int, source=PERSON_PICKER, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def members(self) -> list[tuple[int, str]]:
        return _members(self.cleaned_data)


class DutiesForm(StyledForm):
    done = forms.MultipleChoiceField(label="已履行的职责", required=False, widget=forms.CheckboxSelectMultiple,
                                     choices=[(d, d) for d in COMMITTEE_DUTIES])


class SocialOrgForm(StyledForm, PickerForm):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=SocialOrgKind.choices)
    region_code = PickerField(label="所属区划", source=REGION_PICKER)
    founded_on = forms.DateField(label="成立日期", required=False, widget=_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StationForm(StyledForm, PickerForm):
    name = forms.CharField(label="站点名称", max_length=100)
    region_code = PickerField(label="所属区划", source=REGION_PICKER)
    operator = forms.CharField(label="运营主体", max_length=100, required=False)
    opened_on = forms.DateField(label="开办日期", required=False, widget=_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ServiceForm(StyledForm, PickerForm):
    household_id = PickerField(label="贫困户", coerce=int, source=HOUSEHOLD_PICKER)
    kind = forms.ChoiceField(label="服务类型", choices=ServiceKind.choices)
    served_on = forms.DateField(label="服务日期", widget=_DATE)
    note = forms.CharField(label="服务内容", max_length=300, required=False)
