"""Reads of 六定一化考核: the year's indicator set and policy per role, who is assessed in scope, every assessed
cadre's indicator scores (one query per indicator whatever the number of cadres), the stored grades and the
outcomes. Scoped data is read through `scoped()`; the indicator set and the policy are configuration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped
from wuzaicun.core.indicators import Source, person_indicator
from wuzaicun.regions.models import Level
from wuzaicun.registry.models import Person

from ..models.dispatch import Dispatch
from ..models.grading import (
    CadreGrade,
    CadreIndicator,
    CadreOutcome,
    CadreRole,
    CadreScore,
    GradePolicy,
    GradeStatus,
)
from ..rules.grading import DEMOCRATIC, Policy, default_set

VILLAGE_CADRE = "村干部"
SECRETARY_POSTS = ("村党支部书记", "社区党支部书记", "村党总支书记", "社区党总支书记")


def role_label(role: str) -> str:
    return str(CadreRole(role).label) if role in CadreRole.values else role


# --- configuration ------------------------------------------------------------------------------------

def indicator_set(year: int, role: str) -> list[CadreIndicator]:
    """The year's stored set for the role (services.ensure_indicator_set creates the defaults on first use)."""
    return list(CadreIndicator.objects_unscoped.filter(year=year, role=role).order_by("id"))


def default_rows(role: str) -> list[CadreIndicator]:
    """The defaults, unsaved, for a year nobody has graded yet (what the first use will create)."""
    return [CadreIndicator(role=role, code=s.code, title=s.title, dimension=s.dimension, weight=s.weight,
                           provider=s.provider) for s in default_set(role)]


def policy_of(year: int, role: str) -> Policy:
    row = GradePolicy.objects_unscoped.filter(year=year, role=role).first()
    if row is None:
        return Policy()
    return Policy(excellent=row.excellent, good=row.good, passing=row.passing, excellent_quota=row.excellent_quota,
                  good_quota=row.good_quota, veto=row.veto)


def available(row: CadreIndicator) -> bool:
    """An entered indicator always; a computed one when the app that owns its data registered it."""
    return not row.provider or person_indicator(row.provider) is not None


# --- who is assessed ----------------------------------------------------------------------------------

def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def assessed(user: Any, *, year: int, role: str, region: str | None,
             person_ids: Sequence[int] | None = None) -> dict[int, str]:
    """{person: village} of the cadres assessed for the year and role in the user's scope, narrowed to `region`:
    第一书记 / 驻村干部 — a dispatch of that kind active during the year (several → the latest, its village);
    村党组织书记 — people of rank 村干部 whose post is the village's 党支部 / 党总支 书记. One query."""
    first, last = year_span(year)
    if role in (CadreRole.FIRST_SECRETARY, CadreRole.RESIDENT):
        rows = (narrowed(scoped(Dispatch, user), region).filter(kind=role, start__lte=last)
                .filter(Q(end__isnull=True) | Q(end__gte=first)))
        if person_ids is not None:
            rows = rows.filter(person_id__in=list(person_ids))
        out: dict[int, str] = {}
        for person, village in rows.order_by("person_id", "start", "pk").values_list("person_id", "village_id"):
            out[person] = village  # the latest dispatch wins
        return out
    people = narrowed(scoped(Person, user), region).filter(rank=VILLAGE_CADRE, post__in=SECRETARY_POSTS,
                                                           region__level=Level.VILLAGE)
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    return dict(people.values_list("pk", "region_id"))


# --- scores -------------------------------------------------------------------------------------------

@dataclass
class Scores:
    """Every assessed cadre's score on each indicator used (None = no data), and the indicators skipped."""

    year: int
    role: str
    indicators: list[CadreIndicator]  # used: weight > 0 and available
    skipped: list[CadreIndicator]  # computed but no app registered its provider
    values: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)


def indicator_scores(user: Any, *, year: int, role: str, people: Sequence[int],
                     rows: Sequence[CadreIndicator]) -> Scores:
    """One query (or the provider's few) per computed indicator and one for all entered ones, for all people."""
    used = [r for r in rows if r.weight > 0 and available(r)]
    skipped = [r for r in rows if r.weight > 0 and not available(r)]
    columns: dict[str, dict[int, Decimal | None]] = {}
    entered = [r for r in used if not r.provider]
    if entered and people:
        from ..indicators.grading import entered_scores

        found = entered_scores([r.pk for r in entered], people)
        for r in entered:
            columns[r.code] = found.get(r.pk, {})
    for r in used:
        if r.provider:
            provider = person_indicator(r.provider)
            assert provider is not None
            columns[r.code] = provider.compute(year, list(people)) if people else {}
    # providers answer to the cent (share(), quantized means, DECIMAL(5,2) entries): no second pass over 400,000 values
    values = {pk: {r.code: columns[r.code].get(pk) for r in used} for pk in people}
    return Scores(year=year, role=role, indicators=used, skipped=skipped, values=values)


def democratic_of(values: dict[str, Decimal | None]) -> Decimal | None:
    return values.get(DEMOCRATIC)


# --- stored grades ------------------------------------------------------------------------------------

def grades_for(user: Any, *, year: int, role: str = "", region: str | None = None, grade: str = "",
               missing: bool = False, status: str = "", q: str = "") -> QuerySet[CadreGrade]:
    rows = narrowed(scoped(CadreGrade, user), region).filter(year=year).select_related("person", "region")
    if role in CadreRole.values:
        rows = rows.filter(role=role)
    if grade in ("优", "良", "中", "差"):
        rows = rows.filter(grade=grade)
    if missing:
        rows = rows.filter(total__isnull=True)
    if status in GradeStatus.values:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(person__name__icontains=q)
    return rows.order_by("role", "rank", "person_id")


def grade_counts(user: Any, *, year: int, role: str, region: str | None) -> dict[str, int]:
    from django.db.models import Count

    rows = narrowed(scoped(CadreGrade, user), region).filter(year=year, role=role)
    found = rows.aggregate(
        n_total=Count("id"), n_missing=Count("id", filter=Q(total__isnull=True)),
        n_draft=Count("id", filter=Q(status=GradeStatus.DRAFT)),
        n_confirmed=Count("id", filter=Q(status=GradeStatus.CONFIRMED)),
        n_locked=Count("id", filter=Q(status=GradeStatus.LOCKED)),
        n_excellent=Count("id", filter=Q(grade="优")), n_good=Count("id", filter=Q(grade="良")),
        n_fair=Count("id", filter=Q(grade="中")), n_poor=Count("id", filter=Q(grade="差")))
    return {k.removeprefix("n_"): int(v or 0) for k, v in found.items()}


def get_grade_for_user(user: Any, pk: int) -> CadreGrade:
    return get_for_user(scoped(CadreGrade, user).select_related("person", "region", "region__parent",
                                                                "region__parent__parent", "confirmed_by"), user, pk=pk)


@dataclass
class DetailRow:
    code: str
    title: str
    dimension: str
    weight: str
    score: str | None
    entered: bool
    description: str
    sources: list[Source]


def detail_rows(user: Any, grade: CadreGrade) -> list[DetailRow]:
    """Each indicator of the grade with its weight (as used), its score and the records behind it."""
    weights: dict[str, str] = grade.basis.get("weights", {}) if isinstance(grade.basis, dict) else {}
    out = []
    for row in indicator_set(grade.year, grade.role):
        if row.code not in weights and row.code not in grade.missing:
            continue
        provider = person_indicator(row.provider) if row.provider else None
        sources = provider.sources(user, grade.year, grade.person_id) if provider else []
        out.append(DetailRow(code=row.code, title=row.title, dimension=row.get_dimension_display(),
                             weight=weights.get(row.code, str(row.weight)), score=grade.scores.get(row.code),
                             entered=not row.provider,
                             description=provider.description if provider else "页面录入或按“干部考核得分”模板导入",
                             sources=sources))
    return out


def entered_scores_of(user: Any, grade: CadreGrade) -> dict[str, CadreScore]:
    rows = scoped(CadreScore, user).filter(indicator__year=grade.year, indicator__role=grade.role,
                                           person_id=grade.person_id).select_related("indicator", "entered_by")
    return {s.indicator.code: s for s in rows}


def scores_for(user: Any, *, year: int, role: str = "", region: str | None = None, q: str = "") -> QuerySet[CadreScore]:
    rows = scoped(CadreScore, user).filter(indicator__year=year).select_related("indicator", "person", "person__region")
    if role in CadreRole.values:
        rows = rows.filter(indicator__role=role)
    if region:
        rows = narrowed(rows, region)
    if q:
        rows = rows.filter(person__name__icontains=q)
    return rows.order_by("indicator__role", "person_id", "indicator_id")


# --- outcomes -----------------------------------------------------------------------------------------

def outcomes_for(user: Any, *, year: int | None = None, region: str | None = None, kind: str = "", state: str = "",
                 q: str = "") -> QuerySet[CadreOutcome]:
    rows = narrowed(scoped(CadreOutcome, user), region).select_related(
        "grade", "grade__person", "grade__region", "proposed_by", "decided_by")
    if year is not None:
        rows = rows.filter(grade__year=year)
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    if q:
        rows = rows.filter(grade__person__name__icontains=q)
    return rows.order_by("-proposed_at", "-pk")


def get_outcome_for_user(user: Any, pk: int) -> CadreOutcome:
    return get_for_user(scoped(CadreOutcome, user).select_related("grade", "grade__person", "proposed_by"), user, pk=pk)


def outcomes_of(user: Any, grade: CadreGrade) -> list[CadreOutcome]:
    return list(scoped(CadreOutcome, user).filter(grade=grade).select_related("proposed_by", "decided_by")
                .order_by("proposed_at", "pk"))


def grade_summary(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """The year's 六定一化 grades in scope, all roles together: graded and by grade (one query)."""
    from django.db.models import Count

    found = narrowed(scoped(CadreGrade, user), region).filter(year=year).aggregate(
        graded=Count("id", filter=~Q(grade="")), excellent=Count("id", filter=Q(grade="优")),
        good=Count("id", filter=Q(grade="良")), fair=Count("id", filter=Q(grade="中")),
        poor=Count("id", filter=Q(grade="差")))
    return {key: int(value or 0) for key, value in found.items()}


def outcome_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """The year's approved outcomes in scope by kind (one query): 推荐进入乡镇领导班子, 享受副科级待遇, and 问责
    or 组织处理 together (the seed counts them as one figure)."""
    from django.db.models import Count

    from wuzaicun.core.review import ReviewState

    from ..models.grading import OutcomeKind

    found = narrowed(scoped(CadreOutcome, user), region).filter(grade__year=year, state=ReviewState.APPROVED).aggregate(
        promotions=Count("id", filter=Q(kind=OutcomeKind.PROMOTION)),
        treatments=Count("id", filter=Q(kind=OutcomeKind.TREATMENT)),
        accountability=Count("id", filter=Q(kind__in=(OutcomeKind.ACCOUNTABILITY, OutcomeKind.ORG_HANDLING))))
    return {key: int(value or 0) for key, value in found.items()}
