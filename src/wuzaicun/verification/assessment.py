"""The annual assessment (1个100%): every village and township in scope scored on an indicator tree,
ranked in its county, graded 优/良/中/差, then confirmed and locked; and the yearly 五在村 rollup per county."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, narrowed, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.db import roomy_queries
from wuzaicun.core.errors import DomainError
from wuzaicun.core.indicators import indicator
from wuzaicun.regions.codes import level_of, prefix_of
from wuzaicun.regions.models import Region

from .models import (
    WEIGHT_RANGE,
    AssessmentResult,
    AssessmentScheme,
    EnteredScore,
    Grade,
    Indicator,
    ResultStatus,
    SubjectLevel,
)

# (code, title, weight, provider or "" for an entered score, children)
Node = tuple[str, str, int, str, list[Any]]
DEFAULT_TREE: list[Node] = [  # the five mechanisms (干部在村成长 is graded per cadre: 六定一化), then 实地考核
    ("responsibility", "责任在村落实", 20, "", [
        ("household_coverage", "贫困户帮扶全覆盖", 50, "household_coverage", []),
        ("ledger_fulfilment", "责任台账兑现", 50, "ledger_fulfilment", []),
    ]),
    ("organization", "组织在村建强", 20, "", [
        ("rectification_status", "软弱涣散党组织整顿", 25, "rectification_status", []),
        ("guarantees_met", "组织保障达标", 25, "guarantees_met", []),
        ("committee_duties", "村务监督委员会履职", 25, "committee_duties", []),
        ("collective_income", "村集体经济收入", 25, "collective_income", []),
    ]),
    ("resources", "资源在村整合", 20, "", [
        ("project_completion", "项目完成", 25, "project_completion", []),
        ("project_funds_poor", "资金投向贫困村", 25, "project_funds_poor", []),
        ("dividends_paid", "三变分红兑现", 25, "dividends_paid", []),
        ("decisions_published", "资金使用决策公开", 25, "decisions_published", []),
    ]),
    ("results", "成效在村检验", 30, "", [
        ("spot_check_findings", "季度抽查结果", 40, "spot_check_findings", []),
        ("household_exits", "贫困户脱贫", 30, "household_exits", []),
        ("village_exits", "贫困村出列", 30, "village_exits", []),
    ]),
    ("field_review", "实地考核（录入）", 10, "", []),
]


def weight_problems(nodes: Sequence[tuple[str, Decimal]]) -> str | None:
    """Sibling weights must sum to 100."""
    total = sum((w for _, w in nodes), Decimal(0))
    if nodes and total != 100:
        return f"同一级指标权重之和应为 100，实为 {total}（{'、'.join(code for code, _ in nodes)}）"
    return None


def ensure_scheme(*, year: int, level: int, county: Region | None = None) -> AssessmentScheme:
    """The year's scheme for the level (the county's variant when asked), created from the default tree."""
    scheme = AssessmentScheme.objects_unscoped.filter(year=year, level=level, county=county).first()
    if scheme is not None:
        return scheme
    label = dict(SubjectLevel.choices)[level]
    scheme = AssessmentScheme.objects_unscoped.create(
        year=year, level=level, county=county, name=f"{year}年度{label}“五在村”考核指标体系")

    def add(nodes: list[Node], parent: Indicator | None) -> None:
        for code, title, weight, provider, children in nodes:
            node = Indicator.objects_unscoped.create(scheme=scheme, parent=parent, code=code, title=title,
                                                     weight=weight, provider=provider)
            add(children, node)

    add(DEFAULT_TREE, None)
    return scheme


def check_scheme(scheme: AssessmentScheme) -> None:
    nodes = list(scheme.indicators.all())
    groups: dict[int | None, list[tuple[str, Decimal]]] = defaultdict(list)
    for node in nodes:
        groups[node.parent_id].append((node.code, node.weight))
    for siblings in groups.values():
        if problem := weight_problems(siblings):
            raise DomainError(f"{scheme.name}：{problem}", code="bad_weights")
    unknown = [n.code for n in nodes if n.provider and indicator(n.provider) is None]
    if unknown:
        raise DomainError(f"{scheme.name}：指标计算来源未登记：{'、'.join(unknown)}", code="unknown_provider")


def tree_total(nodes: Sequence[Indicator], leaves: dict[int, Decimal]) -> tuple[Decimal, dict[str, str]]:
    """A subject's total and every node's score: a parent is the weighted sum of its children (weights of
    siblings sum to 100), a leaf is its computed or entered score (0 when missing)."""
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    scores: dict[str, str] = {}

    def value(node: Indicator) -> Decimal:
        below = children.get(node.pk, [])
        result = (sum((value(c) * c.weight / 100 for c in below), Decimal(0)) if below
                  else Decimal(leaves.get(node.pk, Decimal(0))))
        scores[node.code] = str(result.quantize(Decimal("0.01")))
        return result

    total = sum((value(n) * n.weight / 100 for n in children.get(None, [])), Decimal(0))
    return total.quantize(Decimal("0.01")), scores


def _grade(total: Decimal, scheme: AssessmentScheme) -> str:
    if total >= scheme.excellent:
        return Grade.EXCELLENT
    if total >= scheme.good:
        return Grade.GOOD
    if total >= scheme.passing:
        return Grade.FAIR
    return Grade.POOR


@dataclass
class RunSummary:
    year: int
    assessed: int
    kept: int  # confirmed or locked results left as they were
    grades: dict[str, int]


def assessment_subjects(actor: Any, region_code: str) -> int:
    """How many villages and townships an assessment of the region computes (large ones run as a job)."""
    if not region_code:
        return 0
    levels = (SubjectLevel.VILLAGE, SubjectLevel.TOWNSHIP)
    return narrowed(scoped(Region, actor), region_code).filter(level__in=levels).count()


def run_assessment(*, actor: Any, year: int, region_code: str, durable: bool = True) -> RunSummary:
    """Assess every village and township in the region (none skipped). Draft results are recomputed;
    confirmed and locked ones are kept."""
    require_perm(actor, Perm.RUN_SPOT_CHECKS)
    region = get_for_user(Region, actor, code=region_code)
    summary = RunSummary(year=year, assessed=0, kept=0, grades=defaultdict(int))
    with transaction.atomic(durable=durable), roomy_queries():
        for level in (SubjectLevel.VILLAGE, SubjectLevel.TOWNSHIP):
            subjects = list(narrowed(scoped(Region, actor), region.code).filter(level=level).values_list("code", flat=True))
            if not subjects:
                continue
            kept = set(AssessmentResult.objects_unscoped.filter(year=year, subject_id__in=subjects).exclude(
                status=ResultStatus.DRAFT).values_list("subject_id", flat=True))
            summary.kept += len(kept)
            todo = [code for code in subjects if code not in kept]
            results = _score(year, level, todo)
            AssessmentResult.objects_unscoped.filter(year=year, subject_id__in=todo).delete()
            AssessmentResult.objects_unscoped.bulk_create(results, batch_size=2000)
            summary.assessed += len(results)
            for result in results:
                summary.grades[result.grade] += 1
        _rank(year, region.code)
        record(actor=actor, action=Action.CREATE, object_type="assessment", region_code=region.code,
               summary=f"{year}年度考核：{region.name}，计算 {summary.assessed} 个，保留已确认 {summary.kept} 个")
    return summary


def _score(year: int, level: int, subjects: list[str]) -> list[AssessmentResult]:
    by_county: dict[str, list[str]] = defaultdict(list)
    for code in subjects:
        by_county[code[:6]].append(code)
    variants = {s.county_id[:6]: s for s in AssessmentScheme.objects_unscoped.filter(
        year=year, level=level, county__isnull=False) if s.county_id}
    default = ensure_scheme(year=year, level=level)
    groups: dict[int, tuple[AssessmentScheme, list[str]]] = {}
    for county, codes in by_county.items():
        scheme = variants.get(county, default)
        groups.setdefault(scheme.pk, (scheme, []))[1].extend(codes)
    results: list[AssessmentResult] = []
    for scheme, codes in groups.values():
        check_scheme(scheme)
        nodes = list(scheme.indicators.all())
        leaves = [n for n in nodes if not any(c.parent_id == n.pk for c in nodes)]
        leaf_scores: dict[int, dict[str, Decimal]] = {}
        for leaf in leaves:
            if leaf.provider:
                provider = indicator(leaf.provider)
                assert provider is not None
                leaf_scores[leaf.pk] = provider.compute(year, codes, level)
            else:
                leaf_scores[leaf.pk] = dict(EnteredScore.objects_unscoped.filter(
                    indicator=leaf, subject_id__in=codes).values_list("subject_id", "score"))
        for code in codes:
            total, scores = tree_total(nodes, {pk: values.get(code, Decimal(0)) for pk, values in leaf_scores.items()})
            results.append(AssessmentResult(year=year, scheme=scheme, subject_id=code, total=total, scores=scores,
                                            rank=0, grade=_grade(total, scheme)))
    return results


def _rank(year: int, region_code: str) -> None:
    """Rank results within each county and level, best first (ties share a rank)."""
    # Whole counties are ranked, even when only part of one was assessed.
    area = prefix_of(region_code)[:6]
    rows = AssessmentResult.objects_unscoped.filter(year=year, subject__code__within=area).values_list(
        "pk", "subject_id", "total")
    groups: dict[tuple[str, int], list[tuple[int, Decimal]]] = defaultdict(list)
    for pk, subject, total in rows:
        groups[(subject[:6], level_of(subject))].append((pk, total))
    updates = []
    for members in groups.values():
        members.sort(key=lambda m: m[1], reverse=True)
        rank, previous = 0, None
        for position, (pk, total) in enumerate(members, start=1):
            if total != previous:
                rank, previous = position, total
            updates.append(AssessmentResult(pk=pk, rank=rank))
    AssessmentResult.objects_unscoped.bulk_update(updates, ["rank"], batch_size=2000)


def set_status(*, actor: Any, year: int, region_code: str, to: str) -> int:
    """确认 (draft → confirmed) or 锁定 (confirmed → locked) the results in the region; returns the count."""
    require_perm(actor, Perm.RUN_SPOT_CHECKS)
    sources: dict[str, str] = {ResultStatus.CONFIRMED: ResultStatus.DRAFT, ResultStatus.LOCKED: ResultStatus.CONFIRMED}
    source = sources.get(to)
    if source is None:
        raise DomainError("只能确认或锁定考核结果", code="bad_status")
    region = get_for_user(Region, actor, code=region_code)
    with transaction.atomic(durable=True):
        changed = narrowed(scoped(AssessmentResult, actor), region.code).filter(year=year, status=source).update(
            status=to)
        record(actor=actor, action=Action.UPDATE, object_type="assessment", region_code=region.code,
               summary=f"{year}年度考核结果{dict(ResultStatus.choices)[to]}：{region.name} {changed} 个")
    return changed


def county_rollup(user: Any, *, year: int) -> list[dict[str, Any]]:
    """The yearly special 五在村 assessment per county: the mean of its villages' and townships' totals."""
    from django.db.models.functions import Substr

    rows = (
        scoped(AssessmentResult, user).filter(year=year).annotate(county=Substr("subject_id", 1, 6))
        .values("county").annotate(mean=Avg("total"), subjects=Count("id")).order_by("-mean")
    )
    names = dict(scoped(Region, user).filter(level=3).values_list("code", "name"))
    return [{"county": r["county"], "name": names.get(r["county"].ljust(12, "0"), r["county"]),
             "mean": Decimal(r["mean"]).quantize(Decimal("0.01")), "subjects": r["subjects"], "rank": i}
            for i, r in enumerate(rows, start=1)]


def update_weights(*, actor: Any, scheme_id: int, weights: dict[int, Decimal]) -> AssessmentScheme:
    """Change a scheme's weights (siblings must still sum to 100); results not yet confirmed follow on the
    next run. The city's default scheme needs CONFIGURE_RULES; a county's variant, a county administrator."""
    scheme = AssessmentScheme.objects_unscoped.filter(pk=scheme_id).select_related("county").first()
    if scheme is None:
        raise DomainError("指标体系不存在", code="not_found")
    if scheme.county_id is None:
        require_perm(actor, Perm.CONFIGURE_RULES)
    else:
        require_perm(actor, Perm.RUN_SPOT_CHECKS)
        get_for_user(Region, actor, code=scheme.county_id)
    with transaction.atomic(durable=True):
        nodes = {n.pk: n for n in Indicator.objects_unscoped.select_for_update().filter(scheme=scheme)}
        changes = {}
        for pk, weight in weights.items():
            if pk not in nodes:
                raise DomainError("指标不属于该指标体系", field="权重")
            if WEIGHT_RANGE.problem(weight):
                raise DomainError(f"“{nodes[pk].title}”的权重应在 0–100 之间", field="权重")
            weight = WEIGHT_RANGE.check(weight)
            if nodes[pk].weight != weight:
                changes[nodes[pk].code] = [str(nodes[pk].weight), str(weight)]
                nodes[pk].weight = weight
        groups: dict[int | None, list[tuple[str, Decimal]]] = defaultdict(list)
        for node in nodes.values():
            groups[node.parent_id].append((node.title, node.weight))
        for siblings in groups.values():
            if problem := weight_problems(siblings):
                raise DomainError(problem, field="权重")
        Indicator.objects_unscoped.bulk_update(list(nodes.values()), ["weight"])
        record(actor=actor, action=Action.UPDATE, object_type="assessment_scheme", object_id=scheme.pk,
               region_code=scheme.county_id or "", summary=f"修改{scheme.name}的权重", changes=changes)
    return scheme


def create_county_variant(*, actor: Any, year: int, level: int, county_code: str) -> AssessmentScheme:
    """A county's own variant of the year's scheme (各县分别制定), starting from the default tree."""
    require_perm(actor, Perm.RUN_SPOT_CHECKS)
    county = get_for_user(Region, actor, code=county_code)
    if county.level != 3:
        raise DomainError("县级变体须建立在县（市、区）", field="区划代码")
    with transaction.atomic(durable=True):
        scheme = ensure_scheme(year=year, level=level, county=county)
        scheme.name = f"{county.name}{year}年度{dict(SubjectLevel.choices)[level]}“五在村”考核指标体系"
        scheme.save(update_fields=["name"])
        record(actor=actor, action=Action.CREATE, object_type="assessment_scheme", object_id=scheme.pk,
               region_code=county.code, summary=f"建立{scheme.name}")
    return scheme
