"""API of 六定一化考核: the year's indicator set and grade policy per role, entered scores, grading (compute,
confirm, unconfirm, lock), a grade with its indicators and sources, and outcomes (propose, decide); the pages'
scope, rules and services."""

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

from ..imports.grading import SCORE_RANGE
from ..rules.grading import MISSING_RULE, QUOTA_RULE, TIE_RULE, VETO_RULE, Policy
from ..selectors.grading import (
    available,
    default_rows,
    detail_rows,
    get_grade_for_user,
    grade_counts,
    grades_for,
    indicator_set,
    outcomes_for,
    policy_of,
    role_label,
    scores_for,
)
from ..services.grading import (
    checked_role,
    confirm_grades,
    decide_outcome,
    enter_score,
    grade_cadres,
    lock_grades,
    propose_outcome,
    set_policy,
    set_weights,
    unconfirm_grades,
)

router = Router(tags=["干部在村成长：六定一化考核"])
BASE = "/grading"
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2, max_digits=5)]


class IndicatorOut(Schema):
    code: str
    title: str
    dimension: str
    dimension_label: str
    weight: Decimal
    computed: bool
    available: bool


class PolicyOut(Schema):
    excellent: Decimal
    good: Decimal
    passing: Decimal
    excellent_quota: Decimal
    good_quota: Decimal | None
    veto: Decimal | None


class ConfigOut(Schema):
    year: int
    role: str
    role_label: str
    indicators: list[IndicatorOut]
    policy: PolicyOut
    tie_rule: str = TIE_RULE
    quota_rule: str = QUOTA_RULE
    missing_rule: str = MISSING_RULE
    veto_rule: str = VETO_RULE


class WeightsIn(Schema):
    weights: dict[str, Percent]


class PolicyIn(Schema):
    excellent: Percent
    good: Percent
    passing: Percent
    excellent_quota: Percent
    good_quota: Percent | None = None
    veto: Percent | None = None


class CadreScoreIn(Schema):
    year: Year
    role: str
    person_id: Id
    indicator: str
    score: Annotated[Decimal, SCORE_RANGE]


class CadreScoreOut(Schema):
    id: int
    year: int
    role: str
    person_id: int
    person_name: str
    indicator: str
    indicator_title: str
    score: Decimal

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return int(obj.indicator.year)

    @staticmethod
    def resolve_role(obj: Any) -> str:
        return str(obj.indicator.role)

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person.name)

    @staticmethod
    def resolve_indicator(obj: Any) -> str:
        return str(obj.indicator.code)

    @staticmethod
    def resolve_indicator_title(obj: Any) -> str:
        return str(obj.indicator.title)


class RunIn(Schema):
    year: Year
    role: str
    region: str = ""


class RunOut(Schema):
    year: int
    role: str
    role_label: str
    region: str
    graded: int
    kept: int
    missing: int
    counts: dict[str, int]
    skipped: list[str]


class CountOut(Schema):
    count: int


class GradeOut(Schema):
    id: int
    year: int
    role: str
    person_id: int
    person_name: str
    village_code: str = Field(alias="region_id")
    village_name: str
    scores: dict[str, str]
    missing: list[str]
    total: Decimal | None
    rank: int | None
    grade: str
    status: str
    status_label: str
    computed_at: dt.datetime
    confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person.name)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.region.name)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class SourceOut(Schema):
    label: str
    text: str
    outcome: str
    url: str


class DetailRowOut(Schema):
    code: str
    title: str
    dimension: str
    weight: str
    score: str | None
    entered: bool
    description: str
    sources: list[SourceOut]


class GradeDetailOut(GradeOut):
    indicators: list[DetailRowOut]
    how: list[str]

    @staticmethod
    def resolve_indicators(obj: Any, context: Any) -> list[Any]:
        return detail_rows(context["request"].user, obj)  # the sources the caller may see

    @staticmethod
    def resolve_how(obj: Any) -> list[str]:
        return list(obj.basis.get("how", [])) if isinstance(obj.basis, dict) else []


class OutcomeIn(Schema):
    kind: str
    reason: str


class DecisionIn(Schema):
    decision: str
    note: str = ""


class OutcomeOut(Schema):
    id: int
    grade_id: int
    person_name: str
    year: int
    grade: str
    kind: str
    kind_label: str
    reason: str
    state: str
    state_label: str
    proposed_at: dt.datetime
    decided_at: dt.datetime | None
    note: str

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.grade.person.name)

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return int(obj.grade.year)

    @staticmethod
    def resolve_grade(obj: Any) -> str:
        return str(obj.grade.grade)

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())


def _config(year: int, role: str) -> dict[str, Any]:
    rows = indicator_set(year, role) or default_rows(role)
    p = policy_of(year, role)
    return {"year": year, "role": role, "role_label": role_label(role), "policy": p.__dict__,
            "indicators": [{"code": r.code, "title": r.title, "dimension": r.dimension,
                            "dimension_label": r.get_dimension_display(), "weight": r.weight,
                            "computed": bool(r.provider), "available": available(r)} for r in rows]}


@router.get(f"{BASE}/config", response=ConfigOut, summary="年度考核指标、权重与等次规则")
def get_config(request: HttpRequest, year: Year, role: str) -> dict[str, Any]:
    return _config(year, checked_role(role))


@router.put(f"{BASE}/weights", response=ConfigOut, summary="设置年度考核指标权重（须列出全部指标，合计 100）")
def put_weights(request: HttpRequest, year: Year, role: str, payload: WeightsIn) -> dict[str, Any]:
    set_weights(actor=request.user, year=year, role=checked_role(role), weights=payload.weights)
    return _config(year, role)


@router.put(f"{BASE}/policy", response=ConfigOut, summary="设置年度等次规则（优秀线、良好线、合格线、比例上限）")
def put_policy(request: HttpRequest, year: Year, role: str, payload: PolicyIn) -> dict[str, Any]:
    set_policy(actor=request.user, year=year, role=checked_role(role), policy=Policy(**payload.dict()))
    return _config(year, role)


@router.get(f"{BASE}/scores", response=Page[CadreScoreOut], summary="录入的考核得分")
def list_scores(request: HttpRequest, year: Year, role: str = "", region: str = "", q: str = "",
                page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(scores_for(request.user, year=year, role=role, region=region_param(region), q=q),
                 page=page, page_size=page_size)


@router.post(f"{BASE}/scores", response={201: CadreScoreOut}, summary="录入一名干部一项录入类指标的得分")
def post_score(request: HttpRequest, payload: CadreScoreIn) -> Status[Any]:
    saved = enter_score(actor=request.user, year=payload.year, role=checked_role(payload.role), person_id=payload.person_id,
                        code=payload.indicator, score=payload.score)
    return Status(201, scores_for(request.user, year=payload.year).filter(pk=saved.pk).first() or saved)


@router.get(f"{BASE}/grades", response=Page[GradeOut], summary="考核等次（年度、考核对象、区划、等次、缺数据）")
def list_grades(request: HttpRequest, year: Year, role: str = "", region: str = "", grade: str = "",
                missing: bool = False, status: str = "", q: str = "", page: PageNumber = 1,
                page_size: PageSize = 20) -> dict[str, Any]:
    return paged(grades_for(request.user, year=year, role=role, region=region_param(region), grade=grade,
                            missing=missing, status=status, q=q), page=page, page_size=page_size)


@router.get(f"{BASE}/grades/counts", response=dict[str, int], summary="各等次人数")
def get_counts(request: HttpRequest, year: Year, role: str, region: str = "") -> dict[str, int]:
    return grade_counts(request.user, year=year, role=checked_role(role), region=region_param(region))


@router.get(f"{BASE}/grades/{{grade_id}}", response=GradeDetailOut, summary="一名干部的考核：各项得分及其来源")
def get_grade(request: HttpRequest, grade_id: Id) -> Any:
    return get_grade_for_user(request.user, grade_id)


@router.post(f"{BASE}/compute", response=RunOut, summary="计算等次（待确认的重新计算，已确认的不变）")
def post_compute(request: HttpRequest, payload: RunIn) -> dict[str, Any]:
    run = grade_cadres(actor=request.user, year=payload.year, role=checked_role(payload.role),
                       region=region_param(payload.region))
    return run.as_json()


@router.post(f"{BASE}/confirm", response=CountOut, summary="确认等次")
def post_confirm(request: HttpRequest, payload: RunIn) -> dict[str, int]:
    return {"count": confirm_grades(actor=request.user, year=payload.year, role=checked_role(payload.role),
                                    region=region_param(payload.region))}


@router.post(f"{BASE}/unconfirm", response=CountOut, summary="撤销确认")
def post_unconfirm(request: HttpRequest, payload: RunIn) -> dict[str, int]:
    return {"count": unconfirm_grades(actor=request.user, year=payload.year, role=checked_role(payload.role),
                                      region=region_param(payload.region))}


@router.post(f"{BASE}/lock", response=CountOut, summary="锁定等次（县级或以上）")
def post_lock(request: HttpRequest, payload: RunIn) -> dict[str, int]:
    return {"count": lock_grades(actor=request.user, year=payload.year, role=checked_role(payload.role),
                                 region=region_param(payload.region))}


@router.get(f"{BASE}/outcomes", response=Page[OutcomeOut], summary="考核结果运用")
def list_outcomes(request: HttpRequest, year: Year | None = None, region: str = "", kind: str = "", state: str = "",
                  q: str = "", page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(outcomes_for(request.user, year=year, region=region_param(region), kind=kind, state=state, q=q),
                 page=page, page_size=page_size)


@router.post(f"{BASE}/grades/{{grade_id}}/outcomes", response={201: OutcomeOut}, summary="提出结果运用")
def post_outcome(request: HttpRequest, grade_id: Id, payload: OutcomeIn) -> Status[Any]:
    outcome = propose_outcome(actor=request.user, grade_id=grade_id, kind=payload.kind, reason=payload.reason)
    return Status(201, outcomes_for(request.user).get(pk=outcome.pk))


@router.post(f"{BASE}/outcomes/{{outcome_id}}/decision", response=OutcomeOut, summary="审批结果运用（上一级）")
def post_decision(request: HttpRequest, outcome_id: Id, payload: DecisionIn) -> Any:
    outcome = decide_outcome(actor=request.user, outcome_id=outcome_id, decision=payload.decision, note=payload.note)
    return outcomes_for(request.user).get(pk=outcome.pk)
