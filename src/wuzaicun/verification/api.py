"""API of 成效在村检验: plans (picks only for those allowed), findings, assessment results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from wuzaicun.accounts.scope import narrowed
from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Year
from wuzaicun.core.params import region_param

from .models import Finding, SpotCheckPlan
from .selectors import get_plan_for_user, picks_for, plans_for, results_for
from .services import record_finding

router = Router(tags=["成效在村检验"])


class PlanOut(Schema):
    id: int
    year: int
    quarter: int
    region_code: str = Field(alias="region_id")
    rate: Decimal
    status: str
    seed_commitment: str
    population_hash: str
    population_size: int
    pick_count: int
    exclude_checked: bool
    drawn_at: dt.datetime
    closed_at: dt.datetime | None
    revealed_seed: str
    witness_contribution: str
    void_reason: str


class PickOut(Schema):
    id: int
    assignment_id: int
    stratum: str
    village_code: str
    kind: str

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.assignment.village_id)

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj.assignment.kind)


class PlanDetailOut(PlanOut):
    picks: list[PickOut] | None


class FindingIn(Schema):
    visited_on: dt.date
    checklist: dict[str, bool] = {}
    result: str
    notes: str
    sanction_kind: str = ""
    sanction_decision: str = ""
    sanction_task: str = ""
    sanction_deadline: dt.date | None = None


class FindingOut(Schema):
    id: int
    pick_id: int
    visited_on: dt.date
    result: str
    checklist: dict[str, bool]


class ResultOut(Schema):
    subject_code: str = Field(alias="subject_id")
    subject_name: str
    total: Decimal
    rank: int
    grade: str
    status: str
    scores: dict[str, str]

    @staticmethod
    def resolve_subject_name(obj: Any) -> str:
        return str(obj.subject.name)


@router.get("/verification/plans", response=Page[PlanOut], summary="季度抽查计划（不含名单）")
def list_plans(request: HttpRequest, page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(plans_for(request.user), page=page, page_size=page_size)


@router.get("/verification/plans/{plan_id}", response=PlanDetailOut,
            summary="抽查计划；计划结束前名单只对负责人、督查员和系统管理员返回，其余为 null")
def get_plan(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    plan: SpotCheckPlan = get_plan_for_user(request.user, plan_id)
    picks = picks_for(request.user, plan)
    data = PlanOut.from_orm(plan).dict(by_alias=False)
    return {**data, "region_id": plan.region_id, "picks": list(picks) if picks is not None else None}


@router.post("/verification/plans/{plan_id}/picks/{pick_id}/finding", response={201: FindingOut},
             summary="录入抽查结果（四不两直）")
def add_finding(request: HttpRequest, plan_id: Id, pick_id: Id, payload: FindingIn) -> Status[Finding]:
    get_plan_for_user(request.user, plan_id)
    sanction = None
    if payload.sanction_kind:
        sanction = {"kind": payload.sanction_kind, "decision": payload.sanction_decision,
                    "task": payload.sanction_task, "deadline": payload.sanction_deadline or payload.visited_on}
    finding = record_finding(actor=request.user, pick_id=pick_id, visited_on=payload.visited_on,
                             inspector_ids=[request.user.pk] if request.user.pk else [], checklist=payload.checklist, result=payload.result,
                             notes=payload.notes, sanction=sanction)
    return Status(201, finding)


@router.get("/verification/results", response=Page[ResultOut], summary="年度考核结果")
def list_results(request: HttpRequest, year: Year, region: str = "", page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    queryset = narrowed(results_for(request.user, year=year), region_param(region)).order_by("subject_id")
    return paged(queryset, page=page, page_size=page_size)
