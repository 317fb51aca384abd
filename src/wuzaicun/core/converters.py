"""The `<id:pk>` path converter: a record id as the database can hold it, so a larger one is simply not found."""

from __future__ import annotations

from django.urls import register_converter

from .bounds import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("beyond any stored id")  # the resolver answers 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
