"""The range every number may take, derived once from its database column and used by every way in.

A number that does not fit its column is refused where it enters (a form, the API, an import) with a
Chinese message naming the field and the range, and checked again by the service that writes it, so
nothing out of range is ever stored: a stored 1e300 in a DECIMAL(12, 2) column breaks every page that
reads it afterwards. Ids and page numbers are bounded by the database's 64-bit integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from django import forms
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import CoreSchema, core_schema

from .errors import DomainError

MAX_ID = 2**63 - 1  # the largest value of a 64-bit primary key (PostgreSQL bigint, SQLite INTEGER)
MIN_YEAR, MAX_YEAR = 1949, 2100

# The portable column ranges (PostgreSQL's; SQLite stores any 64-bit integer, so it never narrows them).
_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def _plain(value: Decimal | int) -> str:
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


@dataclass(frozen=True)
class NumberRange:
    """low ≤ value ≤ high with at most `places` decimals (0: a whole number), for the field `label`."""

    label: str
    low: Decimal | int
    high: Decimal | int
    places: int = 0

    @property
    def text(self) -> str:
        return f"{_plain(self.low)}–{_plain(self.high)}"

    def out_of_range(self) -> str:
        return f"{self.label}超出允许范围（{self.text}）"

    def problem(self, value: Any) -> str | None:
        """None when `value` fits the column; otherwise the Chinese reason naming the field."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return f"{self.label}应为数字"
        try:
            number = Decimal(value) if not isinstance(value, Decimal) else value
            if not number.is_finite() or not self.low <= number <= self.high:
                return self.out_of_range()
        except (InvalidOperation, ValueError, OverflowError):
            return self.out_of_range()
        if self.places == 0 and number != number.to_integral_value():
            return f"{self.label}应为整数"
        return None

    def check(self, value: Any) -> Any:
        """The value as the column stores it (decimals rounded to `places`); a DomainError when it does not fit."""
        if value is None:
            return None
        if problem := self.problem(value):
            raise DomainError(problem, field=self.label, code="out_of_range")
        if self.places == 0:
            return int(value)
        rounded = Decimal(value).quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)
        if rounded > self.high:  # 99999999.995 rounds past the column's largest value
            raise DomainError(self.out_of_range(), field=self.label, code="out_of_range")
        return rounded

    def _validate(self, value: Any) -> Any:
        if problem := self.problem(value):
            raise ValueError(problem)
        return value

    # In an API schema, `Annotated[Decimal, RANGE]`: the range is in the OpenAPI document and checked in Chinese.
    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        inner = handler(source)
        if inner.get("type") in ("decimal", "float"):
            # so that inf and nan get this range's message, not pydantic's generic one
            inner = {**inner, "allow_inf_nan": True}
        return core_schema.no_info_after_validator_function(self._validate, inner)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        if self.places == 0:
            return {"type": "integer", "minimum": self.low, "maximum": self.high, "title": self.label}
        return {"type": "number", "minimum": float(self.low), "maximum": float(self.high),
                "multipleOf": float(Decimal(1).scaleb(-self.places)), "title": self.label}

    def form_field(self, **kwargs: Any) -> forms.Field:
        """The form field for this number, with the range in Chinese."""
        messages = {"max_value": self.out_of_range(), "min_value": self.out_of_range(),
                    "invalid": f"{self.label}应为数字", "max_digits": self.out_of_range(),
                    "max_whole_digits": self.out_of_range(), "max_decimal_places": f"{self.label}最多{self.places}位小数"}
        if self.places == 0:
            return forms.IntegerField(min_value=int(self.low), max_value=int(self.high), error_messages=messages,
                                      **kwargs)
        # Django's DecimalField already refuses inf and nan ("应为数字").
        return forms.DecimalField(min_value=self.low, max_value=self.high, decimal_places=self.places,
                                  error_messages=messages, **kwargs)


def range_of(model: type[models.Model], name: str, *, low: Decimal | int | None = None,
             high: Decimal | int | None = None, label: str | None = None) -> NumberRange:
    """The range of `model.name` as its column holds it, narrowed by `low`/`high` where the domain says so."""
    field = model._meta.get_field(name)
    title = label or str(getattr(field, "verbose_name", name))
    if isinstance(field, models.DecimalField):
        assert field.max_digits is not None and field.decimal_places is not None
        top = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(-field.decimal_places)
        column_low: Decimal | int = -top
        column_high: Decimal | int = top
        places = field.decimal_places
    elif isinstance(field, models.IntegerField | models.AutoField):
        column_low, column_high = _INTEGER_RANGES[field.get_internal_type()]
        places = 0
    else:
        raise TypeError(f"{model.__name__}.{name} is not a number column")
    return NumberRange(label=title, low=column_low if low is None else max(low, column_low),
                       high=column_high if high is None else min(high, column_high), places=places)


ID_RANGE = NumberRange(label="编号", low=1, high=MAX_ID)
YEAR_RANGE = NumberRange(label="年度", low=MIN_YEAR, high=MAX_YEAR)

# Types for API schemas and query/path parameters: pydantic refuses anything outside the range (400).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Quarter = Annotated[int, Field(ge=1, le=4)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]


def id_or_none(text: str | None) -> int | None:
    """A record id typed in a query string or form: None when absent, not digits or beyond any stored id."""
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
