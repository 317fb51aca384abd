"""Forms of 六定一化考核: an entered score, a grade policy, an outcome's proposal and its decision."""

from __future__ import annotations

from django import forms

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.registry.pickers import PERSON_PICKER

from ..imports.grading import SCORE_RANGE
from ..models.grading import CadreRole, OutcomeKind


def _percent(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_value=100, max_digits=5, decimal_places=2,
                              required=required, help_text=help_text)


class ScoreForm(StyledForm, PickerForm):
    role = forms.ChoiceField(label="考核对象", choices=CadreRole.choices)
    person_id = PickerField(label="干部", coerce=int, source=PERSON_PICKER, help_text="输入姓名或身份证号后四位搜索")
    code = forms.ChoiceField(label="指标", choices=[])
    score = SCORE_RANGE.form_field(label="得分", help_text="0–100，最多两位小数")

    def __init__(self, *args: object, indicators: list[tuple[str, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = indicators or []  # type: ignore[attr-defined]


class PolicyForm(StyledForm):
    excellent = _percent("优秀线")
    good = _percent("良好线")
    passing = _percent("合格线")
    excellent_quota = _percent("优秀比例上限（%）")
    good_quota = _percent("良好比例上限（%）", required=False, help_text="不填则不限")
    veto = _percent("民主评议否决线", required=False, help_text="民主评议低于此分的等次为差；不填则不设")


class OutcomeForm(StyledForm):
    kind = forms.ChoiceField(label="结果运用", choices=OutcomeKind.choices)
    reason = forms.CharField(label="理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(StyledForm):
    decision = forms.ChoiceField(label="审批结论", choices=[("approved", "通过"), ("problem", "有问题"),
                                                           ("returned", "退回")])
    note = forms.CharField(label="审批意见", required=False, max_length=300, help_text="有问题或退回时必填")
