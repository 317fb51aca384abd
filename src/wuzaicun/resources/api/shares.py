"""API of 三变: entities with what was put in, holders, contributions, and dividends (split, parts, cancel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Year
from wuzaicun.core.params import region_param
from wuzaicun.responsibility.selectors import working_year

from ..models.shares import Contribution, Dividend
from ..selectors.shares import (
    contributions_of,
    dividends_of,
    get_dividend_for_user,
    get_share_entity_for_user,
    holders_of,
    parts_of,
    share_entities,
    totals,
)
from ..services.shares import (
    AMOUNT_RANGE,
    LAND_RANGE,
    SHARES_RANGE,
    TOTAL_RANGE,
    add_contribution,
    cancel_dividend,
    delete_contribution,
    split_dividend,
)

router = Router(tags=["三变改革"])
CENT = Decimal("0.01")  # SQLite's sums come back as 3.5; amounts and 亩 read to the cent everywhere


class ShareEntityOut(Schema):
    id: int
    name: str
    village_code: str
    village_name: str
    land_mu: Decimal
    properties: int
    money: Decimal
    shares: Decimal
    holders: int

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.village_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)

    @staticmethod
    def resolve_land_mu(obj: Any) -> Decimal:
        return Decimal(obj.land).quantize(CENT)

    @staticmethod
    def resolve_money(obj: Any) -> Decimal:
        return Decimal(obj.money).quantize(CENT)

    @staticmethod
    def resolve_shares(obj: Any) -> Decimal:
        return Decimal(obj.shares).quantize(CENT)


class ShareTotalsOut(Schema):
    year: int
    land_mu: Decimal
    properties: int
    money: Decimal
    entities: int
    holders: int
    poor_holders: int


class ShareHolderOut(Schema):
    household_id: int | None
    holder: str
    resident_id_masked: str
    status: str
    shares: Decimal

    @staticmethod
    def resolve_holder(obj: Any) -> str:
        return f"{obj['household__head_name']}户" if obj["household_id"] else "村集体"

    @staticmethod
    def resolve_shares(obj: Any) -> Decimal:
        return Decimal(obj["shares"]).quantize(CENT)

    @staticmethod
    def resolve_resident_id_masked(obj: Any) -> str:
        return str(obj["household__resident_id_masked"] or "")

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj["household__status"] or "")


class ContributionOut(Schema):
    id: int
    entity_id: int
    household_id: int | None
    holder: str
    kind: str
    kind_label: str
    land_mu: Decimal | None
    property_name: str
    amount: Decimal | None
    shares: Decimal
    contributed_on: dt.date

    @staticmethod
    def resolve_holder(obj: Any) -> str:
        return f"{obj.household.head_name}户" if obj.household_id else "村集体"

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class ContributionIn(Schema):
    entity_id: Id
    household_id: Id | None = None
    kind: str
    shares: Annotated[Decimal, SHARES_RANGE]
    contributed_on: dt.date
    land_mu: Annotated[Decimal, LAND_RANGE] | None = None
    property_name: str = ""
    amount: Annotated[Decimal, AMOUNT_RANGE] | None = None


class DividendOut(Schema):
    id: int | None
    entity_id: int
    entity_name: str
    year: int
    total: Decimal
    total_shares: Decimal
    holders: int
    saved: bool


class DividendIn(Schema):
    entity_id: Id
    year: Year
    total: Annotated[Decimal, TOTAL_RANGE]
    dry_run: bool = False


class DividendPartOut(Schema):
    household_id: int | None
    holder: str
    resident_id_masked: str
    shares: Decimal
    amount: Decimal

    @staticmethod
    def resolve_holder(obj: Any) -> str:
        return f"{obj.household.head_name}户" if obj.household_id else "村集体"

    @staticmethod
    def resolve_resident_id_masked(obj: Any) -> str:
        return str(obj.household.resident_id_masked) if obj.household_id else ""


def _dividend_out(dividend: Dividend) -> dict[str, Any]:
    return {"id": dividend.pk, "entity_id": dividend.entity_id, "entity_name": dividend.entity.name,
            "year": dividend.year, "total": dividend.total, "total_shares": dividend.total_shares,
            "holders": dividend.holders, "saved": True}


@router.get("/share-entities", response=Page[ShareEntityOut], summary="三变入股实体（截至某年底）")
def list_share_entities(request: HttpRequest, year: Year | None = None, region: str = "", q: str = "",
                        joined: str = "yes", page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(share_entities(request.user, year=year or working_year(), region=region_param(region), q=q,
                                joined="" if joined == "all" else joined), page=page, page_size=page_size)


@router.get("/share-totals", response=ShareTotalsOut, summary="三变合计：入股土地、集体资产、资金与股东户")
def share_totals(request: HttpRequest, year: Year | None = None, region: str = "") -> dict[str, Any]:
    shown = year or working_year()
    found = totals(request.user, year=shown, region=region_param(region))
    return {"year": shown, "land_mu": Decimal(found["land"]).quantize(CENT), "money": Decimal(found["money"]).quantize(CENT),
            **{k: v for k, v in found.items() if k not in ("land", "money")}}


@router.get("/share-entities/{entity_id}/holders", response=Page[ShareHolderOut], summary="实体的股东与股份")
def list_holders(request: HttpRequest, entity_id: Id, year: Year | None = None, page: PageNumber = 1,
                 page_size: PageSize = 20) -> dict[str, Any]:
    entity = get_share_entity_for_user(request.user, entity_id)
    return paged(holders_of(request.user, entity, year=year or working_year()), page=page, page_size=page_size)


@router.get("/share-entities/{entity_id}/contributions", response=Page[ContributionOut], summary="实体的入股记录")
def list_contributions(request: HttpRequest, entity_id: Id, page: PageNumber = 1,
                       page_size: PageSize = 20) -> dict[str, Any]:
    entity = get_share_entity_for_user(request.user, entity_id)
    return paged(contributions_of(request.user, entity), page=page, page_size=page_size)


@router.post("/contributions", response={201: ContributionOut}, summary="登记入股（土地、集体资产或资金）")
def create_contribution(request: HttpRequest, payload: ContributionIn) -> Status[Contribution]:
    saved = add_contribution(actor=request.user, **payload.dict())
    return Status(201, contributions_of(request.user, saved.entity).get(pk=saved.pk))


@router.delete("/contributions/{contribution_id}", response={204: None}, summary="删除入股记录")
def remove_contribution(request: HttpRequest, contribution_id: Id) -> Status[None]:
    delete_contribution(actor=request.user, contribution_id=contribution_id)
    return Status(204, None)


@router.get("/share-entities/{entity_id}/dividends", response=list[DividendOut], summary="实体的各年度分红")
def list_dividends(request: HttpRequest, entity_id: Id) -> list[dict[str, Any]]:
    entity = get_share_entity_for_user(request.user, entity_id)
    return [_dividend_out(d) for d in dividends_of(request.user, entity).select_related("entity")]


@router.post("/dividends", response={200: DividendOut, 201: DividendOut},
             summary="按股分红（最大余数法精确到分；dry_run 只预览不保存）")
def create_dividend(request: HttpRequest, payload: DividendIn) -> Status[dict[str, Any]]:
    plan = split_dividend(actor=request.user, entity_id=payload.entity_id, year=payload.year, total=payload.total,
                          dry_run=payload.dry_run)
    if plan.dividend is not None:
        return Status(201, _dividend_out(plan.dividend))
    return Status(200, {"id": None, "entity_id": plan.entity.pk, "entity_name": plan.entity.name, "year": plan.year,
                        "total": plan.total, "total_shares": plan.total_shares, "holders": plan.holders,
                        "saved": False})


@router.get("/dividends/{dividend_id}", response=DividendOut, summary="分红")
def get_dividend(request: HttpRequest, dividend_id: Id) -> dict[str, Any]:
    return _dividend_out(get_dividend_for_user(request.user, dividend_id))


@router.get("/dividends/{dividend_id}/parts", response=Page[DividendPartOut], summary="分红明细（每个股东的股份与金额）")
def list_parts(request: HttpRequest, dividend_id: Id, page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(parts_of(request.user, get_dividend_for_user(request.user, dividend_id)), page=page,
                 page_size=page_size)


@router.delete("/dividends/{dividend_id}", response={204: None}, summary="撤销分红")
def remove_dividend(request: HttpRequest, dividend_id: Id) -> Status[None]:
    cancel_dividend(actor=request.user, dividend_id=dividend_id)
    return Status(204, None)


