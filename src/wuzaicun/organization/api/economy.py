"""API of 村级集体经济: entities and their yearly income, 空壳村, coverage (the pages' scope and rules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Version, Year
from wuzaicun.core.params import region_param

from ..models.economy import CollectiveEntity, EntityIncome
from ..rules.economy import shell_reason
from ..selectors.economy import economy_summary, entities_for, get_entity_for_user, incomes_of, shell_villages
from ..services.economy import (
    COLLECTIVE_RANGE,
    OPERATING_RANGE,
    create_entity,
    delete_entity,
    set_income,
    update_entity,
)

router = Router(tags=["村级集体经济"])


class EntityOut(Schema):
    id: int
    village_code: str = Field(alias="village_id")
    village_name: str
    name: str
    kind: str
    kind_label: str
    credit_code: str | None
    founded_on: dt.date | None
    version: int
    year_operating_income: Decimal | None = None
    year_collective_income: Decimal | None = None

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_year_operating_income(obj: Any) -> Decimal | None:
        return getattr(obj, "year_operating", None)

    @staticmethod
    def resolve_year_collective_income(obj: Any) -> Decimal | None:
        return getattr(obj, "year_collective", None)


class EntityIn(Schema):
    village_code: str
    name: str
    kind: str
    credit_code: str = ""
    founded_on: dt.date | None = None


class EntityPatch(Schema):
    name: str | None = None
    kind: str | None = None
    credit_code: str | None = None
    founded_on: dt.date | None = None
    version: Version | None = None


class IncomeIn(Schema):
    operating_income: Annotated[Decimal, OPERATING_RANGE] = Decimal(0)
    collective_income: Annotated[Decimal, COLLECTIVE_RANGE] = Decimal(0)


class IncomeOut(Schema):
    year: int
    operating_income: Decimal
    collective_income: Decimal


class ShellOut(Schema):
    village_code: str
    village_name: str
    reason: str


class TrendOut(Schema):
    year: int
    villages: int
    with_entity: int
    shells: int


class SummaryOut(Schema):
    year: int
    villages: int
    with_entity: int
    coverage: Decimal
    shells: int
    entities: int
    by_kind: dict[str, int]
    operating_income: Decimal
    collective_income: Decimal
    trend: list[TrendOut]


@router.get("/entities", response=Page[EntityOut], summary="村集体经济实体（含某年度收入）")
def list_entities(request: HttpRequest, year: Year, region: str = "", q: str = "", kind: str = "",
                  page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(entities_for(request.user, year=year, region=region_param(region), q=q, kind=kind),
                 page=page, page_size=page_size)


@router.post("/entities", response={201: EntityOut}, summary="登记村集体经济实体")
def add_entity(request: HttpRequest, payload: EntityIn) -> Status[CollectiveEntity]:
    entity = create_entity(actor=request.user, village_code=payload.village_code, name=payload.name,
                           kind=payload.kind, credit_code=payload.credit_code, founded_on=payload.founded_on)
    return Status(201, get_entity_for_user(request.user, entity.pk))


@router.get("/entities/{entity_id}", response=EntityOut, summary="村集体经济实体")
def get_entity(request: HttpRequest, entity_id: Id) -> CollectiveEntity:
    return get_entity_for_user(request.user, entity_id)


@router.patch("/entities/{entity_id}", response=EntityOut, summary="修改村集体经济实体")
def patch_entity(request: HttpRequest, entity_id: Id, payload: EntityPatch) -> CollectiveEntity:
    current = get_entity_for_user(request.user, entity_id)
    given = payload.dict(exclude_unset=True)
    update_entity(actor=request.user, entity_id=entity_id, name=given.get("name") or current.name,
                  kind=given.get("kind") or current.kind,
                  credit_code=given["credit_code"] or "" if "credit_code" in given else current.credit_code or "",
                  founded_on=given.get("founded_on", current.founded_on),
                  expected_version=given.get("version"))
    return get_entity_for_user(request.user, entity_id)


@router.delete("/entities/{entity_id}", response={204: None}, summary="删除村集体经济实体（连同各年度收入）")
def remove_entity(request: HttpRequest, entity_id: Id) -> Status[None]:
    delete_entity(actor=request.user, entity_id=entity_id)
    return Status(204, None)


@router.get("/entities/{entity_id}/incomes", response=list[IncomeOut], summary="实体各年度收入")
def list_incomes(request: HttpRequest, entity_id: Id) -> list[EntityIncome]:
    return list(incomes_of(request.user, get_entity_for_user(request.user, entity_id)))


@router.put("/entities/{entity_id}/incomes/{year}", response=IncomeOut, summary="填报实体某年度收入")
def put_income(request: HttpRequest, entity_id: Id, year: Year, payload: IncomeIn) -> EntityIncome:
    return set_income(actor=request.user, entity_id=entity_id, year=year, operating_income=payload.operating_income,
                      collective_income=payload.collective_income)


@router.get("/economy/shells", response=Page[ShellOut], summary="空壳村（没有实体或当年没有集体收入）")
def list_shells(request: HttpRequest, year: Year, region: str = "", page: PageNumber = 1,
                page_size: PageSize = 20) -> dict[str, Any]:
    result = paged(shell_villages(request.user, year=year, region=region_param(region)), page=page, page_size=page_size)
    result["results"] = [{"village_code": v.code, "village_name": v.name,
                          "reason": shell_reason(entities=1 if v.has_entity else 0, collective_income=v.collective) or ""}
                         for v in result["results"]]
    return result


@router.get("/economy/summary", response=SummaryOut, summary="一村一实体覆盖率、空壳村及其变化")
def summary(request: HttpRequest, year: Year, region: str = "") -> dict[str, Any]:
    return economy_summary(request.user, year=year, region=region_param(region))
