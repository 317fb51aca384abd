"""API for people and households: the same scope, rules and services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id

from .models import Household, Person
from .schemas import (
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    PersonIn,
    PersonOut,
    RegistryRevealIn,
    RegistryRevealOut,
)
from .selectors import get_household_for_user, get_person_for_user, households_for, people_for
from .services import create_person, delete_household, reveal_household_id, reveal_person_id, save_household

router = Router(tags=["人员与农户"])


@router.get("/households", response=Page[HouseholdOut], summary="农户列表")
def list_households(
    request: HttpRequest,
    region: str = "",
    status: str = "",
    q: str = "",
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> dict[str, Any]:
    queryset = households_for(request.user, region=region, status=status, q=q).order_by("region_id", "id")
    return paged(queryset, page=page, page_size=page_size)


@router.get("/households/{household_id}", response=HouseholdOut, summary="农户详情")
def get_household(request: HttpRequest, household_id: Id) -> Household:
    return get_household_for_user(request.user, household_id)


@router.post("/households", response={201: HouseholdOut}, summary="新增农户")
def create_household(request: HttpRequest, payload: HouseholdIn) -> Status[Household]:
    household = save_household(actor=request.user, **payload.dict())
    return Status(201, get_household_for_user(request.user, household.pk))


@router.patch("/households/{household_id}", response=HouseholdOut, summary="修改农户（须带 version）")
def update_household(request: HttpRequest, household_id: Id, payload: HouseholdPatch) -> Household:
    current = get_household_for_user(request.user, household_id)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    version = changes.pop("version")
    values: dict[str, Any] = {
        "region_code": current.region_id, "head_name": current.head_name, "members": current.members,
        "status": current.status, "identified_year": current.identified_year, "exit_year": current.exit_year,
        "cause": current.cause, "income_per_head": current.income_per_head, "resident_id": None,
    } | changes
    save_household(actor=request.user, household_id=household_id, expected_version=version, **values)
    return get_household_for_user(request.user, household_id)


@router.delete("/households/{household_id}", response={204: None}, summary="删除农户")
def remove_household(request: HttpRequest, household_id: Id) -> Status[None]:
    delete_household(actor=request.user, household_id=household_id)
    return Status(204, None)


@router.get("/people", response=Page[PersonOut], summary="人员列表")
def list_people(
    request: HttpRequest, region: str = "", rank: str = "", q: str = "", page: PageNumber = 1, page_size: PageSize = 20
) -> dict[str, Any]:
    queryset = people_for(request.user, region=region, rank=rank, q=q).order_by("region_id", "id")
    return paged(queryset, page=page, page_size=page_size)


@router.get("/people/{person_id}", response=PersonOut, summary="人员详情")
def get_person(request: HttpRequest, person_id: Id) -> Person:
    return get_person_for_user(request.user, person_id)


@router.post("/people", response={201: PersonOut}, summary="新增人员")
def add_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    person = create_person(actor=request.user, **payload.dict())
    return Status(201, get_person_for_user(request.user, person.pk))


@router.post("/households/{household_id}/reveal", response=RegistryRevealOut,
             summary="查看户主完整身份证号（须填写原因，每人每日限次，留痕）")
def reveal_household(request: HttpRequest, household_id: Id, payload: RegistryRevealIn) -> dict[str, str]:
    return {"resident_id": reveal_household_id(actor=request.user, household_id=household_id, reason=payload.reason)}


@router.post("/people/{person_id}/reveal", response=RegistryRevealOut,
             summary="查看人员完整身份证号（须填写原因，每人每日限次，留痕）")
def reveal_person(request: HttpRequest, person_id: Id, payload: RegistryRevealIn) -> dict[str, str]:
    return {"resident_id": reveal_person_id(actor=request.user, person_id=person_id, reason=payload.reason)}
