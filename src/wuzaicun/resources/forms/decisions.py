"""Input shapes of 资金使用决策's pages: a new decision (its 村党组织提议), the next step (only the fields that
step records), a payment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.core.text import ParseError, parse_money
from wuzaicun.regions.pickers import VILLAGE_PICKER

from ..models.decisions import DecisionFlow, FundKind
from ..rules.decisions import QUORUM_LABELS, Kind, Step

_DATE = forms.DateInput(attrs={"type": "date"})


class MoneyField(forms.CharField):
    """An amount in yuan as officials type it (10,000.01 or 10000元), to the fen."""

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            amount = parse_money(text)
        except ParseError as exc:
            raise forms.ValidationError(f"{self.label}：{exc}") from None
        if amount <= 0:
            raise forms.ValidationError(f"{self.label}须大于0")
        return amount


def _count(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, help_text=help_text, error_messages={
        "invalid": f"{label}应为整数", "min_value": f"{label}不能为负数", "max_value": f"{label}过大"}, min_value=0, max_value=1_000_000, required=False)


class DecisionForm(StyledForm, PickerForm):
    village_code = PickerField(label="村", source=VILLAGE_PICKER)
    title = forms.CharField(label="事项", max_length=200, help_text="如：使用帮扶结余资金修建村组通组路")
    fund_kind = forms.ChoiceField(label="资金类型", choices=FundKind.choices)
    amount = MoneyField(label="金额（元）", max_length=20, help_text="可写作 10,000.01")
    flow = forms.ChoiceField(label="决策程序", choices=DecisionFlow.choices)
    proposed_on = forms.DateField(label="提议日期", widget=_DATE,
                                  error_messages={"invalid": "提议日期应为日期（如 2016-03-01）"})
    note = forms.CharField(label="提议内容", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StepForm(StyledForm):
    """The next step's form: the fields of its kind only (a meeting: form, attendance, votes; a publicity: days)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    held_on = forms.DateField(label="日期", widget=_DATE, error_messages={"invalid": "日期应为日期（如 2016-03-01）"})

    def __init__(self, *args: Any, step: Step, minimum_days: int = 7, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        if step.kind is Kind.TOWNSHIP:
            self.fields["meeting_kind"] = forms.ChoiceField(label="把关意见", choices=[("同意", "同意"),
                                                                                     ("不同意", "不同意")])
        elif step.kind is Kind.MEETING:
            labels = [QUORUM_LABELS[q] for q in step.quorums]
            self.fields["meeting_kind"] = forms.ChoiceField(label="会议形式", choices=[(x, x) for x in labels])
            self.fields["eligible"] = _count("应到人数", "党员大会为党员总数；村民会议为十八周岁以上村民数")
            self.fields["present"] = _count("实到人数")
            if any(q.value == "villagers" for q in step.quorums):
                self.fields["households_represented"] = _count("到会代表户数", "村民会议按户计算时填写")
                self.fields["households_total"] = _count("总户数", "村民会议按户计算时填写")
            self.fields["votes_for"] = _count("赞成")
            self.fields["votes_against"] = _count("反对")
            self.fields["votes_abstain"] = _count("弃权")
        elif step.kind is Kind.PUBLICITY:
            self.fields["publicity_days"] = _count("公示天数", f"不少于{minimum_days}天")
            self.initial.setdefault("publicity_days", minimum_days)
        self.fields["note"] = forms.CharField(label="意见或说明", max_length=500, required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select | forms.NumberInput | forms.DateInput | forms.Textarea):
                field.widget.attrs.setdefault("class", "form-control")
        for name in ("meeting_kind",):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-select"

    def field_named(self, label: str | None) -> str | None:
        """The form field whose label a refusal names."""
        return next((name for name, f in self.fields.items() if label and f.label == label), None)


class PaymentForm(StyledForm):
    paid_on = forms.DateField(label="支付日期", widget=_DATE,
                              error_messages={"invalid": "支付日期应为日期（如 2016-03-01）"})
    amount = MoneyField(label="金额（元）", max_length=20)
    payee = forms.CharField(label="收款方", max_length=200)
