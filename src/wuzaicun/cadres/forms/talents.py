"""Forms of 千村千人计划人才 and 项目书记: input shapes only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from wuzaicun.core.bounds import YEAR_RANGE
from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import MultiplePickerField, PickerField, PickerForm
from wuzaicun.regions.pickers import REGION_PICKER, VILLAGE_PICKER
from wuzaicun.registry.pickers import PERSON_PICKER

from ..models.talents import ProjectRole, TalentField, VisitPlan
from ..rules.talents import CONTENT_MAX, PROJECT_NAME_MAX
from ..services.talents import AMOUNT_RANGE

_DATE = forms.DateInput(attrs={"type": "date"})


class TalentForm(StyledForm, PickerForm):
    person_id = PickerField(label="姓名", coerce=int, source=PERSON_PICKER)
    field = forms.ChoiceField(label="专业领域", choices=TalentField.choices)
    year = YEAR_RANGE.form_field(label="入选年度")
    visit_every = forms.TypedChoiceField(label="走访计划", coerce=int, choices=VisitPlan.choices)
    village_codes = MultiplePickerField(label="服务村", source=VILLAGE_PICKER,
                                        help_text="可多选；须在登记区划内")
    region_code = PickerField(label="登记区划", source=REGION_PICKER, required=False,
                              help_text="市、县（市、区）或乡镇；不填则为本人所在县（市、区）")


class TalentEditForm(TalentForm):
    """A talent keeps their person, year and registering region; the rest may change."""

    person_id = None  # type: ignore[assignment]
    year = None  # type: ignore[assignment]
    region_code = None  # type: ignore[assignment]


class VisitForm(StyledForm):
    village_code = forms.ChoiceField(label="走访村")
    date = forms.DateField(label="走访日期", widget=_DATE, error_messages={"invalid": "走访日期应为日期（如 2016-03-01）"})
    content = forms.CharField(label="服务内容", max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, villages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village_code"].choices = villages  # type: ignore[attr-defined]


class SecretaryForm(StyledForm, PickerForm):
    person_id = PickerField(label="姓名", coerce=int, source=PERSON_PICKER)
    region_code = PickerField(label="所在乡镇或村", source=REGION_PICKER)
    year = YEAR_RANGE.form_field(label="年度")


class SecretaryEditForm(SecretaryForm):
    person_id = None  # type: ignore[assignment]
    year = None  # type: ignore[assignment]


class ProjectForm(StyledForm, PickerForm):
    name = forms.CharField(label="项目名称", max_length=PROJECT_NAME_MAX)
    role = forms.ChoiceField(label="方式", choices=ProjectRole.choices)
    village_code = PickerField(label="实施村", source=VILLAGE_PICKER, help_text="项目书记所在乡镇的村，或其所在村")
    amount = AMOUNT_RANGE.form_field(label="投资额（元）", required=False)
