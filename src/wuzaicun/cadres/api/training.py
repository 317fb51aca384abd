"""干部培训: API — sessions and their attendance, the figures per level and year, coverage per target group and the
untrained (the pages' scope, rules and services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Year
from wuzaicun.core.errors import DomainError
from wuzaicun.core.params import region_param
from wuzaicun.regions.codes import prefix_of

from ..models.training import TargetGroup, TrainingSession
from ..rules.training import group_labels
from ..selectors.training import (
    attendance_of,
    get_session_for_user,
    group_coverage,
    sessions_for,
    training_figures,
    untrained,
)
from ..services.training import add_attendees, delete_session, remove_attendee, save_session

router = Router(tags=["干部培训"])


class TrainingSessionOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    region_code: str = Field(alias="region_id")
    region_name: str
    organiser: str
    topic: str
    start: dt.date
    end: dt.date
    year: int
    target_groups: list[str]
    target_groups_label: str
    person_times: int

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return str(obj.region.name)

    @staticmethod
    def resolve_target_groups_label(obj: Any) -> str:
        return group_labels(obj.target_groups)

    @staticmethod
    def resolve_person_times(obj: Any) -> int:
        return int(getattr(obj, "attendee_count", 0))


class TrainingSessionIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    level: str
    region_code: Annotated[str, Field(max_length=12)]
    organiser: Annotated[str, Field(max_length=100)]
    topic: Annotated[str, Field(max_length=200)]
    start: dt.date
    end: dt.date
    target_groups: Annotated[list[str], Field(max_length=10)]


class TraineeOut(Schema):
    id: int
    name: str
    resident_id: str = Field(alias="resident_id_masked")
    rank: str
    post: str
    region_code: str = Field(alias="region_id")
    region_name: str
    unit_name: str

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return str(obj.region.name)

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return str(obj.unit.name) if obj.unit_id else ""


class TraineesIn(Schema):
    person_ids: Annotated[list[Id], Field(min_length=1, max_length=1000)]


class TraineesAddedOut(Schema):
    added: int


class TrainingLevelOut(Schema):
    sessions: int
    person_times: int


class TrainingFiguresOut(Schema):
    year: int
    city: TrainingLevelOut
    county: TrainingLevelOut
    sessions: int
    person_times: int


class TrainingCoverageOut(Schema):
    group: str
    label: str
    members: int
    trained: int
    untrained: int
    share: Decimal | None


def _session(request: HttpRequest, pk: int) -> TrainingSession:
    return sessions_for(request.user).get(pk=get_session_for_user(request.user, pk).pk)


@router.get("/trainings", response=Page[TrainingSessionOut], summary="培训班（年度、层级、区划、关键词）")
def list_sessions(request: HttpRequest, year: Year | None = None, level: str = "", region: str = "", q: str = "",
                  page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(sessions_for(request.user, year=year, level=level, region=region_param(region) or "", q=q),
                 page=page, page_size=page_size)


@router.get("/trainings/figures", response=list[TrainingFiguresOut], summary="各年度市级、县级培训期数与参训人次")
def figures(request: HttpRequest, region: str = "") -> list[dict[str, Any]]:
    return [{"year": f.year, "city": f.city.__dict__, "county": f.county.__dict__, "sessions": f.sessions,
             "person_times": f.person_times} for f in training_figures(request.user, region=region_param(region) or "")]


@router.get("/trainings/coverage", response=list[TrainingCoverageOut], summary="各类培训对象当年参训覆盖率")
def coverage(request: HttpRequest, year: Year, region: str = "") -> list[dict[str, Any]]:
    return [{"group": c.group, "label": c.label, "members": c.members, "trained": c.trained,
             "untrained": c.untrained, "share": c.share}
            for c in group_coverage(request.user, year=year, region=region_param(region) or "")]


@router.get("/trainings/untrained", response=Page[TraineeOut], summary="某类培训对象中当年未参训的人员")
def list_untrained(request: HttpRequest, year: Year, group: str, region: str = "", page: PageNumber = 1,
                   page_size: PageSize = 20) -> dict[str, Any]:
    if group not in TargetGroup.values:
        choices = "、".join(f"{label}（{value}）" for value, label in TargetGroup.choices)
        raise DomainError(f"培训对象“{group[:50]}”不是可选值（{choices}）", code="invalid_group", field="培训对象")
    return paged(untrained(request.user, year=year, group=group, region=region_param(region) or ""),
                 page=page, page_size=page_size)


@router.post("/trainings", response={201: TrainingSessionOut}, summary="新增培训班")
def add_session(request: HttpRequest, payload: TrainingSessionIn) -> Status[TrainingSession]:
    session = save_session(actor=request.user, **payload.dict())
    return Status(201, _session(request, session.pk))


@router.get("/trainings/{session_id}", response=TrainingSessionOut, summary="培训班")
def get_session(request: HttpRequest, session_id: Id) -> TrainingSession:
    return _session(request, session_id)


@router.put("/trainings/{session_id}", response=TrainingSessionOut, summary="修改培训班")
def put_session(request: HttpRequest, session_id: Id, payload: TrainingSessionIn) -> TrainingSession:
    get_session_for_user(request.user, session_id)
    save_session(actor=request.user, session_id=session_id, **payload.dict())
    return _session(request, session_id)


@router.delete("/trainings/{session_id}", response={204: None}, summary="删除培训班（连同参训记录）")
def remove_session(request: HttpRequest, session_id: Id) -> Status[None]:
    delete_session(actor=request.user, session_id=session_id)
    return Status(204, None)


@router.get("/trainings/{session_id}/attendance", response=Page[TraineeOut], summary="培训班的参训人员")
def list_attendance(request: HttpRequest, session_id: Id, region: str = "", page: PageNumber = 1,
                    page_size: PageSize = 20) -> dict[str, Any]:
    rows = attendance_of(request.user, get_session_for_user(request.user, session_id))
    if code := region_param(region):
        rows = rows.filter(person__region__code__within=prefix_of(code))
    result = paged(rows, page=page, page_size=page_size)
    result["results"] = [row.person for row in result["results"]]
    return result


@router.post("/trainings/{session_id}/attendance", response=TraineesAddedOut, summary="登记参训人员（可多人）")
def post_attendance(request: HttpRequest, session_id: Id, payload: TraineesIn) -> dict[str, int]:
    return {"added": add_attendees(actor=request.user, session_id=session_id, person_ids=payload.person_ids)}


@router.delete("/trainings/{session_id}/attendance/{person_id}", response={204: None}, summary="移出参训人员")
def delete_attendance(request: HttpRequest, session_id: Id, person_id: Id) -> Status[None]:
    remove_attendee(actor=request.user, session_id=session_id, person_id=person_id)
    return Status(204, None)
