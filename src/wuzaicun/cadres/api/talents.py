"""API of 千村千人计划人才 (talents, their villages and visits, the overdue pairs) and 项目书记 (secretaries and the
projects they lead or drive): the pages' scope, rules and services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Year
from wuzaicun.core.params import region_param

from ..selectors.talents import (
    get_secretary_for_user,
    get_talent_for_user,
    links_of,
    overdue_pairs,
    overdue_rows,
    projects_of,
    secretaries_for,
    secretary_totals,
    talent_totals,
    talents_for,
    visits_of,
)
from ..services.talents import (
    AMOUNT_RANGE,
    add_project,
    create_secretary,
    create_talent,
    delete_secretary,
    delete_talent,
    delete_visit,
    record_visit,
    remove_project,
    update_project,
    update_secretary,
    update_talent,
)

router = Router(tags=["千村千人计划与项目书记"])
Text = Annotated[str, Field(max_length=300)]
Code = Annotated[str, Field(max_length=12)]


class PersonRef(Schema):
    id: int
    name: str
    resident_id_masked: str


class TalentOut(Schema):
    id: int
    person: PersonRef
    region_code: str = Field(alias="region_id")
    region_name: str
    year: int
    field: str
    field_label: str
    visit_every: int
    visit_every_label: str
    village_count: int | None = None
    visit_count: int | None = None

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return str(obj.region.name)

    @staticmethod
    def resolve_field_label(obj: Any) -> str:
        return str(obj.get_field_display())

    @staticmethod
    def resolve_visit_every_label(obj: Any) -> str:
        return str(obj.get_visit_every_display())

    @staticmethod
    def resolve_village_count(obj: Any) -> int | None:
        return getattr(obj, "village_count", None)

    @staticmethod
    def resolve_visit_count(obj: Any) -> int | None:
        return getattr(obj, "visit_count", None)


class LinkOut(Schema):
    village_code: str
    village_name: str
    last_visit: dt.date | None
    visit_count: int
    days_overdue: int


class TalentDetailOut(Schema):
    talent: TalentOut
    villages: list[LinkOut]


class TalentIn(Schema):
    person_id: Id
    year: Year
    field: Annotated[str, Field(max_length=20)]
    visit_every: Annotated[int, Field(ge=1, le=366)]
    village_codes: Annotated[list[Code], Field(max_length=100)]
    region_code: Code = ""


class TalentPut(Schema):
    field: Annotated[str, Field(max_length=20)]
    visit_every: Annotated[int, Field(ge=1, le=366)]
    village_codes: Annotated[list[Code], Field(max_length=100)]


class TalentVisitIn(Schema):
    village_code: Code
    date: dt.date
    content: Text


class TalentVisitOut(Schema):
    id: int
    talent_id: int
    village_code: str = Field(alias="village_id")
    village_name: str
    date: dt.date
    content: str

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)


class OverdueOut(Schema):
    talent_id: int
    person_name: str
    field_label: str
    visit_every: int
    village_code: str
    village_name: str
    last_visit: dt.date | None
    days_overdue: int


class TalentTotalsOut(Schema):
    talents: int
    pairs: int
    visits: int
    overdue: int
    day: dt.date


class SecretaryOut(Schema):
    id: int
    person: PersonRef
    region_code: str = Field(alias="region_id")
    region_name: str
    year: int
    led: int | None = None
    driven: int | None = None

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return str(obj.region.name)

    @staticmethod
    def resolve_led(obj: Any) -> int | None:
        return getattr(obj, "led", None)

    @staticmethod
    def resolve_driven(obj: Any) -> int | None:
        return getattr(obj, "driven", None)


class ProjectOut(Schema):
    id: int
    secretary_id: int
    name: str
    role: str
    role_label: str
    village_code: str = Field(alias="village_id")
    village_name: str
    amount: Decimal | None

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)


class SecretaryDetailOut(Schema):
    secretary: SecretaryOut
    projects: list[ProjectOut]


class SecretaryIn(Schema):
    person_id: Id
    region_code: Code
    year: Year


class SecretaryPatch(Schema):
    region_code: Code


class ProjectIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    role: Annotated[str, Field(max_length=10)]
    village_code: Code
    amount: Annotated[Decimal, AMOUNT_RANGE] | None = None


class SecretaryTotalsOut(Schema):
    year: int
    secretaries: int
    led: int
    driven: int
    invested: Decimal


# --- 千村千人计划 ------------------------------------------------------------------------------------------

@router.get("/talents", response=Page[TalentOut], summary="千村千人计划人才列表（含服务村数、走访次数）")
def list_talents(request: HttpRequest, year: Year, region: str = "", q: str = "", field: str = "",
                 page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(talents_for(request.user, year=year, region=region_param(region), q=q[:50], field=field),
                 page=page, page_size=page_size)


@router.get("/talents/overdue", response=Page[OverdueOut], summary="逾期未走访的人才与服务村")
def list_overdue(request: HttpRequest, year: Year, region: str = "", q: str = "", field: str = "",
                 on: dt.date | None = None, page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    result = paged(overdue_pairs(request.user, year=year, region=region_param(region), q=q[:50], field=field, on=on),
                   page=page, page_size=page_size)
    result["results"] = [
        {"talent_id": r["talent"].pk, "person_name": r["talent"].person.name,
         "field_label": r["talent"].get_field_display(), "visit_every": r["talent"].visit_every,
         "village_code": r["village"].code, "village_name": r["village"].name, "last_visit": r["last_visit"],
         "days_overdue": r["overdue"]}
        for r in overdue_rows(result["results"], year=year, on=on)]
    return result


@router.get("/talents/summary", response=TalentTotalsOut, summary="人才、服务村、走访与逾期未走访的数量")
def talents_summary(request: HttpRequest, year: Year, region: str = "") -> dict[str, Any]:
    return talent_totals(request.user, year=year, region=region_param(region))


@router.post("/talents", response={201: TalentOut}, summary="登记千村千人计划人才")
def add_talent(request: HttpRequest, payload: TalentIn) -> Status[Any]:
    talent = create_talent(actor=request.user, person_id=payload.person_id, year=payload.year, field=payload.field,
                           visit_every=payload.visit_every, village_codes=payload.village_codes,
                           region_code=payload.region_code)
    return Status(201, get_talent_for_user(request.user, talent.pk))


def _detail(request: HttpRequest, talent_id: int) -> dict[str, Any]:
    talent = get_talent_for_user(request.user, talent_id)
    links = [{"village_code": link["village"].code, "village_name": link["village"].name,
              "last_visit": link["last_visit"], "visit_count": link["visit_count"], "days_overdue": link["overdue"]}
             for link in links_of(request.user, talent)]
    return {"talent": talent, "villages": links}


@router.get("/talents/{talent_id}", response=TalentDetailOut, summary="人才详情（服务村、最近走访、逾期天数）")
def get_talent(request: HttpRequest, talent_id: Id) -> dict[str, Any]:
    return _detail(request, talent_id)


@router.put("/talents/{talent_id}", response=TalentDetailOut, summary="修改人才的专业领域、走访计划与服务村")
def put_talent(request: HttpRequest, talent_id: Id, payload: TalentPut) -> dict[str, Any]:
    update_talent(actor=request.user, talent_id=talent_id, field=payload.field, visit_every=payload.visit_every,
                  village_codes=payload.village_codes)
    return _detail(request, talent_id)


@router.delete("/talents/{talent_id}", response={204: None}, summary="删除人才（连同走访记录）")
def remove_talent(request: HttpRequest, talent_id: Id) -> Status[None]:
    delete_talent(actor=request.user, talent_id=talent_id)
    return Status(204, None)


@router.get("/talents/{talent_id}/visits", response=Page[TalentVisitOut], summary="人才的走访记录")
def list_visits(request: HttpRequest, talent_id: Id, page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(visits_of(request.user, get_talent_for_user(request.user, talent_id)), page=page, page_size=page_size)


@router.post("/talents/{talent_id}/visits", response={201: TalentVisitOut}, summary="登记走访（不能晚于今天）")
def add_visit(request: HttpRequest, talent_id: Id, payload: TalentVisitIn) -> Status[Any]:
    visit = record_visit(actor=request.user, talent_id=talent_id, village_code=payload.village_code, date=payload.date,
                         content=payload.content)
    return Status(201, visit)


@router.delete("/talent-visits/{visit_id}", response={204: None}, summary="删除走访记录")
def remove_visit(request: HttpRequest, visit_id: Id) -> Status[None]:
    delete_visit(actor=request.user, visit_id=visit_id)
    return Status(204, None)


# --- 项目书记 ---------------------------------------------------------------------------------------------

@router.get("/secretaries", response=Page[SecretaryOut], summary="项目书记列表（含领办、带动项目数）")
def list_secretaries(request: HttpRequest, year: Year, region: str = "", q: str = "", page: PageNumber = 1,
                     page_size: PageSize = 20) -> dict[str, Any]:
    return paged(secretaries_for(request.user, year=year, region=region_param(region), q=q[:50]),
                 page=page, page_size=page_size)


@router.get("/secretaries/summary", response=SecretaryTotalsOut, summary="项目书记、领办与带动项目数、投资额")
def secretaries_summary(request: HttpRequest, year: Year, region: str = "") -> dict[str, Any]:
    return secretary_totals(request.user, year=year, region=region_param(region))


@router.post("/secretaries", response={201: SecretaryOut}, summary="登记项目书记")
def add_secretary(request: HttpRequest, payload: SecretaryIn) -> Status[Any]:
    secretary = create_secretary(actor=request.user, person_id=payload.person_id, region_code=payload.region_code,
                                 year=payload.year)
    return Status(201, get_secretary_for_user(request.user, secretary.pk))


def _secretary_detail(request: HttpRequest, secretary_id: int) -> dict[str, Any]:
    secretary = get_secretary_for_user(request.user, secretary_id)
    return {"secretary": secretary, "projects": list(projects_of(request.user, secretary))}


@router.get("/secretaries/{secretary_id}", response=SecretaryDetailOut, summary="项目书记详情（项目）")
def get_secretary(request: HttpRequest, secretary_id: Id) -> dict[str, Any]:
    return _secretary_detail(request, secretary_id)


@router.patch("/secretaries/{secretary_id}", response=SecretaryDetailOut, summary="修改项目书记所在乡镇或村")
def patch_secretary(request: HttpRequest, secretary_id: Id, payload: SecretaryPatch) -> dict[str, Any]:
    update_secretary(actor=request.user, secretary_id=secretary_id, region_code=payload.region_code)
    return _secretary_detail(request, secretary_id)


@router.delete("/secretaries/{secretary_id}", response={204: None}, summary="删除项目书记（连同项目）")
def remove_secretary(request: HttpRequest, secretary_id: Id) -> Status[None]:
    delete_secretary(actor=request.user, secretary_id=secretary_id)
    return Status(204, None)


@router.post("/secretaries/{secretary_id}/projects", response={201: ProjectOut}, summary="添加领办或带动的项目")
def post_project(request: HttpRequest, secretary_id: Id, payload: ProjectIn) -> Status[Any]:
    project = add_project(actor=request.user, secretary_id=secretary_id, name=payload.name, role=payload.role,
                          village_code=payload.village_code, amount=payload.amount)
    return Status(201, project)


@router.put("/secretary-projects/{project_id}", response=ProjectOut, summary="修改项目")
def put_project(request: HttpRequest, project_id: Id, payload: ProjectIn) -> Any:
    return update_project(actor=request.user, project_id=project_id, name=payload.name, role=payload.role,
                          village_code=payload.village_code, amount=payload.amount)


@router.delete("/secretary-projects/{project_id}", response={204: None}, summary="删除项目")
def delete_project(request: HttpRequest, project_id: Id) -> Status[None]:
    remove_project(actor=request.user, project_id=project_id)
    return Status(204, None)
