"""API of 倒排整顿: weights, 民主评议 scores, the ranking (computed or stored), rounds (propose, adjust,
confirm) and cases (plan, progress with evidence, submit, sign-offs); the pages' scope and rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Year
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.core.params import region_param

from ..imports.rectification import SCORE_RANGE
from ..models.rectification import CaseProgress, DemocraticScore, RankingRound, RectificationCase
from ..rules.rectification import DEFAULT_COUNT, MISSING_RULE, TIE_RULE, Weight
from ..selectors.rectification import (
    cases_for,
    compute_ranking,
    democratic_scores_for,
    get_case_for_user,
    get_round_for_user,
    picks_of,
    progress_of,
    round_counts,
    rounds_for,
    weight_rows,
)
from ..services.rectification import (
    add_evidence,
    add_progress,
    adjust_pick,
    confirm_round,
    propose_round,
    review_case,
    set_democratic_score,
    set_weights,
    submit_case,
    update_case,
)

router = Router(tags=["组织在村建强：倒排整顿"])
BASE = "/rectification"


class WeightOut(Schema):
    code: str
    title: str
    weight: Decimal
    enabled: bool
    default_weight: Decimal
    available: bool
    description: str


class WeightIn(Schema):
    code: str
    weight: Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]
    enabled: bool = True


class ScoreOut(Schema):
    year: int
    village_code: str = Field(alias="village_id")
    village_name: str
    score: Decimal

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)


class ScoreIn(Schema):
    year: Year
    village_code: str
    score: Annotated[Decimal, SCORE_RANGE]


class RankingRowOut(Schema):
    rank: int
    village: str
    name: str
    score: str
    proposed: bool
    values: dict[str, str | None]


class RankingOut(Schema):
    year: int
    region: str | None
    count: int
    villages: int
    weights: dict[str, str]
    skipped: list[str]
    indicators: list[dict[str, str]]
    rows: list[RankingRowOut]
    tie_rule: str = TIE_RULE
    missing_rule: str = MISSING_RULE


class RoundOut(Schema):
    id: int
    year: int
    region_code: str = Field(alias="region_id")
    region_name: str
    count: int
    status: str
    status_label: str
    weights: dict[str, str]
    created_at: dt.datetime
    confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return str(obj.region.name)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class RoundDetailOut(RoundOut):
    counts: dict[str, int]


class RoundIn(Schema):
    year: Year
    region_code: str
    count: Annotated[int, Field(ge=1, le=100000)] = DEFAULT_COUNT


class RankingPickOut(Schema):
    rank: int
    village_code: str = Field(alias="village_id")
    village_name: str
    score: Decimal
    values: dict[str, str | None]
    proposed: bool
    selected: bool
    change_reason: str

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)


class AdjustIn(Schema):
    village_code: str
    selected: bool
    reason: str


class ConfirmOut(Schema):
    cases_created: int


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int


class ProgressOut(Schema):
    id: int
    reported_on: dt.date
    narrative: str
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.all())


class CaseOut(Schema):
    id: int
    year: int
    village_code: str = Field(alias="village_id")
    village_name: str
    organisation_id: int | None
    problems: str
    plan: str
    measures: str
    leader_id: int | None
    leader_name: str | None
    deadline: dt.date | None
    status: str
    status_label: str
    township_state: str
    township_note: str
    county_state: str
    county_note: str
    transformed_on: dt.date | None
    version: int

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)

    @staticmethod
    def resolve_leader_name(obj: Any) -> str | None:
        return obj.leader.name if obj.leader_id else None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class CaseDetailOut(CaseOut):
    progress: list[ProgressOut]


class CaseIn(Schema):
    problems: str = ""
    plan: str = ""
    measures: str = ""
    leader_id: Id | None = None
    deadline: dt.date | None = None
    version: int | None = None


class ProgressIn(Schema):
    reported_on: dt.date
    narrative: str


class CaseReviewIn(Schema):
    level: str
    decision: str
    note: str = ""


@router.get(f"{BASE}/weights", response=list[WeightOut], summary="年度倒排指标与权重")
def list_weights(request: HttpRequest, year: Year) -> list[dict[str, Any]]:
    return weight_rows(year)


@router.put(f"{BASE}/weights", response=list[WeightOut], summary="设置年度倒排指标权重（未列出的指标保持不变）")
def put_weights(request: HttpRequest, year: Year, payload: list[WeightIn]) -> list[dict[str, Any]]:
    current = {r["code"]: Weight(r["code"], r["weight"], r["enabled"]) for r in weight_rows(year)}
    for w in payload:
        if w.code not in current:
            raise DomainError(f"没有名为“{w.code}”的排名指标", field="code")
        current[w.code] = Weight(w.code, w.weight, w.enabled)
    set_weights(actor=request.user, year=year, weights=list(current.values()))
    return weight_rows(year)


@router.get(f"{BASE}/democratic-scores", response=Page[ScoreOut], summary="民主评议得分")
def list_scores(request: HttpRequest, year: Year, region: str = "", q: str = "", page: PageNumber = 1,
                page_size: PageSize = 20) -> dict[str, Any]:
    return paged(democratic_scores_for(request.user, year=year, region=region_param(region), q=q),
                 page=page, page_size=page_size)


@router.post(f"{BASE}/democratic-scores", response={201: ScoreOut}, summary="录入民主评议得分（已有则修改）")
def post_score(request: HttpRequest, payload: ScoreIn) -> Status[DemocraticScore]:
    row = set_democratic_score(actor=request.user, year=payload.year, village_code=payload.village_code,
                               score=payload.score)
    return Status(201, democratic_scores_for(request.user, year=row.year).get(pk=row.pk))


@router.get(f"{BASE}/proposal", response=RankingOut, summary="计算倒排（不保存；与 wuzaicun rectification propose --json 相同）")
def proposal(request: HttpRequest, year: Year, region: str = "", count: Annotated[int, Field(ge=1, le=100000)] = DEFAULT_COUNT,
             all: bool = False) -> dict[str, Any]:
    ranking = compute_ranking(request.user, year=year, region=region_param(region), count=count)
    return ranking.as_json(limit=None if all else count)


@router.get(f"{BASE}/rounds", response=Page[RoundOut], summary="倒排名单")
def list_rounds(request: HttpRequest, year: Year | None = None, page: PageNumber = 1,
                page_size: PageSize = 20) -> dict[str, Any]:
    return paged(rounds_for(request.user, year=year).order_by("-year", "region_id"), page=page, page_size=page_size)


@router.post(f"{BASE}/rounds", response={201: RoundDetailOut}, summary="提出倒排名单（未确认的名单重新提出）")
def post_round(request: HttpRequest, payload: RoundIn) -> Status[Any]:
    region = region_param(payload.region_code)
    if region is None:
        raise DomainError("请填写排名范围的区划代码", field="region_code")
    round_ = propose_round(actor=request.user, year=payload.year, region_code=region, count=payload.count)
    return Status(201, _round_detail(request, round_.pk))


def _round_detail(request: HttpRequest, pk: int) -> RankingRound:
    round_ = get_round_for_user(request.user, pk)
    round_.counts = round_counts(request.user, round_)  # type: ignore[attr-defined]
    return round_


@router.get(f"{BASE}/rounds/{{round_id}}", response=RoundDetailOut, summary="倒排名单详情")
def get_round(request: HttpRequest, round_id: Id) -> RankingRound:
    return _round_detail(request, round_id)


@router.get(f"{BASE}/rounds/{{round_id}}/picks", response=Page[RankingPickOut], summary="倒排名次（每个村的各项指标值）")
def list_picks(request: HttpRequest, round_id: Id, only: str = "", q: str = "", region: str = "",
               page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    round_ = get_round_for_user(request.user, round_id)
    return paged(picks_of(request.user, round_, only=only, q=q, region=region_param(region)), page=page,
                 page_size=page_size)


@router.post(f"{BASE}/rounds/{{round_id}}/adjust", response=RankingPickOut, summary="调整整顿名单（列入或移出，须填写理由）")
def post_adjust(request: HttpRequest, round_id: Id, payload: AdjustIn) -> Any:
    return adjust_pick(actor=request.user, round_id=round_id, village_code=payload.village_code,
                       selected=payload.selected, reason=payload.reason)


@router.post(f"{BASE}/rounds/{{round_id}}/confirm", response=ConfirmOut, summary="确认倒排名单，建立整顿案例")
def post_confirm(request: HttpRequest, round_id: Id) -> dict[str, int]:
    return {"cases_created": confirm_round(actor=request.user, round_id=round_id)}


@router.get(f"{BASE}/cases", response=Page[CaseOut], summary="整顿案例")
def list_cases(request: HttpRequest, year: Year | None = None, region: str = "", status: str = "", q: str = "",
               overdue: bool = False, page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(cases_for(request.user, year=year, region=region_param(region), status=status, q=q, overdue=overdue),
                 page=page, page_size=page_size)


def _case_detail(request: HttpRequest, pk: int) -> RectificationCase:
    case = get_case_for_user(request.user, pk)
    case.progress_rows = progress_of(request.user, case)  # type: ignore[attr-defined]
    return case


class _CaseDetail(CaseDetailOut):
    @staticmethod
    def resolve_progress(obj: Any) -> list[Any]:
        return list(obj.progress_rows)


@router.get(f"{BASE}/cases/{{case_id}}", response=_CaseDetail, summary="整顿案例详情（含进展与佐证材料）")
def get_case(request: HttpRequest, case_id: Id) -> RectificationCase:
    return _case_detail(request, case_id)


@router.patch(f"{BASE}/cases/{{case_id}}", response=_CaseDetail, summary="修改整顿案例（问题、方案、措施、责任县领导、时限）")
def patch_case(request: HttpRequest, case_id: Id, payload: CaseIn) -> RectificationCase:
    update_case(actor=request.user, case_id=case_id, **payload.dict())
    return _case_detail(request, case_id)


@router.post(f"{BASE}/cases/{{case_id}}/progress", response={201: ProgressOut}, summary="录入整顿进展")
def post_progress(request: HttpRequest, case_id: Id, payload: ProgressIn) -> Status[CaseProgress]:
    progress = add_progress(actor=request.user, case_id=case_id, reported_on=payload.reported_on,
                            narrative=payload.narrative)
    return Status(201, progress)


@router.post(f"{BASE}/cases/{{case_id}}/progress/{{progress_id}}/evidence", response={201: ProgressOut},
             summary="上传整顿进展的佐证材料（multipart，字段 files，JPG、PNG 或 PDF）")
def post_evidence(request: HttpRequest, case_id: Id, progress_id: Id,
                  files: File[list[UploadedFile]]) -> Status[Any]:
    add_evidence(actor=request.user, case_id=case_id, progress_id=progress_id,
                 files=[(f.chunks(), f.name or "") for f in files])
    case = get_case_for_user(request.user, case_id)
    found = next((p for p in progress_of(request.user, case) if p.pk == progress_id), None)
    if found is None:
        raise NotFound()
    return Status(201, found)


@router.post(f"{BASE}/cases/{{case_id}}/submit", response=_CaseDetail, summary="提交验收（被退回后可重新提交）")
def post_submit(request: HttpRequest, case_id: Id) -> RectificationCase:
    submit_case(actor=request.user, case_id=case_id)
    return _case_detail(request, case_id)


@router.post(f"{BASE}/cases/{{case_id}}/review", response=_CaseDetail,
             summary="验收：level 为 township（乡镇）或 county（县级），decision 为 approved / problem / returned")
def post_review(request: HttpRequest, case_id: Id, payload: CaseReviewIn) -> RectificationCase:
    review_case(actor=request.user, case_id=case_id, level=payload.level, decision=payload.decision, note=payload.note)
    return _case_detail(request, case_id)
