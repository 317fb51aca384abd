"""API shapes for people and households; resident IDs and phones appear masked only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from wuzaicun.core.bounds import Version, Year

from .models import INCOME_PER_HEAD_RANGE


class HouseholdOut(Schema):
    id: int
    region_code: str = Field(alias="region_id")
    village_name: str
    head_name: str
    resident_id: str = Field(alias="resident_id_masked")
    members: int
    status: str
    identified_year: int
    exit_year: int | None
    cause: str
    income_per_head: Decimal | None
    version: int

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.region.name)


class HouseholdIn(Schema):
    region_code: str
    head_name: str = Field(min_length=1, max_length=50)
    resident_id: str
    members: int = Field(ge=1, le=30)
    status: str = "未脱贫"
    identified_year: Year
    exit_year: Year | None = None
    cause: str
    income_per_head: Annotated[Decimal, INCOME_PER_HEAD_RANGE] | None = None


class HouseholdPatch(Schema):
    version: Version
    region_code: str | None = None
    head_name: str | None = Field(default=None, min_length=1, max_length=50)
    resident_id: str | None = None
    members: int | None = Field(default=None, ge=1, le=30)
    status: str | None = None
    identified_year: Year | None = None
    exit_year: Year | None = None
    cause: str | None = None
    income_per_head: Annotated[Decimal, INCOME_PER_HEAD_RANGE] | None = None


class PersonOut(Schema):
    id: int
    name: str
    resident_id: str = Field(alias="resident_id_masked")
    sex: str
    ethnicity: str
    political_status: str
    party_since: dt.date | None
    unit: str | None
    post: str
    rank: str
    phone: str = Field(alias="phone_masked")
    region_code: str = Field(alias="region_id")

    @staticmethod
    def resolve_unit(obj: Any) -> str | None:
        return obj.unit.name if obj.unit_id else None


class PersonIn(Schema):
    region_code: str
    name: str = Field(min_length=1, max_length=50)
    resident_id: str
    sex: str = ""
    ethnicity: str = "汉族"
    political_status: str = "群众"
    post: str = ""
    rank: str = ""
    phone: str = ""


class RegistryRevealIn(Schema):
    reason: str = Field(..., max_length=100, description="查看原因（至少4个字，记入操作日志）")


class RegistryRevealOut(Schema):
    resident_id: str = Field(..., description="完整身份证号（本次查看已留痕）")
