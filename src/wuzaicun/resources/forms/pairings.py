"""Input shapes of 结对帮扶 and 企业帮扶: a 支部结对 (two organisation pickers), a 干群结亲 (person and household
pickers), a support, an end year, an enterprise and its help to a village in a year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse_lazy

from wuzaicun.core.bounds import YEAR_RANGE
from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm, PickerSource
from wuzaicun.core.text import ParseError, parse_money
from wuzaicun.regions.pickers import REGION_PICKER, VILLAGE_PICKER
from wuzaicun.registry.pickers import HOUSEHOLD_PICKER, PERSON_PICKER

from ..models.pairings import SupportKind
from ..selectors.pairings import helper_org_labels, village_org_labels

HELPED_PICKER = PickerSource(reverse_lazy("resources:pairing_org_pick", args=["village"]), village_org_labels,
                             "输入村党组织或村名搜索")
HELPER_PICKER = PickerSource(reverse_lazy("resources:pairing_org_pick", args=["helper"]), helper_org_labels,
                             "输入机关单位或乡镇党组织名称搜索")


class MoneyField(forms.CharField):
    """An amount in yuan to the fen as typed: “10,000.01”, “１０００元” (core.text.parse_money)."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_money(text)
        except ParseError as exc:
            raise forms.ValidationError(f"{self.label}：{exc}") from None


def _money(label: str) -> forms.Field:
    return MoneyField(label=label, help_text="元，可写千分位，如 10,000.01")


class BranchPairingForm(StyledForm, PickerForm):
    helper_id = PickerField(label="结对党组织", coerce=int, source=HELPER_PICKER, help_text="机关、企事业单位或乡镇的党组织")
    helped_id = PickerField(label="村党组织", coerce=int, source=HELPED_PICKER)
    since = YEAR_RANGE.form_field(label="结对年度")


class KinPairingForm(StyledForm, PickerForm):
    person_id = PickerField(label="干部", coerce=int, source=PERSON_PICKER, help_text="已登记的人员")
    village_code = PickerField(label="结亲户所在村", source=VILLAGE_PICKER, required=False,
                               help_text="先选村可缩小结亲户的范围")
    household_id = PickerField(label="结亲户", coerce=int, source=HOUSEHOLD_PICKER, within="village_code")
    since = YEAR_RANGE.form_field(label="结亲年度")


class EndForm(StyledForm):
    until = YEAR_RANGE.form_field(label="结束年度", help_text="结对计入的最后一个年度")


class SupportForm(StyledForm):
    year = YEAR_RANGE.form_field(label="年度")
    kind = forms.ChoiceField(label="帮扶类型", choices=SupportKind.choices)
    description = forms.CharField(label="帮扶内容", max_length=300)
    amount = _money("折合金额（元）")


class EnterpriseForm(StyledForm, PickerForm):
    name = forms.CharField(label="企业名称", max_length=200)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, help_text="18位，按GB 32100校验")
    region_code = PickerField(label="注册地", source=REGION_PICKER, help_text="县（市、区）、乡镇或村")


class HelpForm(StyledForm, PickerForm):
    village_code = PickerField(label="帮扶村", source=VILLAGE_PICKER)
    year = YEAR_RANGE.form_field(label="年度")
    pledged = _money("承诺资金（元）")
    paid = _money("到位资金（元）")
    note = forms.CharField(label="帮扶内容", max_length=300, required=False)
