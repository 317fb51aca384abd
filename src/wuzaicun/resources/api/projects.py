"""API of 整合项目: projects with their fundings, beneficiaries, stages and evidence, and the fund totals (the
pages' scope, rules and version check)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Year
from wuzaicun.core.params import region_param
from wuzaicun.responsibility.selectors import working_year

from ..selectors.projects import (
    beneficiaries_of,
    evidence_of,
    fund_totals,
    fundings_of,
    get_project_for_user,
    projects_for,
)
from ..services.projects import (
    add_beneficiaries,
    add_evidence,
    advance_stage,
    create_project,
    delete_project,
    remove_beneficiary,
    remove_funding,
    set_funding,
    update_project,
)

router = Router(tags=["整合项目"])


class ProjectFundingOut(Schema):
    source: str
    source_label: str
    amount: Decimal

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return str(obj.get_source_display())


class IntegratedProjectOut(Schema):
    id: int
    name: str
    year: int
    county_code: str
    county_name: str
    township_code: str | None
    township_name: str | None
    village_code: str | None
    village_name: str | None
    poor_village: bool
    stage: str
    stage_label: str
    approved_on: dt.date
    started_on: dt.date | None
    accepted_on: dt.date | None
    completed_on: dt.date | None
    description: str
    version: int

    @staticmethod
    def resolve_county_code(obj: Any) -> str:
        return str(obj.county_id)

    @staticmethod
    def resolve_county_name(obj: Any) -> str:
        return str(obj.county.name)

    @staticmethod
    def resolve_township_code(obj: Any) -> str | None:
        return obj.township_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_township_name(obj: Any) -> str | None:
        return obj.township.name if obj.township else None

    @staticmethod
    def resolve_village_code(obj: Any) -> str | None:
        return obj.village_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_village_name(obj: Any) -> str | None:
        return obj.village.name if obj.village else None

    @staticmethod
    def resolve_poor_village(obj: Any) -> bool:
        return bool(getattr(obj, "poor", False))

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return str(obj.get_stage_display())


class ProjectListOut(IntegratedProjectOut):
    total: Decimal

    @staticmethod
    def resolve_total(obj: Any) -> Decimal:
        return Decimal(getattr(obj, "total", 0)).quantize(Decimal("0.01"))  # SQLite's SUM reads back long


class ProjectDetailOut(IntegratedProjectOut):
    fundings: list[ProjectFundingOut]

    @staticmethod
    def resolve_fundings(obj: Any) -> list[Any]:
        return list(obj.funding_rows)


class ProjectFundingIn(Schema):
    source: str
    amount: Decimal


class IntegratedProjectIn(Schema):
    name: str
    year: Year
    region_code: str
    approved_on: dt.date
    description: str = ""
    fundings: list[ProjectFundingIn]
    household_ids: list[Id] = []


class ProjectPatch(Schema):
    version: int
    name: str
    region_code: str
    approved_on: dt.date
    description: str = ""


class ProjectFundingPut(Schema):
    version: int
    amount: Decimal


class ProjectStageIn(Schema):
    version: int
    stage: str
    on: dt.date


class ProjectBeneficiaryOut(Schema):
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


class ProjectBeneficiariesIn(Schema):
    household_ids: list[Id]


class ProjectEvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class ProjectFundRowOut(Schema):
    region_code: str
    region_name: str
    by_source: dict[str, Decimal]
    total: Decimal
    poor: Decimal
    poor_share: Decimal | None


class ProjectFundTotalsOut(Schema):
    year: int
    unit: str
    rows: list[ProjectFundRowOut]
    total: ProjectFundRowOut


def _detail(request: HttpRequest, project_id: int) -> Any:
    project = get_project_for_user(request.user, project_id)
    project.funding_rows = fundings_of(request.user, project)  # type: ignore[attr-defined]
    return project


def _row(row: Any) -> dict[str, Any]:
    return {"region_code": row.code, "region_name": row.name, "by_source": row.by_source, "total": row.total,
            "poor": row.poor, "poor_share": row.share}


@router.get("/projects", response=Page[ProjectListOut],
            summary="整合项目（年度、资金来源、阶段、只看贫困村 poor=1、未落实到村 no_village=1、关键词）")
def list_projects(request: HttpRequest, year: Year | None = None, region: str = "", source: str = "",
                  stage: str = "", poor: bool = False, no_village: bool = False, q: str = "",
                  page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    rows = projects_for(request.user, year=year or working_year(), region=region_param(region), source=source,
                        stage=stage, poor=poor, no_village=no_village, q=q[:50])
    return paged(rows, page=page, page_size=page_size)


@router.post("/projects", response={201: ProjectDetailOut}, summary="项目立项（含资金来源，可同时登记受益户）")
def create(request: HttpRequest, payload: IntegratedProjectIn) -> Status[Any]:
    data = payload.dict()
    project = create_project(actor=request.user, name=data["name"], year=data["year"],
                             region_code=data["region_code"], approved_on=data["approved_on"],
                             description=data["description"], household_ids=data["household_ids"],
                             fundings={f["source"]: f["amount"] for f in data["fundings"]})
    return Status(201, _detail(request, project.pk))


@router.get("/projects/{project_id}", response=ProjectDetailOut, summary="整合项目")
def get_project(request: HttpRequest, project_id: Id) -> Any:
    return _detail(request, project_id)


@router.patch("/projects/{project_id}", response=ProjectDetailOut, summary="修改项目（须带读取时的 version）")
def patch_project(request: HttpRequest, project_id: Id, payload: ProjectPatch) -> Any:
    data = payload.dict()
    update_project(actor=request.user, project_id=project_id, expected_version=data.pop("version"), **data)
    return _detail(request, project_id)


@router.delete("/projects/{project_id}", response={204: None}, summary="删除项目（仅立项阶段）")
def remove_project(request: HttpRequest, project_id: Id) -> Status[None]:
    delete_project(actor=request.user, project_id=project_id)
    return Status(204, None)


@router.get("/projects/{project_id}/fundings", response=list[ProjectFundingOut], summary="项目资金来源")
def list_fundings(request: HttpRequest, project_id: Id) -> Any:
    return fundings_of(request.user, get_project_for_user(request.user, project_id))


@router.put("/projects/{project_id}/fundings/{source}", response=ProjectDetailOut,
            summary="增加或修改一项资金来源（须带 version）")
def put_funding(request: HttpRequest, project_id: Id, source: str, payload: ProjectFundingPut) -> Any:
    set_funding(actor=request.user, project_id=project_id, expected_version=payload.version, source=source,
                amount=payload.amount)
    return _detail(request, project_id)


@router.delete("/projects/{project_id}/fundings/{source}", response=ProjectDetailOut,
               summary="删除一项资金来源（须带 version；至少保留一项）")
def delete_funding(request: HttpRequest, project_id: Id, source: str, version: int) -> Any:
    remove_funding(actor=request.user, project_id=project_id, expected_version=version, source=source)
    return _detail(request, project_id)


@router.get("/projects/{project_id}/beneficiaries", response=list[ProjectBeneficiaryOut], summary="项目受益户")
def list_beneficiaries(request: HttpRequest, project_id: Id) -> Any:
    return beneficiaries_of(request.user, get_project_for_user(request.user, project_id))


@router.post("/projects/{project_id}/beneficiaries", response=dict[str, int], summary="登记受益户（实施村的农户）")
def post_beneficiaries(request: HttpRequest, project_id: Id, payload: ProjectBeneficiariesIn) -> dict[str, int]:
    return {"added": add_beneficiaries(actor=request.user, project_id=project_id,
                                       household_ids=payload.household_ids)}


@router.delete("/projects/{project_id}/beneficiaries/{household_id}", response={204: None}, summary="移出受益户")
def delete_beneficiary(request: HttpRequest, project_id: Id, household_id: Id) -> Status[None]:
    remove_beneficiary(actor=request.user, project_id=project_id, household_id=household_id)
    return Status(204, None)


@router.post("/projects/{project_id}/stage", response=ProjectDetailOut,
             summary="进入下一阶段（实施、验收、完成，带日期和 version；验收前须上传佐证材料）")
def post_stage(request: HttpRequest, project_id: Id, payload: ProjectStageIn) -> Any:
    advance_stage(actor=request.user, project_id=project_id, expected_version=payload.version, stage=payload.stage,
                  on=payload.on)
    return _detail(request, project_id)


@router.get("/projects/{project_id}/evidence", response=list[ProjectEvidenceOut], summary="验收佐证材料")
def list_evidence(request: HttpRequest, project_id: Id) -> Any:
    return evidence_of(request.user, get_project_for_user(request.user, project_id))


@router.post("/projects/{project_id}/evidence", response={201: list[ProjectEvidenceOut]},
             summary="上传验收佐证材料（multipart，字段 files，JPG、PNG 或 PDF；实施或验收阶段）")
def post_evidence(request: HttpRequest, project_id: Id, files: File[list[UploadedFile]]) -> Status[Any]:
    add_evidence(actor=request.user, project_id=project_id, files=[(f.chunks(), f.name or "") for f in files])
    return Status(201, list(evidence_of(request.user, get_project_for_user(request.user, project_id))))


@router.get("/project-fund-totals", response=ProjectFundTotalsOut,
            summary="项目资金按来源汇总（按县；选县时按乡镇，选乡镇时按村），含投向贫困村的金额和占比")
def get_fund_totals(request: HttpRequest, year: Year | None = None, region: str = "") -> dict[str, Any]:
    totals = fund_totals(request.user, year=year or working_year(), region=region_param(region))
    return {"year": totals.year, "unit": totals.unit, "rows": [_row(r) for r in totals.rows],
            "total": _row(totals.total)}
