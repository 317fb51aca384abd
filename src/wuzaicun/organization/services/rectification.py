"""Writes of 倒排整顿: the year's weights and 民主评议 scores, proposing / adjusting / confirming a round, and a
case's life (plan, progress with evidence, submit, the township's then the county's sign-off, 已转化, and the
village's 软弱涣散 flag for the next year). Each is one transaction with its audit rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, narrowed, prefix_for, require_code_in_scope, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.errors import Conflict, DomainError, NotFound, OutOfOrder, PermissionDenied
from wuzaicun.core.evidence import Upload, attach_evidence
from wuzaicun.core.review import ReviewState, resubmit_problem, review_problem
from wuzaicun.regions.codes import level_of, prefix_of
from wuzaicun.regions.models import Region, VillageYear
from wuzaicun.registry.models import Person

from ..models.rectification import (
    CaseEvidence,
    CaseProgress,
    CaseStatus,
    DemocraticScore,
    RankingPick,
    RankingRound,
    RankingWeight,
    RectificationCase,
    RoundStatus,
)
from ..rules.rectification import (
    INDICATORS_BY_CODE,
    CaseFacts,
    Weight,
    adjustment_problem,
    count_problem,
    submit_problems,
    weight_problems,
)
from ..selectors.orgs import village_organisations
from ..selectors.rectification import compute_ranking

SCORE_LOW, SCORE_HIGH = Decimal(0), Decimal(100)
LEADER_RANK = "县处级"
TOWNSHIP_WIDTH = 9  # a township reviewer's scope is a township or wider
CITY_WIDTH = 4  # the year's weights are the city's (or the province's)
COUNTY_WIDTH = 6  # the county's sign-off needs a county (or wider) scope



def _atomic(durable: bool) -> Any:
    return transaction.atomic(durable=durable)


# --- weights and 民主评议 ------------------------------------------------------------------------------

def set_weights(*, actor: Any, year: int, weights: Sequence[Weight], durable: bool = True) -> list[Weight]:
    """The year's weights (every indicator: weight and enabled); refused whole when any is wrong. They hold for
    every ranking of the year, so only a city (or wider) administrator sets them."""
    require_perm(actor, Perm.RANK_ORGANIZATIONS)
    prefix = prefix_for(actor)
    if prefix is None or len(prefix) > CITY_WIDTH:
        raise PermissionDenied("年度排名指标权重由市级（或以上）管理员设置")
    if problems := weight_problems(weights):
        raise DomainError("；".join(message for _, message in problems), field=problems[0][0])
    given = {w.code: w for w in weights}
    with _atomic(durable):
        old = {w.code: (str(w.weight), w.enabled) for w in RankingWeight.objects_unscoped.filter(year=year)}
        for code, w in given.items():
            RankingWeight.objects_unscoped.update_or_create(
                year=year, code=code, defaults={"weight": w.weight, "enabled": w.enabled})
        new = {code: (str(w.weight), w.enabled) for code, w in given.items()}
        changes = {code: [old.get(code), list(value)] for code, value in new.items() if old.get(code) != value}
        record(actor=actor, action=Action.UPDATE, object_type="ranking_weights", object_id=year,
               region_code=getattr(actor, "scope_id", "") or "",
               summary=f"设置{year}年度软弱涣散党组织倒排指标权重（{len(changes)} 项变更）", changes=changes)
    return list(given.values())


def set_democratic_score(*, actor: Any, year: int, village_code: str, score: Decimal,
                         durable: bool = True) -> DemocraticScore:
    require_perm(actor, Perm.RANK_ORGANIZATIONS)
    require_code_in_scope(actor, village_code, field="村")
    if level_of(village_code) != 5:
        raise DomainError(f"区划代码“{village_code}”不是村级区划", field="村")
    if not (SCORE_LOW <= score <= SCORE_HIGH) or score != score.quantize(Decimal("0.01")):
        raise DomainError("民主评议得分须在 0–100 之间，最多两位小数", field="民主评议得分")
    with _atomic(durable):
        if not Region.objects_unscoped.filter(code=village_code).exists():
            raise NotFound(f"村“{village_code}”不存在或不在您的管辖范围内")
        existing = DemocraticScore.objects_unscoped.select_for_update().filter(village_id=village_code, year=year).first()
        old = str(existing.score) if existing else None
        if existing:
            existing.score = score
            existing.save(update_fields=["score"])
            row = existing
        else:
            row = DemocraticScore.objects_unscoped.create(village_id=village_code, year=year, score=score)
        record(actor=actor, action=Action.UPDATE if existing else Action.CREATE, object_type="democratic_score",
               object_id=row.pk, region_code=village_code, summary=f"录入{year}年度民主评议得分 {score}",
               changes={"score": [old, str(score)]})
    return row


# --- rounds ---------------------------------------------------------------------------------------------

def propose_round(*, actor: Any, year: int, region_code: str, count: int, durable: bool = True) -> RankingRound:
    """Rank every village organisation under `region_code` and propose the bottom `count`. A round not yet
    confirmed is proposed again (its adjustments are dropped); a confirmed one is refused."""
    require_perm(actor, Perm.RANK_ORGANIZATIONS)
    require_code_in_scope(actor, region_code, field="排名范围")
    if level_of(region_code) > 3:
        raise DomainError("倒排名单按县、市或省编制，请选择县级或以上区划", field="排名范围")
    ranking = compute_ranking(actor, year=year, region=region_code, count=count)
    if problem := count_problem(count, len(ranking.rows)):
        raise DomainError(problem, field="倒排数量")
    with _atomic(durable):
        existing = RankingRound.objects_unscoped.select_for_update().filter(year=year, region_id=region_code).first()
        if existing and existing.status == RoundStatus.CONFIRMED:
            raise OutOfOrder(f"{year}年度该范围的倒排名单已确认，不能重新提出")
        covering = RankingRound.objects_unscoped.filter(year=year, status=RoundStatus.CONFIRMED).exclude(
            region_id=region_code)
        for other in covering.values_list("region_id", flat=True):
            if region_code.startswith(prefix_of(other)) or other.startswith(prefix_of(region_code)):
                raise OutOfOrder(f"{year}年度已有覆盖该范围的倒排名单（{other}）已确认，不能重复编制")
        weights = {w.code: str(w.weight) for w in ranking.weights if w.code in ranking.used}
        if existing:
            RankingPick.objects_unscoped.filter(round=existing).delete()
            existing.count, existing.weights, existing.created_by = count, weights, _user(actor)
            existing.created_at = timezone.now()
            existing.save(update_fields=["count", "weights", "created_by", "created_at"])
            round_ = existing
        else:
            round_ = RankingRound.objects_unscoped.create(year=year, region_id=region_code, count=count,
                                                          weights=weights, created_by=_user(actor))
        RankingPick.objects_unscoped.bulk_create([
            RankingPick(round=round_, village_id=r.code, rank=r.rank, score=r.score,
                        values={c: (None if v is None else str(v)) for c, v in r.values.items()},
                        proposed=r.rank <= count, selected=r.rank <= count)
            for r in ranking.rows], batch_size=2000)
        record(actor=actor, action=Action.CREATE, object_type="ranking_round", object_id=round_.pk,
               region_code=region_code,
               summary=f"提出{year}年度软弱涣散党组织倒排名单：{len(ranking.rows)} 个村党组织参与排名，倒排 {count} 个",
               changes={"count": [None, count], "weights": [None, weights], "skipped": [None, ranking.skipped]})
    return round_


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None


def _locked_round(actor: Any, round_id: int) -> RankingRound:
    found = get_for_user(RankingRound, actor, pk=round_id)
    round_ = RankingRound.objects_unscoped.select_for_update().get(pk=found.pk)
    if round_.status != RoundStatus.PROPOSED:
        raise OutOfOrder("该倒排名单已确认，不能再调整")
    return round_


def adjust_pick(*, actor: Any, round_id: int, village_code: str, selected: bool, reason: str,
                durable: bool = True) -> RankingPick:
    """Add a village to the list or take one off (a reason is required; each change is audited)."""
    require_perm(actor, Perm.RANK_ORGANIZATIONS)
    if problem := adjustment_problem(reason):
        raise DomainError(problem, field="调整理由")
    with _atomic(durable):
        round_ = _locked_round(actor, round_id)
        pick = scoped(RankingPick, actor).filter(round=round_, village_id=village_code).select_related("village").first()
        if pick is None:
            raise NotFound(f"村“{village_code}”不在该倒排名单的排名范围内")
        if pick.selected == selected:
            raise DomainError(f"{pick.village.name}{'已在' if selected else '不在'}整顿名单中", field="村")
        pick.selected, pick.change_reason = selected, reason.strip()
        pick.save(update_fields=["selected", "change_reason"])
        record(actor=actor, action=Action.UPDATE, object_type="ranking_pick", object_id=pick.pk,
               region_code=village_code,
               summary=f"{'列入' if selected else '移出'}{round_.year}年度整顿名单：{pick.village.name}（倒排第{pick.rank}名）",
               changes={"selected": [not selected, selected], "reason": [None, pick.change_reason]})
    return pick


def confirm_round(*, actor: Any, round_id: int, durable: bool = True) -> int:
    """确认: the selected villages become the year's rectification cases (整顿中); answers how many."""
    require_perm(actor, Perm.RANK_ORGANIZATIONS)
    with _atomic(durable):
        round_ = _locked_round(actor, round_id)
        picks = list(RankingPick.objects_unscoped.filter(round=round_, selected=True).values_list("pk", "village_id"))
        if not picks:
            raise DomainError("整顿名单为空，不能确认", field="倒排名单")
        villages = [v for _, v in picks]
        taken = set(RectificationCase.objects_unscoped.filter(year=round_.year, village_id__in=villages)
                    .values_list("village_id", flat=True))
        orgs = village_organisations(actor, villages)
        deadline = dt.date(round_.year, 12, 31)
        RectificationCase.objects_unscoped.bulk_create([
            RectificationCase(village_id=v, year=round_.year, pick_id=pk, organisation=orgs.get(v), deadline=deadline)
            for pk, v in picks if v not in taken], batch_size=2000)
        round_.status, round_.confirmed_by, round_.confirmed_at = RoundStatus.CONFIRMED, _user(actor), timezone.now()
        round_.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        made = len(picks) - len(taken)
        record(actor=actor, action=Action.UPDATE, object_type="ranking_round", object_id=round_.pk,
               region_code=round_.region_id,
               summary=f"确认{round_.year}年度软弱涣散党组织整顿名单：{len(picks)} 个，新建整顿案例 {made} 个",
               changes={"status": [RoundStatus.PROPOSED, RoundStatus.CONFIRMED], "cases": [None, made]})
    return made


# --- cases ----------------------------------------------------------------------------------------------

def _locked_case(actor: Any, case_id: int) -> RectificationCase:
    found = get_for_user(RectificationCase, actor, pk=case_id)
    return RectificationCase.objects_unscoped.select_for_update().select_related("village").get(pk=found.pk)


CASE_FIELDS = ("problems", "plan", "measures", "leader_id", "deadline")


def update_case(*, actor: Any, case_id: int, problems: str, plan: str, measures: str, leader_id: int | None,
                deadline: dt.date | None, version: int | None = None, durable: bool = True) -> RectificationCase:
    """The case's problems, plan, measures, responsible county leader (县处级) and deadline."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    for label, value, limit in (("主要问题", problems, 2000), ("整顿方案", plan, 4000), ("整顿措施", measures, 4000)):
        if len(value) > limit:
            raise DomainError(f"{label}不能超过 {limit} 字", field=label)
    with _atomic(durable):
        case = _locked_case(actor, case_id)
        if version is not None and case.version != version:
            raise Conflict()
        if case.status != CaseStatus.IN_PROGRESS:
            raise OutOfOrder(f"该案例当前为“{case.get_status_display()}”，只有整顿中的案例可以修改")
        if leader_id is not None and leader_id != case.leader_id:
            leader = scoped(Person, actor).filter(pk=leader_id).values_list("rank", "name").first()
            if leader is None:
                raise NotFound("所选责任县领导不存在或不在您的管辖范围内")
            if leader[0] != LEADER_RANK:
                raise DomainError(f"责任县领导须为县处级干部，{leader[1]}的职级为“{leader[0] or '未填写'}”",
                                  field="责任县领导")
        if deadline is not None and deadline.year < case.year:
            raise DomainError(f"整顿时限不能早于整顿年度 {case.year} 年", field="整顿时限")
        new = {"problems": problems.strip(), "plan": plan.strip(), "measures": measures.strip(),
               "leader_id": leader_id, "deadline": deadline}
        old = {k: getattr(case, k) for k in CASE_FIELDS}
        changed = [k for k in CASE_FIELDS if old[k] != new[k]]
        for key in changed:
            setattr(case, key, new[key])
        case.version += 1
        case.save(update_fields=[*changed, "version"])
        record(actor=actor, action=Action.UPDATE, object_type="rectification_case", object_id=case.pk,
               region_code=case.village_id, summary=f"修改{case.village.name}{case.year}年度整顿案例",
               changes={k: [str(old[k]) if old[k] is not None else None,
                            str(new[k]) if new[k] is not None else None] for k in changed})
    return case


def add_progress(*, actor: Any, case_id: int, reported_on: dt.date, narrative: str, files: Iterable[Upload] = (),
                 durable: bool = True) -> CaseProgress:
    """A progress update with its evidence files (photos or PDFs, checked and stored outside the database)."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    if not narrative.strip():
        raise DomainError("请填写进展情况", field="进展情况")
    with _atomic(durable):
        case = _locked_case(actor, case_id)
        if case.status != CaseStatus.IN_PROGRESS:
            raise OutOfOrder(f"该案例当前为“{case.get_status_display()}”，不能再录入整顿进展")
        if reported_on.year < case.year or reported_on > timezone.localdate():
            raise DomainError("进展日期须在整顿年度之内且不晚于今天", field="日期")
        progress = CaseProgress.objects_unscoped.create(case=case, reported_on=reported_on,
                                                        narrative=narrative.strip(), recorded_by=_user(actor))
        count = attach_evidence(CaseEvidence, files, progress=progress, uploaded_by=_user(actor))
        record(actor=actor, action=Action.CREATE, object_type="case_progress", object_id=progress.pk,
               region_code=case.village_id, summary=f"录入{case.village.name}整顿进展（佐证材料 {count} 份）",
               changes={"reported_on": [None, str(reported_on)], "evidence": [None, count]})
    return progress


def add_evidence(*, actor: Any, case_id: int, progress_id: int, files: Iterable[Upload],
                 durable: bool = True) -> int:
    """More evidence for a progress update of a case still 整顿中 (the API's upload)."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    with _atomic(durable):
        case = _locked_case(actor, case_id)
        if case.status != CaseStatus.IN_PROGRESS:
            raise OutOfOrder(f"该案例当前为“{case.get_status_display()}”，不能再上传佐证材料")
        progress = scoped(CaseProgress, actor).filter(pk=progress_id, case=case).first()
        if progress is None:
            raise NotFound()
        count = attach_evidence(CaseEvidence, files, progress=progress, uploaded_by=_user(actor))
        if not count:
            raise DomainError("请选择要上传的佐证材料", field="佐证材料")
        record(actor=actor, action=Action.CREATE, object_type="case_progress", object_id=progress.pk,
               region_code=case.village_id, summary=f"上传{case.village.name}整顿佐证材料 {count} 份")
    return count


def submit_case(*, actor: Any, case_id: int, durable: bool = True) -> RectificationCase:
    """提交验收: a complete case with evidence goes to the township; a returned one may be sent again."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    with _atomic(durable):
        case = _locked_case(actor, case_id)
        if case.status != CaseStatus.IN_PROGRESS:
            raise OutOfOrder(f"该案例当前为“{case.get_status_display()}”，不能提交验收")
        returned = ReviewState.RETURNED in (case.township_state, case.county_state)
        if case.township_state and not returned:
            current = case.county_state or case.township_state
            raise OutOfOrder(resubmit_problem(current) or "该案例不能再次提交")
        evidence = CaseEvidence.objects_unscoped.filter(progress__case=case).count()
        facts = CaseFacts(case.problems, case.plan, case.measures, case.leader_id is not None, case.deadline, evidence)
        if problems := submit_problems(facts):
            raise DomainError("；".join(problems), field="整顿案例")
        old = (case.township_state, case.county_state)
        case.status, case.township_state, case.county_state = CaseStatus.SUBMITTED, ReviewState.PENDING, ""
        case.township_by = case.county_by = None
        case.township_at = case.county_at = None
        case.version += 1
        case.save(update_fields=["status", "township_state", "county_state", "township_by", "county_by",
                                 "township_at", "county_at", "version"])
        record(actor=actor, action=Action.UPDATE, object_type="rectification_case", object_id=case.pk,
               region_code=case.village_id,
               summary=f"{'重新' if returned else ''}提交{case.village.name}整顿案例验收",
               changes={"status": [CaseStatus.IN_PROGRESS, CaseStatus.SUBMITTED], "review": [list(old), ["pending", ""]]})
    return case


LEVELS = {"township": "乡镇", "county": "县级"}


def may_review(actor: Any, level: str) -> bool:
    """Whether the actor's role and scope may sign at `level` (the page offers the form only then)."""
    prefix = prefix_for(actor)
    if prefix is None or not getattr(actor, "can", lambda perm: False)(Perm.REVIEW_RECTIFICATION):
        return False
    return len(prefix) <= (TOWNSHIP_WIDTH if level == "township" else COUNTY_WIDTH)


def review_case(*, actor: Any, case_id: int, level: str, decision: str, note: str = "",
                on: dt.date | None = None, durable: bool = True) -> RectificationCase:
    """The township's sign-off, then the county's (通过 / 有问题 / 退回; 有问题 and 退回 need a note).
    The county's 通过 makes the case 已转化 and clears the village's 软弱涣散 flag for the next year."""
    require_perm(actor, Perm.REVIEW_RECTIFICATION)
    if level not in LEVELS:
        raise DomainError("验收层级须为 township（乡镇）或 county（县级）", field="验收层级")
    with _atomic(durable):
        case = _locked_case(actor, case_id)
        prefix = prefix_for(actor)
        width = 12 if prefix is None else len(prefix)
        if level == "township":
            if width > TOWNSHIP_WIDTH:
                raise PermissionDenied("乡镇验收须由乡镇或以上的审核人员进行")
            if not case.township_state:
                raise OutOfOrder("该案例尚未提交验收")
            if problem := review_problem(case.township_state, decision, note):
                raise OutOfOrder(f"乡镇验收：{problem}")
        else:
            if width > COUNTY_WIDTH:
                raise PermissionDenied("县级验收须由县级或以上的审核人员进行")
            if case.township_state != ReviewState.APPROVED:
                raise OutOfOrder("须先经乡镇验收通过，县级才能验收")
            if problem := review_problem(case.county_state, decision, note):
                raise OutOfOrder(f"县级验收：{problem}")
            if case.township_by_id is not None and case.township_by_id == getattr(actor, "pk", None):
                raise PermissionDenied("乡镇验收与县级验收不能由同一人签字")
        now = timezone.now()
        old_status = case.status
        setattr(case, f"{level}_state", decision)
        setattr(case, f"{level}_by", _user(actor))
        setattr(case, f"{level}_at", now)
        setattr(case, f"{level}_note", note.strip())
        fields = [f"{level}_state", f"{level}_by", f"{level}_at", f"{level}_note", "status", "version"]
        if decision in (ReviewState.PROBLEM, ReviewState.RETURNED):
            case.status = CaseStatus.IN_PROGRESS
        elif level == "township":
            case.county_state = ReviewState.PENDING
            fields.append("county_state")
        else:
            case.status = CaseStatus.TRANSFORMED
            case.transformed_on = on or timezone.localdate()
            fields.append("transformed_on")
        case.version += 1
        case.save(update_fields=fields)
        record(actor=actor, action=Action.UPDATE, object_type="rectification_case", object_id=case.pk,
               region_code=case.village_id,
               summary=f"{LEVELS[level]}验收{case.village.name}整顿案例：{ReviewState(decision).label}",
               changes={f"{level}_state": [ReviewState.PENDING, decision], "status": [old_status, case.status],
                        "note": [None, note.strip()]})
        if case.status == CaseStatus.TRANSFORMED:
            set_weak_flag(actor=actor, village_code=case.village_id, year=case.year + 1, weak=False,
                          why=f"{case.year}年度整顿已转化")
    return case


def set_weak_flag(*, actor: Any, village_code: str, year: int, weak: bool, why: str) -> VillageYear:
    """The village's 软弱涣散 flag of `year`, inside the caller's transaction. When the year has no facts yet its
    row is created from the latest earlier year's (poor village, exit year, minority, demonstration site)."""
    row = VillageYear.objects_unscoped.select_for_update().filter(village_id=village_code, year=year).first()
    if row is None:
        before = VillageYear.objects_unscoped.filter(village_id=village_code, year__lt=year).order_by("-year").first()
        row = VillageYear.objects_unscoped.create(
            village_id=village_code, year=year, is_weak_organisation=weak,
            is_poor=before.is_poor if before else False, exit_year=before.exit_year if before else None,
            is_ethnic_minority=before.is_ethnic_minority if before else False,
            demonstration=before.demonstration if before else "")
        record(actor=actor, action=Action.CREATE, object_type="village_year", object_id=row.pk, region_code=village_code,
               summary=f"新增村情 {village_code} {year}年（沿用上一年度，软弱涣散：{'是' if weak else '否'}；{why}）",
               changes={"is_weak_organisation": [None, weak]})
        return row
    if row.is_weak_organisation != weak:
        row.is_weak_organisation = weak
        row.version += 1
        row.save(update_fields=["is_weak_organisation", "version"])
        record(actor=actor, action=Action.UPDATE, object_type="village_year", object_id=row.pk, region_code=village_code,
               summary=f"{village_code} {year}年软弱涣散：{'是' if weak else '否'}（{why}）",
               changes={"is_weak_organisation": [not weak, weak]})
    return row


def carry_over_open_cases(*, actor: Any, year: int, region_code: str | None = None, durable: bool = True) -> int:
    """年终结转: every case of `year` in scope not 已转化 keeps its village 软弱涣散 in `year + 1`."""
    require_perm(actor, Perm.RANK_ORGANIZATIONS)
    with _atomic(durable):
        cases = narrowed(scoped(RectificationCase, actor), region_code).filter(year=year).exclude(
            status=CaseStatus.TRANSFORMED)
        villages = sorted(cases.values_list("village_id", flat=True))
        for village in villages:
            set_weak_flag(actor=actor, village_code=village, year=year + 1, weak=True, why=f"{year}年度整顿未转化，结转")
    return len(villages)


def indicator_title(code: str) -> str:
    return INDICATORS_BY_CODE[code].title if code in INDICATORS_BY_CODE else code
