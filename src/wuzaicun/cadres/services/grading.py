"""Writes of 六定一化考核: the year's indicator set (created on first use), its weights and the grade policy,
entered scores, grading a region's cadres (drafts recomputed, confirmed and locked rows never changed), confirming,
unconfirming and locking, and the outcomes proposed on a confirmed grade and approved one level up. Each is one
transaction with its audit rows."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, narrowed, prefix_for, require_code_in_scope, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.errors import DomainError, NotFound, OutOfOrder, PermissionDenied
from wuzaicun.core.indicators import person_lookup
from wuzaicun.core.review import ReviewState, one_level_up, resubmit_problem, review_problem
from wuzaicun.regions.codes import code_from_prefix
from wuzaicun.registry.models import Person
from wuzaicun.tabular.bulk import insert_rows

from ..models.grading import (
    CadreGrade,
    CadreIndicator,
    CadreOutcome,
    CadreRole,
    CadreScore,
    GradePolicy,
    GradeStatus,
    OutcomeKind,
)
from ..rules.grading import (
    CENT,
    Candidate,
    Policy,
    Weight,
    assign_grades,
    composite,
    default_set,
    outcome_problem,
    policy_problems,
    weight_problems,
)
from ..selectors.grading import (
    assessed,
    democratic_of,
    indicator_scores,
    indicator_set,
    policy_of,
    role_label,
)

CITY_WIDTH = 4  # the year's indicator set and policy hold for the whole city: a city (or wider) administrator sets them
COUNTY_WIDTH = 6  # locking a year's grades needs a county (or wider) scope
SCORE_LOW, SCORE_HIGH = Decimal(0), Decimal(100)
DRAFT_COLUMNS = ("year", "role", "person_id", "region_id", "scores", "missing", "basis", "total", "rank", "grade",
                 "status", "computed_at")
POLICY_LABELS = {"excellent": "优秀线", "good": "良好线", "passing": "合格线", "excellent_quota": "优秀比例上限（%）",
                 "good_quota": "良好比例上限（%）", "veto": "民主评议否决线"}



def _atomic(durable: bool) -> Any:
    return transaction.atomic(durable=durable)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None


def checked_role(role: str) -> str:
    """The role code, or a refusal naming the choices (with their codes, for scripts and the API)."""
    if role not in CadreRole.values:
        choices = "、".join(f"{label}（{value}）" for value, label in CadreRole.choices)
        raise DomainError(f"考核对象“{role[:50]}”无效，应为{choices}", field="考核对象")
    return role


def _region(actor: Any, region: str | None) -> str:
    """The region asked (in scope), else the actor's own scope (the whole database for the operator: "")."""
    if region:
        require_code_in_scope(actor, region, field="区划")
        return region
    prefix = prefix_for(actor) or ""
    return code_from_prefix(prefix) if prefix else ""


# --- the indicator set and the policy ------------------------------------------------------------------

def ensure_indicator_set(*, year: int, role: str) -> list[CadreIndicator]:
    """The year's set for the role, created from the defaults on first use (configuration, not audited: the
    defaults are documented; every change afterwards is audited)."""
    checked_role(role)
    rows = indicator_set(year, role)
    if rows:
        return rows
    CadreIndicator.objects_unscoped.bulk_create(
        [CadreIndicator(year=year, role=role, code=s.code, title=s.title, dimension=s.dimension, weight=s.weight,
                        provider=s.provider) for s in default_set(role)], ignore_conflicts=True)
    GradePolicy.objects_unscoped.get_or_create(year=year, role=role)
    return indicator_set(year, role)


def _require_city(actor: Any) -> None:
    require_perm(actor, Perm.GRADE_CADRES)
    prefix = prefix_for(actor)
    if prefix is None or len(prefix) > CITY_WIDTH:
        raise PermissionDenied("干部考核指标权重和等次规则由市级（或以上）管理员设置")


def _locked_year(year: int, role: str) -> bool:
    return CadreGrade.objects_unscoped.filter(year=year, role=role, status=GradeStatus.LOCKED).exists()


def set_weights(*, actor: Any, year: int, role: str, weights: Mapping[str, Decimal],
                durable: bool = True) -> list[CadreIndicator]:
    """The weights of the year's set for a role; every indicator of the set must be given and they sum to 100."""
    _require_city(actor)
    checked_role(role)
    with _atomic(durable):
        rows = {r.code: r for r in ensure_indicator_set(year=year, role=role)}
        unknown = [code for code in weights if code not in rows]
        if unknown:
            raise DomainError(f"没有名为“{unknown[0]}”的考核指标", field="指标")
        absent = [r.title for code, r in rows.items() if code not in weights]
        if absent:
            raise DomainError(f"缺少指标“{absent[0]}”的权重", field=absent[0])
        if problems := weight_problems([Weight(c, rows[c].title, w) for c, w in weights.items()]):
            raise DomainError("；".join(m for _, m in problems), field=problems[0][0])
        if _locked_year(year, role):
            raise OutOfOrder(f"{year}年度{role_label(role)}考核等次已锁定，不能再修改指标权重")
        changes = {}
        for code, weight in weights.items():
            row = rows[code]
            if row.weight != weight:
                changes[row.title] = [str(row.weight), str(weight)]
                row.weight = weight
                row.save(update_fields=["weight"])
        record(actor=actor, action=Action.UPDATE, object_type="cadre_indicators", object_id=f"{year}-{role}",
               region_code=getattr(actor, "scope_id", "") or "",
               summary=f"设置{year}年度{role_label(role)}考核指标权重（{len(changes)} 项变更）", changes=changes)
    return list(rows.values())


def set_policy(*, actor: Any, year: int, role: str, policy: Policy, durable: bool = True) -> GradePolicy:
    """The grade lines and quotas of a year and role (优秀线 > 良好线 > 合格线; quotas in per cent)."""
    _require_city(actor)
    checked_role(role)
    if problems := policy_problems(policy):
        raise DomainError("；".join(m for _, m in problems), field=problems[0][0])
    fields = ("excellent", "good", "passing", "excellent_quota", "good_quota", "veto")
    with _atomic(durable):
        if _locked_year(year, role):
            raise OutOfOrder(f"{year}年度{role_label(role)}考核等次已锁定，不能再修改等次规则")
        row, _ = GradePolicy.objects_unscoped.select_for_update().get_or_create(year=year, role=role)
        old = {f: _text(getattr(row, f)) for f in fields}
        for f in fields:
            setattr(row, f, getattr(policy, f))
        row.save(update_fields=list(fields))
        new = {f: _text(getattr(policy, f)) for f in fields}
        changes = {POLICY_LABELS[f]: [old[f], new[f]] for f in fields if old[f] != new[f]}
        record(actor=actor, action=Action.UPDATE, object_type="grade_policy", object_id=row.pk,
               region_code=getattr(actor, "scope_id", "") or "",
               summary=f"设置{year}年度{role_label(role)}考核等次规则", changes=changes)
    return row


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(CENT))


# --- entered scores ------------------------------------------------------------------------------------

def enter_score(*, actor: Any, year: int, role: str, person_id: int, code: str, score: Decimal,
                durable: bool = True) -> CadreScore:
    """An entered score (民主评议, 群众满意度 …) of a cadre assessed for the year and role in the actor's scope."""
    require_perm(actor, Perm.EDIT_CADRES)
    checked_role(role)
    if not (SCORE_LOW <= score <= SCORE_HIGH) or score != score.quantize(CENT):
        raise DomainError("得分须在 0–100 之间，最多两位小数", field="得分")
    with _atomic(durable):
        rows = {r.code: r for r in ensure_indicator_set(year=year, role=role)}
        row = rows.get(code)
        if row is None:
            raise DomainError(f"{year}年度{role_label(role)}考核没有指标“{code}”", field="指标")
        if row.provider:
            raise DomainError(f"“{row.title}”由系统根据数据计算，不能录入；只有录入类指标可以录入得分", field="指标")
        # assessed through the dispatch (or the village) in scope: a county-registered cadre serves a township's village
        if person_id not in assessed(actor, year=year, role=role, region=None, person_ids=[person_id]):
            raise NotFound(f"该人员不是您管辖范围内{year}年度考核的{role_label(role)}")
        person = Person.objects_unscoped.get(pk=person_id)
        if CadreGrade.objects_unscoped.filter(year=year, role=role, person_id=person_id,
                                              status=GradeStatus.LOCKED).exists():
            raise OutOfOrder(f"{person.name}的{year}年度考核等次已锁定，不能再录入得分")
        existing = CadreScore.objects_unscoped.select_for_update().filter(indicator=row, person_id=person_id).first()
        old = str(existing.score) if existing else None
        if existing:
            existing.score, existing.entered_by, existing.entered_at = score, _user(actor), timezone.now()
            existing.save(update_fields=["score", "entered_by", "entered_at"])
            saved = existing
        else:
            saved = CadreScore.objects_unscoped.create(indicator=row, person_id=person_id, score=score,
                                                       entered_by=_user(actor))
        record(actor=actor, action=Action.UPDATE if existing else Action.CREATE, object_type="cadre_score",
               object_id=saved.pk, region_code=person.region_id,
               summary=f"录入{person.name}{year}年度{row.title}得分 {score}", changes={"score": [old, str(score)]})
    return saved


# --- grading -------------------------------------------------------------------------------------------

@dataclass
class GradeRun:
    year: int
    role: str
    region: str
    graded: int = 0  # rows written (drafts)
    kept: int = 0  # confirmed rows left as they were
    missing: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # titles of indicators no app computes yet
    rows: list[Candidate] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "role": self.role, "role_label": role_label(self.role), "region": self.region,
                "graded": self.graded, "kept": self.kept, "missing": self.missing, "counts": self.counts,
                "skipped": self.skipped}


def grade_cadres(*, actor: Any, year: int, role: str, region: str | None = None, durable: bool = True) -> GradeRun:
    """Compute every assessed cadre of the role in `region` (default: the actor's scope): one query per indicator,
    the composite, ranks and grades (thresholds, veto, quotas within the region, tie rule). Draft rows are
    written again; confirmed rows keep their grade and hold their quota places; a locked year is refused."""
    require_perm(actor, Perm.GRADE_CADRES)
    checked_role(role)
    code = _region(actor, region)
    with _atomic(durable):
        rows = ensure_indicator_set(year=year, role=role)
        policy = policy_of(year, role)
        stored = narrowed(scoped(CadreGrade, actor), code or None).filter(year=year, role=role)
        if stored.filter(status=GradeStatus.LOCKED).exists():
            raise OutOfOrder(f"{year}年度{role_label(role)}考核等次已锁定，不能重新计算")
        people = assessed(actor, year=year, role=role, region=code or None)
        ids = sorted(people)
        scores = indicator_scores(actor, year=year, role=role, people=ids, rows=rows)
        weights = {r.code: r.weight for r in scores.indicators}
        # confirmed (and locked) rows anywhere keep their grade; those in the region hold their quota places
        nondraft = CadreGrade.objects_unscoped.filter(year=year, role=role, **person_lookup("person_id", ids)).exclude(
            status=GradeStatus.DRAFT) if ids else CadreGrade.objects_unscoped.none()
        fixed = {pk: (total, grade) for pk, total, grade in nondraft.values_list("person_id", "total", "grade")
                 if pk in people}
        candidates: list[Candidate] = []
        computed: dict[int, tuple[Decimal | None, list[str]]] = {}
        for pk in ids:
            values = scores.values[pk]
            if pk in fixed:
                candidates.append(Candidate(pk, fixed[pk][0], fixed_grade=fixed[pk][1]))
                continue
            total, missing = composite(values, weights)
            computed[pk] = (total, missing)
            candidates.append(Candidate(pk, total, democratic=democratic_of(values)))
        ranked = assign_grades(candidates, policy)
        basis_weights = {c: str(w) for c, w in weights.items()}
        basis_policy = {"excellent": _text(policy.excellent), "good": _text(policy.good),
                        "passing": _text(policy.passing), "excellent_quota": _text(policy.excellent_quota),
                        "good_quota": _text(policy.good_quota), "veto": _text(policy.veto)}
        now = timezone.now()
        # JSON text written set-based: the weights, policy and skipped codes are the same for every row (once); codes
        # and decimals need no escaping; only each row's reasoning goes through json.dumps
        basis_head = json.dumps({"weights": basis_weights, "policy": basis_policy,
                                 "skipped": [r.code for r in scores.skipped]}, ensure_ascii=False)[:-1]
        drafts = [(year, role, c.person_id, people[c.person_id],
                   "{" + ", ".join(f'"{k}": "{v}"' for k, v in scores.values[c.person_id].items() if v is not None) + "}",
                   "[" + ", ".join(f'"{k}"' for k in computed[c.person_id][1]) + "]",
                   f'{basis_head}, "how": {json.dumps(c.how, ensure_ascii=False)}}}',
                   c.total, c.rank, c.grade, GradeStatus.DRAFT.value, now)
                  for c in ranked if c.person_id not in fixed]
        # Drafts are recomputed whole: the region's drafts and the assessed cadres' drafts elsewhere (a cadre who
        # moved village) are deleted and written again set-based (COPY on PostgreSQL); confirmed rows stay, and a
        # draft has no outcome (outcomes need a confirmed grade), so nothing points at the rows replaced.
        asked = set(ids)
        moved = [pk for pk, person in CadreGrade.objects_unscoped.filter(
            year=year, role=role, status=GradeStatus.DRAFT, **person_lookup("person_id", ids)).exclude(
            pk__in=stored.values("pk")).values_list("pk", "person_id") if person in asked] if ids else []
        _raw_delete(stored.filter(status=GradeStatus.DRAFT))
        for start in range(0, len(moved), 5000):
            _raw_delete(CadreGrade.objects_unscoped.filter(pk__in=moved[start:start + 5000]))
        insert_rows(CadreGrade._meta.db_table, DRAFT_COLUMNS, drafts)
        run = GradeRun(year=year, role=role, region=code, graded=len(drafts), kept=len(fixed),
                       missing=sum(1 for c in ranked if c.total is None),
                       skipped=[r.title for r in scores.skipped])
        for c in ranked:
            if c.grade:
                run.counts[c.grade] = run.counts.get(c.grade, 0) + 1
        run.rows = ranked
        record(actor=actor, action=Action.UPDATE, object_type="cadre_grades", object_id=f"{year}-{role}",
               region_code=code,
               summary=f"计算{year}年度{role_label(role)}考核等次：{len(drafts)} 人重新计算，{len(fixed)} 人已确认保持不变，"
                       f"{run.missing} 人缺数据",
               changes={"counts": [None, run.counts], "weights": [None, basis_weights], "policy": [None, basis_policy]})
    return run


def _raw_delete(rows: QuerySet[CadreGrade]) -> None:
    """One DELETE statement, without Django's collector reading every row first (drafts have no outcomes)."""
    rows._raw_delete(rows.db)


def _stored(actor: Any, year: int, role: str, region: str | None) -> Any:
    code = _region(actor, region)
    return code, narrowed(scoped(CadreGrade, actor), code or None).filter(year=year, role=role)


def confirm_grades(*, actor: Any, year: int, role: str, region: str | None = None, durable: bool = True) -> int:
    """确认: every draft with a grade in the region becomes 已确认 (drafts with missing data stay); how many."""
    require_perm(actor, Perm.GRADE_CADRES)
    checked_role(role)
    with _atomic(durable):
        code, rows = _stored(actor, year, role, region)
        if rows.filter(status=GradeStatus.LOCKED).exists():
            raise OutOfOrder(f"{year}年度{role_label(role)}考核等次已锁定")
        ids = list(rows.filter(status=GradeStatus.DRAFT).exclude(grade="").values_list("pk", flat=True))
        if not ids:
            raise OutOfOrder("没有待确认的等次：请先计算等次（缺数据的干部须补齐数据后计算）")
        CadreGrade.objects_unscoped.filter(pk__in=ids).update(status=GradeStatus.CONFIRMED, confirmed_by=_user(actor),
                                                              confirmed_at=timezone.now())
        record(actor=actor, action=Action.UPDATE, object_type="cadre_grades", object_id=f"{year}-{role}",
               region_code=code, summary=f"确认{year}年度{role_label(role)}考核等次 {len(ids)} 人",
               changes={"status": [GradeStatus.DRAFT.value, GradeStatus.CONFIRMED.value], "count": [None, len(ids)]})
    return len(ids)


def unconfirm_grades(*, actor: Any, year: int, role: str, region: str | None = None, durable: bool = True) -> int:
    """撤销确认: confirmed rows back to drafts (refused once the year is locked or an outcome was proposed)."""
    require_perm(actor, Perm.GRADE_CADRES)
    checked_role(role)
    with _atomic(durable):
        code, rows = _stored(actor, year, role, region)
        if rows.filter(status=GradeStatus.LOCKED).exists():
            raise OutOfOrder(f"{year}年度{role_label(role)}考核等次已锁定，不能撤销确认")
        confirmed = rows.filter(status=GradeStatus.CONFIRMED)
        if confirmed.filter(outcomes__isnull=False).exists():
            raise OutOfOrder("已有干部提出了结果运用，不能撤销确认")
        ids = list(confirmed.values_list("pk", flat=True))
        if not ids:
            raise OutOfOrder("没有已确认的等次")
        CadreGrade.objects_unscoped.filter(pk__in=ids).update(status=GradeStatus.DRAFT, confirmed_by=None,
                                                              confirmed_at=None)
        record(actor=actor, action=Action.UPDATE, object_type="cadre_grades", object_id=f"{year}-{role}",
               region_code=code, summary=f"撤销确认{year}年度{role_label(role)}考核等次 {len(ids)} 人",
               changes={"status": [GradeStatus.CONFIRMED.value, GradeStatus.DRAFT.value], "count": [None, len(ids)]})
    return len(ids)


def lock_grades(*, actor: Any, year: int, role: str, region: str | None = None, durable: bool = True) -> int:
    """锁定 (a county or wider scope): every confirmed row in the region; refused while a graded draft remains."""
    require_perm(actor, Perm.GRADE_CADRES)
    checked_role(role)
    prefix = prefix_for(actor)
    if prefix is None or len(prefix) > COUNTY_WIDTH:
        raise PermissionDenied("考核等次由县级（或以上）管理员锁定")
    with _atomic(durable):
        code, rows = _stored(actor, year, role, region)
        waiting = rows.filter(status=GradeStatus.DRAFT).exclude(grade="").count()
        if waiting:
            raise OutOfOrder(f"尚有 {waiting} 人的等次未确认，须先确认再锁定")
        ids = list(rows.filter(status=GradeStatus.CONFIRMED).values_list("pk", flat=True))
        if not ids:
            raise OutOfOrder("没有已确认的等次可以锁定")
        CadreGrade.objects_unscoped.filter(pk__in=ids).update(status=GradeStatus.LOCKED)
        record(actor=actor, action=Action.UPDATE, object_type="cadre_grades", object_id=f"{year}-{role}",
               region_code=code, summary=f"锁定{year}年度{role_label(role)}考核等次 {len(ids)} 人",
               changes={"status": [GradeStatus.CONFIRMED.value, GradeStatus.LOCKED.value], "count": [None, len(ids)]})
    return len(ids)


# --- outcomes ------------------------------------------------------------------------------------------

def propose_outcome(*, actor: Any, grade_id: int, kind: str, reason: str, durable: bool = True) -> CadreOutcome:
    """A proposal on a confirmed (or locked) grade: 推荐进入乡镇领导班子 / 享受副科级待遇 for 优 or 良, 问责 /
    组织处理 for 差; a returned proposal is sent again with a new reason."""
    require_perm(actor, Perm.GRADE_CADRES)
    if kind not in OutcomeKind.values:
        raise DomainError(f"结果运用“{kind}”无效", field="结果运用")
    label = str(OutcomeKind(kind).label)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise DomainError("须填写理由（300 字以内）", field="理由")
    with _atomic(durable):
        found = get_for_user(CadreGrade, actor, pk=grade_id)
        grade = CadreGrade.objects_unscoped.select_for_update().select_related("person").get(pk=found.pk)
        if grade.status == GradeStatus.DRAFT:
            raise OutOfOrder(f"{grade.person.name}的{grade.year}年度考核等次尚未确认，确认后才能提出结果运用")
        if problem := outcome_problem(kind, grade.grade, label):
            raise DomainError(problem, field="结果运用")
        existing = CadreOutcome.objects_unscoped.select_for_update().filter(grade=grade, kind=kind).first()
        if existing is not None:
            if problem := resubmit_problem(existing.state):
                raise OutOfOrder(f"{grade.person.name}已提出“{label}”：{problem}")
            existing.reason, existing.state, existing.proposed_by = reason, ReviewState.PENDING, _user(actor)
            existing.proposed_at, existing.decided_by, existing.decided_at, existing.note = timezone.now(), None, None, ""
            existing.save(update_fields=["reason", "state", "proposed_by", "proposed_at", "decided_by", "decided_at",
                                         "note"])
            outcome = existing
        else:
            outcome = CadreOutcome.objects_unscoped.create(grade=grade, kind=kind, reason=reason,
                                                           proposed_by=_user(actor))
        record(actor=actor, action=Action.CREATE, object_type="cadre_outcome", object_id=outcome.pk,
               region_code=grade.region_id, summary=f"提出{grade.person.name}{grade.year}年度考核结果运用：{label}",
               changes={"kind": [None, kind], "reason": [None, reason], "state": [None, ReviewState.PENDING.value]})
    return outcome


def may_decide(actor: Any, outcome: CadreOutcome) -> bool:
    proposer = outcome.proposed_by
    return (actor.can(Perm.APPROVE_OUTCOMES) and outcome.state == ReviewState.PENDING
            and one_level_up(getattr(proposer, "role", ""), getattr(actor, "role", ""))
            and (proposer is None or proposer.pk != getattr(actor, "pk", None)))


def decide_outcome(*, actor: Any, outcome_id: int, decision: str, note: str = "", durable: bool = True) -> CadreOutcome:
    """审批 (APPROVE_OUTCOMES) one level above the proposer's role: 通过 / 有问题 / 退回 (a note for the last two)."""
    require_perm(actor, Perm.APPROVE_OUTCOMES)
    with _atomic(durable):
        found = get_for_user(CadreOutcome, actor, pk=outcome_id)
        outcome = CadreOutcome.objects_unscoped.select_for_update(of=("self",)).select_related(
            "grade__person", "proposed_by").get(pk=found.pk)
        if problem := review_problem(outcome.state, decision, note):
            raise OutOfOrder(problem) if outcome.state != ReviewState.PENDING else DomainError(problem, field="审批结论")
        proposer = outcome.proposed_by
        if proposer is not None and proposer.pk == getattr(actor, "pk", None):
            raise PermissionDenied("不能审批本人提出的结果运用")
        if not one_level_up(getattr(proposer, "role", ""), getattr(actor, "role", "")):
            raise PermissionDenied("结果运用须由提出人的上一级审批")
        old = outcome.state
        outcome.state, outcome.note = decision, (note or "").strip()[:300]
        outcome.decided_by, outcome.decided_at = _user(actor), timezone.now()
        outcome.save(update_fields=["state", "note", "decided_by", "decided_at"])
        record(actor=actor, action=Action.UPDATE, object_type="cadre_outcome", object_id=outcome.pk,
               region_code=outcome.grade.region_id,
               summary=f"审批{outcome.grade.person.name}的结果运用“{outcome.get_kind_display()}”："
                       f"{ReviewState(decision).label}",
               changes={"state": [old, decision], "note": [None, outcome.note]})
    return outcome


def outcome_kinds_for(grade: str) -> list[tuple[str, str]]:
    return [(k.value, str(k.label)) for k in OutcomeKind if outcome_problem(k.value, grade, str(k.label)) is None]

