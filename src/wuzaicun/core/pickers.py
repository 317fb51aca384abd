"""The search-as-you-type picker: choose villages, people, teams or households by name, not by number.

One mechanism for every form that needs an object: `PickerField` / `MultiplePickerField` render
`core/_picker.html` (a search box, the chosen label or chips, and hidden inputs holding the ids);
typing posts the search term with htmx to the owning app's endpoint, which answers the
`core/_picker_results.html` fragment built by `render_choices` from its own scoped selectors. The
search is a POST (D22): a full resident ID typed into the box never lands in a URL, a log or the
history. app.js chooses with the mouse or the keyboard and keeps the hidden inputs. Apps own their
kinds (regions: villages; registry: people, teams, households); core imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

RESULT_LIMIT = 20

Labels = Callable[[Any, Sequence[str]], dict[str, str]]  # (user, ids) → {id: label}, in the user's scope


@dataclass(frozen=True)
class Choice:
    """One match: `label` names it (张三), `context` tells it apart (红花岗区甲村，身份证 520302********1234)."""

    value: str
    label: str
    context: str = ""

    @property
    def full(self) -> str:
        return f"{self.label}（{self.context}）" if self.context else self.label


def labels_of(choices: Iterable[Choice]) -> dict[str, str]:
    return {c.value: c.full for c in choices}


@dataclass(frozen=True)
class PickerQuery:
    term: str
    within: str  # the value of the field the search is narrowed by (households within the chosen village)


def picker_query(request: HttpRequest) -> PickerQuery:
    """The term and the narrowing value posted by a picker (only its own fields are sent, see _picker.html)."""
    field = request.POST.get("picker", "")
    within_field = request.POST.get("within_field", "")
    return PickerQuery(
        term=request.POST.get(f"{field}_search", "").strip()[:50],
        within=request.POST.get(within_field, "").strip() if within_field else "",
    )


def render_choices(request: HttpRequest, choices: Sequence[Choice], *, query: PickerQuery,
                   hint: str = "") -> HttpResponse:
    """The results fragment; one more than RESULT_LIMIT asked for tells that there are more."""
    more = len(choices) > RESULT_LIMIT
    return render(request, "core/_picker_results.html", {
        "choices": choices[:RESULT_LIMIT], "more": more, "query": query, "hint": hint,
    })


@dataclass(frozen=True)
class PickerSource:
    """Where a kind of object is searched (its app's endpoint) and how chosen ids are named again."""

    url: Any  # a reverse_lazy of the endpoint
    labels: Labels
    placeholder: str = "输入名称搜索"


class PickerWidget(forms.Widget):
    """A search box with the chosen label (or chips, when `multiple`) and hidden inputs with the ids."""

    template_name = "core/_picker.html"

    def __init__(self, *, source: PickerSource, multiple: bool = False, within: str = "",
                 attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.source = source
        self.multiple = multiple
        self.within = within
        self.user: Any = None  # set by PickerForm: labels are looked up in the user's scope

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            return [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else data.get(name, [])
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an empty multiple picker posts nothing: that means none, not "unchanged"

    def format_value(self, value: Any) -> Any:
        if value is None or value == "":
            return [] if self.multiple else ""
        if self.multiple:
            items = value.split(",") if isinstance(value, str) else value
            return [str(v) for v in items if str(v)]
        return str(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values: list[str] = context["widget"]["value"] if self.multiple else (
            [context["widget"]["value"]] if context["widget"]["value"] else [])
        found = self.source.labels(self.user, values) if values and self.user is not None else {}
        context["widget"].update(
            url=str(self.source.url), multiple=self.multiple, within=self.within, placeholder=self.source.placeholder,
            chosen=[(v, found[v]) for v in values if v in found],
        )
        return context


class PickerField(forms.Field):
    """One object chosen with a picker; `coerce` turns the posted id into the service's argument."""

    def __init__(self, *, source: PickerSource, coerce: Callable[[str], Any] = str, within: str = "",
                 **kwargs: Any) -> None:
        kwargs.setdefault("widget", PickerWidget(source=source, within=within))
        super().__init__(**kwargs)
        self.coerce = coerce

    def to_python(self, value: Any) -> Any:
        if value in (None, ""):
            return None
        try:
            return self.coerce(str(value))
        except (TypeError, ValueError):
            raise forms.ValidationError("请从搜索结果中选择") from None


class MultiplePickerField(forms.Field):
    """Several objects chosen with a picker (chips with remove)."""

    def __init__(self, *, source: PickerSource, coerce: Callable[[str], Any] = str, within: str = "",
                 **kwargs: Any) -> None:
        kwargs.setdefault("widget", PickerWidget(source=source, within=within, multiple=True))
        super().__init__(**kwargs)
        self.coerce = coerce

    def to_python(self, value: Any) -> list[Any]:
        if not value:
            return []
        items = value.split(",") if isinstance(value, str) else value
        try:
            out = [self.coerce(str(v)) for v in items if str(v).strip()]
        except (TypeError, ValueError):
            raise forms.ValidationError("请从搜索结果中选择") from None
        return list(dict.fromkeys(out))


class PickerForm(forms.Form):
    """A form with pickers: pass `user=` so that the chosen labels are looked up within the user's scope."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, PickerWidget):
                field.widget.user = user
