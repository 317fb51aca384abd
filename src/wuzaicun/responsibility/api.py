"""API for the lists: years, entries and the coverage report, with the pages' scope and rules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from wuzaicun.core.api import Page, paged
from wuzaicun.core.params import region_param

from .coverage import coverage_report
from .models import Assignment, ResponsibilityYear
from .schemas import CoverageOut, EntryIn, EntryOut, YearOut
from .selectors import entries_for, get_entry_for_user
from .services import create_entry, delete_entry

router = Router(tags=["责任在村落实"])


@router.get("/responsibility/years", response=list[YearOut], summary="责任年度")
def list_years(request: HttpRequest) -> list[ResponsibilityYear]:
    return list(ResponsibilityYear.objects_unscoped.order_by("-year"))


@router.get("/responsibility/entries", response=Page[EntryOut], summary="清单条目")
def list_entries(
    request: HttpRequest, year: int, kind: str = "", region: str = "", q: str = "", page: int = 1,
    page_size: int = 20,
) -> dict[str, Any]:
    queryset = entries_for(request.user, year=year, kind=kind, region=region_param(region) or "", q=q).prefetch_related(
        "household_links").order_by("kind", "village_id", "pk")
    return paged(queryset, page=page, page_size=page_size)


@router.get("/responsibility/entries/{entry_id}", response=EntryOut, summary="清单条目详情")
def get_entry(request: HttpRequest, entry_id: int) -> Assignment:
    return get_entry_for_user(request.user, entry_id)


@router.post("/responsibility/entries", response={201: EntryOut}, summary="新增清单条目")
def add_entry(request: HttpRequest, payload: EntryIn) -> Status[Assignment]:
    entry = create_entry(actor=request.user, **payload.dict())
    return Status(201, get_entry_for_user(request.user, entry.pk))


@router.delete("/responsibility/entries/{entry_id}", response={204: None}, summary="删除清单条目")
def remove_entry(request: HttpRequest, entry_id: int) -> Status[None]:
    delete_entry(actor=request.user, entry_id=entry_id)
    return Status(204, None)


@router.get("/responsibility/coverage", response=CoverageOut, summary="覆盖检查（与 wuzaicun coverage --json 相同）")
def coverage(request: HttpRequest, year: int, region: str = "") -> dict[str, Any]:
    return coverage_report(request.user, year=year, region=region_param(region)).as_json()
