"""Bootstrap classes on form widgets, so every form looks the same without per-template markup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

T = TypeVar("T")


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def submit(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Run a page's service for a valid form. A refusal (DomainError) becomes the form's error, so the
    page shows it above what the user typed, nothing lost; None then. A stale save (Conflict) is not a
    form error: it still answers 409."""
    from .errors import Conflict, DomainError

    try:
        return call()
    except Conflict:
        raise
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None
