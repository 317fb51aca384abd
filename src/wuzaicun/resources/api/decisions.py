"""API of 资金使用决策: decisions (list, create, get, withdraw), the next step, minutes, payments; the pages'
scope and rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Version, Year
from wuzaicun.core.params import region_param
from wuzaicun.responsibility.selectors import working_year

from ..models.decisions import DecisionFlow
from ..selectors.decisions import decisions_for, get_decision_for_user, payments_of, steps_of
from ..services.decisions import (
    AMOUNT_RANGE,
    PAYMENT_RANGE,
    StepInput,
    add_minutes,
    add_payment,
    create_decision,
    delete_decision,
    record_step,
)

router = Router(tags=["资金使用决策"])
Headcount = Annotated[int, Field(ge=0, le=1_000_000)]
Days = Annotated[int, Field(ge=0, le=366)]


class DecisionMinutesOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int


class DecisionStepOut(Schema):
    step: str
    step_label: str
    held_on: dt.date
    meeting_kind: str
    eligible: int | None
    present: int | None
    households_represented: int | None
    households_total: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    publicity_days: int | None
    note: str
    minutes: list[DecisionMinutesOut]

    @staticmethod
    def resolve_minutes(obj: Any) -> list[Any]:
        return list(obj.minutes.all())


class FundDecisionOut(Schema):
    id: int
    village_code: str
    village_name: str
    year: int
    title: str
    fund_kind: str
    fund_kind_label: str
    amount: Decimal
    paid: Decimal
    flow: str
    flow_label: str
    step: str
    step_label: str
    status: str
    status_label: str
    version: int

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.village_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)

    @staticmethod
    def resolve_fund_kind_label(obj: Any) -> str:
        return str(obj.get_fund_kind_display())

    @staticmethod
    def resolve_flow_label(obj: Any) -> str:
        return str(obj.get_flow_display())

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_paid(obj: Any) -> Decimal:
        return Decimal(getattr(obj, "paid", 0) or 0)


class FundDecisionDetailOut(FundDecisionOut):
    steps: list[DecisionStepOut]

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return list(getattr(obj, "step_rows", []))


class FundDecisionIn(Schema):
    village_code: str
    title: str
    fund_kind: str
    amount: Annotated[Decimal, AMOUNT_RANGE]
    flow: str = DecisionFlow.FOUR_TWO
    proposed_on: dt.date
    note: str = ""


class DecisionStepIn(Schema):
    step: str
    held_on: dt.date
    version: Version | None = None
    meeting_kind: str = ""
    eligible: Headcount | None = None
    present: Headcount | None = None
    households_represented: Headcount | None = None
    households_total: Headcount | None = None
    votes_for: Headcount | None = None
    votes_against: Headcount | None = None
    votes_abstain: Headcount | None = None
    publicity_days: Days | None = None
    note: str = ""


class DecisionPaymentOut(Schema):
    id: int
    paid_on: dt.date
    amount: Decimal
    payee: str


class DecisionPaymentIn(Schema):
    paid_on: dt.date
    amount: Annotated[Decimal, PAYMENT_RANGE]
    payee: str


def _detail(request: HttpRequest, decision_id: int) -> Any:
    found = get_decision_for_user(request.user, decision_id)
    decision = decisions_for(request.user, year=found.year).get(pk=decision_id)
    decision.step_rows = steps_of(request.user, decision)  # type: ignore[attr-defined]
    return decision


@router.get("/decisions", response=Page[FundDecisionOut],
            summary="资金使用决策（`status=in_progress|rejected|done`，`flow=four_two|direct`，`fund_kind=leftover|donation`）")
def list_decisions(request: HttpRequest, year: Year | None = None, region: str = "", q: str = "", status: str = "",
                   flow: str = "", fund_kind: str = "", step: str = "", page: PageNumber = 1,
                   page_size: PageSize = 20) -> dict[str, Any]:
    return paged(decisions_for(request.user, year=year or working_year(), region=region_param(region), q=q,
                               status=status, flow=flow, fund_kind=fund_kind, step=step), page=page, page_size=page_size)


@router.post("/decisions", response={201: FundDecisionDetailOut}, summary="村党组织提议（新建资金使用决策）")
def create(request: HttpRequest, payload: FundDecisionIn) -> Status[Any]:
    decision = create_decision(actor=request.user, year=payload.proposed_on.year, **payload.dict())
    return Status(201, _detail(request, decision.pk))


@router.get("/decisions/{decision_id}", response=FundDecisionDetailOut, summary="资金使用决策（含各环节）")
def get_decision(request: HttpRequest, decision_id: Id) -> Any:
    return _detail(request, decision_id)


@router.delete("/decisions/{decision_id}", response={204: None}, summary="撤销提议（仅限提议阶段）")
def remove_decision(request: HttpRequest, decision_id: Id) -> Status[None]:
    delete_decision(actor=request.user, decision_id=decision_id)
    return Status(204, None)


@router.post("/decisions/{decision_id}/steps", response={201: FundDecisionDetailOut},
             summary="记录下一环节（须按顺序；法定人数不足被拒绝，表决未过半数则决策未通过）")
def post_step(request: HttpRequest, decision_id: Id, payload: DecisionStepIn) -> Status[Any]:
    data = payload.dict()
    step, version = data.pop("step"), data.pop("version")
    record_step(actor=request.user, decision_id=decision_id, step=step, data=StepInput(**data), version=version)
    return Status(201, _detail(request, decision_id))


@router.post("/decisions/{decision_id}/steps/{step}/minutes", response={201: FundDecisionDetailOut},
             summary="上传某环节的会议记录（multipart，字段 files，JPG、PNG 或 PDF）")
def post_minutes(request: HttpRequest, decision_id: Id, step: str,
                 files: File[list[UploadedFile]]) -> Status[Any]:
    add_minutes(actor=request.user, decision_id=decision_id, step=step,
                files=[(f.chunks(), f.name or "") for f in files])
    return Status(201, _detail(request, decision_id))


@router.get("/decisions/{decision_id}/payments", response=list[DecisionPaymentOut], summary="资金支付")
def list_payments(request: HttpRequest, decision_id: Id) -> Any:
    return payments_of(request.user, get_decision_for_user(request.user, decision_id))


@router.post("/decisions/{decision_id}/payments", response={201: DecisionPaymentOut},
             summary="登记支付（决议公开满规定天数后，累计不超过决策金额）")
def post_payment(request: HttpRequest, decision_id: Id, payload: DecisionPaymentIn) -> Status[Any]:
    return Status(201, add_payment(actor=request.user, decision_id=decision_id, **payload.dict()))
