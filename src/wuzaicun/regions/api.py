"""API for regions and village years."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Year

from .codes import prefix_of
from .models import Region
from .selectors import get_region_for_user, regions_for, village_years_for

router = Router(tags=["行政区划"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None
    urban_rural_code: str

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent_id


class VillageYearOut(Schema):
    village_code: str
    village_name: str
    year: int
    is_poor: bool
    exit_year: int | None
    is_weak_organisation: bool
    is_ethnic_minority: bool
    demonstration: str

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.village_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)


@router.get("/regions", response=Page[RegionOut], summary="行政区划列表")
def list_regions(
    request: HttpRequest, region: str | None = None, level: Annotated[int, Field(ge=1, le=5)] | None = None, page: PageNumber = 1, page_size: PageSize = 20
) -> dict[str, Any]:
    queryset = regions_for(request.user).order_by("code")
    if region:
        queryset = queryset.filter(code__within=prefix_of(region) if len(region) == 12 else region)
    if level:
        queryset = queryset.filter(level=level)
    return paged(queryset, page=page, page_size=page_size)


@router.get("/regions/{code}", response=RegionOut, summary="行政区划详情")
def get_region(request: HttpRequest, code: str) -> Region:
    return get_region_for_user(request.user, code)


@router.get("/villages", response=Page[VillageYearOut], summary="村情列表")
def list_villages(
    request: HttpRequest,
    region: str | None = None,
    year: Year | None = None,
    is_poor: bool | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> dict[str, Any]:
    queryset = village_years_for(request.user, year=year).order_by("village_id", "year")
    if region:
        queryset = queryset.filter(village__code__within=prefix_of(region) if len(region) == 12 else region)
    if is_poor is not None:
        queryset = queryset.filter(is_poor=is_poor)
    return paged(queryset, page=page, page_size=page_size)
