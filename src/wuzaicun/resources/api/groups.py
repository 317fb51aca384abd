"""API of 十户一体: groups, their member households and tied business entities (the pages' scope and rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from wuzaicun.accounts.scope import get_for_user
from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id
from wuzaicun.core.params import region_param
from wuzaicun.responsibility.selectors import working_year

from ..selectors.groups import entities_of, get_group_for_user, group_size_tolerance, groups_for, members_of
from ..services.groups import (
    add_entity,
    add_members,
    create_group,
    delete_group,
    remove_entity,
    remove_member,
)

router = Router(tags=["十户一体"])


class TenHouseholdGroupOut(Schema):
    id: int
    name: str
    village_code: str
    village_name: str
    head_id: int
    head_name: str
    formed_on: dt.date
    members: int
    entities: int

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.village_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)

    @staticmethod
    def resolve_head_name(obj: Any) -> str:
        return str(obj.head.name)

    @staticmethod
    def resolve_members(obj: Any) -> int:
        return int(getattr(obj, "member_count", 0))

    @staticmethod
    def resolve_entities(obj: Any) -> int:
        return int(getattr(obj, "entity_count", 0))


class TenHouseholdGroupIn(Schema):
    village_code: str
    name: str
    head_id: Id
    formed_on: dt.date
    household_ids: list[Id] = []


class GroupMemberOut(Schema):
    household_id: int
    head_name: str
    resident_id_masked: str
    status: str

    @staticmethod
    def resolve_head_name(obj: Any) -> str:
        return str(obj.household.head_name)

    @staticmethod
    def resolve_resident_id_masked(obj: Any) -> str:
        return str(obj.household.resident_id_masked)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.household.status)


class GroupMembersIn(Schema):
    household_ids: list[Id]


class GroupEntityOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    credit_code: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class GroupEntityIn(Schema):
    name: str
    kind: str
    credit_code: str = ""


def _one(request: HttpRequest, group_id: int) -> Any:
    return get_for_user(groups_for(request.user), request.user, pk=group_id)


@router.get("/groups", response=Page[TenHouseholdGroupOut], summary="十户一体小组（`size=far` 只列户数偏离10户的小组）")
def list_groups(request: HttpRequest, region: str = "", q: str = "", size: str = "", page: PageNumber = 1,
                page_size: PageSize = 20) -> dict[str, Any]:
    return paged(groups_for(request.user, region=region_param(region), q=q, size=size,
                            tolerance=group_size_tolerance(working_year())), page=page, page_size=page_size)


@router.post("/groups", response={201: TenHouseholdGroupOut}, summary="成立十户一体小组")
def create(request: HttpRequest, payload: TenHouseholdGroupIn) -> Status[Any]:
    group = create_group(actor=request.user, **payload.dict())
    return Status(201, _one(request, group.pk))


@router.get("/groups/{group_id}", response=TenHouseholdGroupOut, summary="十户一体小组")
def get_group(request: HttpRequest, group_id: Id) -> Any:
    return _one(request, group_id)


@router.delete("/groups/{group_id}", response={204: None}, summary="撤销十户一体小组")
def remove_group(request: HttpRequest, group_id: Id) -> Status[None]:
    delete_group(actor=request.user, group_id=group_id)
    return Status(204, None)


@router.get("/groups/{group_id}/members", response=list[GroupMemberOut], summary="小组成员户")
def list_members(request: HttpRequest, group_id: Id) -> Any:
    return members_of(request.user, get_group_for_user(request.user, group_id))


@router.post("/groups/{group_id}/members", response=dict[str, int], summary="加入成员户（本村、未加入其他小组）")
def add_group_members(request: HttpRequest, group_id: Id, payload: GroupMembersIn) -> dict[str, int]:
    return {"added": add_members(actor=request.user, group_id=group_id, household_ids=payload.household_ids)}


@router.delete("/groups/{group_id}/members/{household_id}", response={204: None}, summary="移出成员户")
def remove_group_member(request: HttpRequest, group_id: Id, household_id: Id) -> Status[None]:
    remove_member(actor=request.user, group_id=group_id, household_id=household_id)
    return Status(204, None)


@router.get("/groups/{group_id}/entities", response=list[GroupEntityOut], summary="小组联结的经营主体")
def list_entities(request: HttpRequest, group_id: Id) -> Any:
    return entities_of(request.user, get_group_for_user(request.user, group_id))


@router.post("/groups/{group_id}/entities", response={201: GroupEntityOut}, summary="联结经营主体")
def add_group_entity(request: HttpRequest, group_id: Id, payload: GroupEntityIn) -> Status[Any]:
    return Status(201, add_entity(actor=request.user, group_id=group_id, **payload.dict()))


@router.delete("/groups/{group_id}/entities/{entity_id}", response={204: None}, summary="解除与经营主体的联结")
def remove_group_entity(request: HttpRequest, group_id: Id, entity_id: Id) -> Status[None]:
    remove_entity(actor=request.user, group_id=group_id, entity_id=entity_id)
    return Status(204, None)
