"""API of 选派与驻村工作组: dispatches (list/get/create/update/end), working groups and placements, with the
pages' scope and rules (the same services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Year
from wuzaicun.core.params import region_param

from ..models.dispatch import Dispatch, Placement, WorkingGroup
from ..selectors.dispatch import (
    dispatches_for,
    get_dispatch_for_user,
    get_group_for_user,
    get_placement_for_user,
    groups_for,
    members_of,
    placements_for,
)
from ..services.dispatch import (
    create_dispatch,
    create_group,
    create_placement,
    end_dispatch,
    update_dispatch,
    update_group,
)

router = Router(tags=["选派与驻村工作组"])


class DispatchOut(Schema):
    id: int
    person_id: int
    person_name: str
    kind: str
    kind_label: str
    unit_id: int
    unit_name: str
    village_code: str
    village_name: str
    group_id: int | None
    start: dt.date
    end: dt.date | None
    successor_id: int | None

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person.name)

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return str(obj.unit.name)

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.village_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)


class DispatchIn(Schema):
    person_id: Id
    kind: str
    unit_id: Id
    village_code: str
    start: dt.date
    end: dt.date | None = None
    group_id: Id | None = None


class DispatchPatch(Schema):
    kind: str | None = None
    unit_id: Id | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    group_id: Id | None = None


class EndIn(Schema):
    end: dt.date
    successor_id: Id | None = None


class GroupOut(Schema):
    id: int
    village_code: str
    village_name: str
    unit_id: int
    unit_name: str
    leader_id: int | None
    leader_name: str | None
    start: dt.date
    end: dt.date | None
    members: int = 0

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.village_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return str(obj.unit.name)

    @staticmethod
    def resolve_leader_name(obj: Any) -> str | None:
        return str(obj.leader.name) if obj.leader_id else None

    @staticmethod
    def resolve_members(obj: Any) -> int:
        return int(getattr(obj, "members", 0) or 0)


class GroupDetailOut(GroupOut):
    member_list: list[DispatchOut]


class GroupIn(Schema):
    village_code: str
    unit_id: Id
    start: dt.date
    end: dt.date | None = None
    leader_id: Id | None = None


class GroupPatch(Schema):
    unit_id: Id | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    leader_id: Id | None = None


class PlacementOut(Schema):
    id: int
    person_id: int
    person_name: str
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    post: str
    start: dt.date
    end: dt.date | None
    note: str

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person.name)

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return str(obj.region_id)

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return str(obj.region.name)


class PlacementIn(Schema):
    person_id: Id
    kind: str
    region_code: str
    start: dt.date
    post: str = ""
    end: dt.date | None = None
    note: str = ""


def _today() -> dt.date:
    return timezone.localdate()


@router.get("/dispatches", response=Page[DispatchOut], summary="选派（第一书记和驻村干部）")
def list_dispatches(request: HttpRequest, year: Year | None = None, region: str = "", q: str = "", kind: str = "",
                    status: str = "", page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    rows = dispatches_for(request.user, year=year, region=region_param(region), q=q[:50], kind=kind,
                          status=status, today=_today())
    return paged(rows, page=page, page_size=page_size)


@router.post("/dispatches", response={201: DispatchOut}, summary="登记选派")
def add_dispatch(request: HttpRequest, payload: DispatchIn) -> Status[Dispatch]:
    made = create_dispatch(actor=request.user, person_id=payload.person_id, kind=payload.kind,
                           unit_id=payload.unit_id, village_code=payload.village_code, start=payload.start,
                           end=payload.end, group_id=payload.group_id)
    return Status(201, get_dispatch_for_user(request.user, made.pk))


@router.get("/dispatches/{dispatch_id}", response=DispatchOut, summary="选派")
def get_dispatch(request: HttpRequest, dispatch_id: Id) -> Dispatch:
    return get_dispatch_for_user(request.user, dispatch_id)


@router.patch("/dispatches/{dispatch_id}", response=DispatchOut, summary="修改选派（改结束日期同样检查不脱钩）")
def patch_dispatch(request: HttpRequest, dispatch_id: Id, payload: DispatchPatch) -> Dispatch:
    current = get_dispatch_for_user(request.user, dispatch_id)
    given = payload.dict(exclude_unset=True)
    update_dispatch(actor=request.user, dispatch_id=dispatch_id, kind=given.get("kind") or current.kind,
                    unit_id=given.get("unit_id") or current.unit_id, start=given.get("start") or current.start,
                    end=given.get("end", current.end),
                    group_id=given.get("group_id", current.group_id))
    return get_dispatch_for_user(request.user, dispatch_id)


@router.post("/dispatches/{dispatch_id}/end", response=DispatchOut,
             summary="结束选派（群众不脱贫、干部不脱钩：村未出列须有接任者）")
def finish_dispatch(request: HttpRequest, dispatch_id: Id, payload: EndIn) -> Dispatch:
    end_dispatch(actor=request.user, dispatch_id=dispatch_id, end=payload.end, successor_id=payload.successor_id)
    return get_dispatch_for_user(request.user, dispatch_id)


@router.get("/groups", response=Page[GroupOut], summary="驻村工作组")
def list_groups(request: HttpRequest, year: Year | None = None, region: str = "", q: str = "", status: str = "",
                page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    rows = groups_for(request.user, year=year, region=region_param(region), q=q[:50], status=status, today=_today())
    return paged(rows, page=page, page_size=page_size)


def _group_detail(request: HttpRequest, group_id: int) -> WorkingGroup:
    """The group with its members (`member_list`) and their number, as GroupDetailOut reads them."""
    group = get_group_for_user(request.user, group_id)
    members = list(members_of(request.user, group).select_related("village"))
    group.members = len(members)  # type: ignore[attr-defined]
    group.member_list = members  # type: ignore[attr-defined]
    return group


@router.post("/groups", response={201: GroupDetailOut}, summary="组建驻村工作组")
def add_group(request: HttpRequest, payload: GroupIn) -> Status[WorkingGroup]:
    made = create_group(actor=request.user, village_code=payload.village_code, unit_id=payload.unit_id,
                        start=payload.start, end=payload.end, leader_id=payload.leader_id)
    return Status(201, _group_detail(request, made.pk))


@router.get("/groups/{group_id}", response=GroupDetailOut, summary="驻村工作组及其成员")
def get_group(request: HttpRequest, group_id: Id) -> WorkingGroup:
    return _group_detail(request, group_id)


@router.patch("/groups/{group_id}", response=GroupDetailOut, summary="修改驻村工作组")
def patch_group(request: HttpRequest, group_id: Id, payload: GroupPatch) -> WorkingGroup:
    current: WorkingGroup = get_group_for_user(request.user, group_id)
    given = payload.dict(exclude_unset=True)
    update_group(actor=request.user, group_id=group_id, unit_id=given.get("unit_id") or current.unit_id,
                 start=given.get("start") or current.start, end=given.get("end", current.end),
                 leader_id=given.get("leader_id", current.leader_id))
    return _group_detail(request, group_id)


@router.get("/placements", response=Page[PlacementOut], summary="上管一级与后备干部")
def list_placements(request: HttpRequest, year: Year | None = None, region: str = "", q: str = "", kind: str = "",
                    status: str = "", page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    rows = placements_for(request.user, year=year, region=region_param(region), q=q[:50], kind=kind,
                          status=status, today=_today())
    return paged(rows, page=page, page_size=page_size)


@router.post("/placements", response={201: PlacementOut}, summary="登记上管一级或后备干部（限贫困乡镇、贫困村）")
def add_placement(request: HttpRequest, payload: PlacementIn) -> Status[Placement]:
    made = create_placement(actor=request.user, person_id=payload.person_id, kind=payload.kind,
                            region_code=payload.region_code, start=payload.start, post=payload.post,
                            end=payload.end, note=payload.note)
    return Status(201, get_placement_for_user(request.user, made.pk))


@router.get("/placements/{placement_id}", response=PlacementOut, summary="上管一级或后备干部")
def get_placement(request: HttpRequest, placement_id: Id) -> Placement:
    return get_placement_for_user(request.user, placement_id)
