"""The coverage report (见人、见村、见责任和全覆盖、无死角): every rule's checked count and its gaps.

One query per rule, whatever the size of the data: counts are aggregated in the database
(`Count(..., distinct=True, filter=...)`), and only the gaps come back as rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.core.db import roomy_queries
from wuzaicun.regions.codes import prefix_of
from wuzaicun.regions.models import Level
from wuzaicun.regions.selectors import regions_for, village_years_for
from wuzaicun.registry.selectors import households_for, people_for

from .duties import ListKind
from .models import Assignment
from .rules import RULES_BY_CODE, EffectiveRule, Gap, RuleSpec, effective_rules
from .selectors import due_date, rule_settings

VILLAGE_KIND_RULES = {
    "village_bangcun": (ListKind.TEAM, "领导班子帮村"),
    "village_liancun": (ListKind.LEADER, "领导干部联村"),
    "village_zhucun": (ListKind.STATIONED, "第一书记或驻村干部驻村"),
}


@dataclass
class CoverageReport:
    year: int
    region: str | None
    summary: dict[str, dict[str, int]] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "region": self.region, "summary": self.summary,
                "gaps": [gap.as_json() for gap in self.gaps]}


def coverage_report(user: Any, *, year: int, region: str | None = None) -> CoverageReport:
    """Every enabled rule checked over the user's scope (narrowed to `region`)."""
    report = CoverageReport(year=year, region=region)
    due = due_date(year)
    with roomy_queries():
        for rule in effective_rules(rule_settings(year)):
            check = CHECKS.get(rule.spec.code)
            if not rule.enabled or check is None:  # a seed rule whose mechanism is not installed
                continue
            checked, gaps = check(user, year, region, rule, due)
            found = list(gaps)
            report.summary[rule.spec.code] = {"checked": checked, "gaps": len(found)}
            report.gaps.extend(found)
    return report


def _entries(user: Any, year: int, region: str | None) -> QuerySet[Assignment]:
    return narrowed(scoped(Assignment, user), region).filter(year=year)


def _poor_villages(user: Any, year: int, region: str | None) -> Any:
    return narrowed(village_years_for(user, year=year), region).filter(is_poor=True)


def _village_rule(code: str) -> Any:
    kind, label = VILLAGE_KIND_RULES[code]

    def check(user: Any, year: int, region: str | None, rule: EffectiveRule, due: dt.date) -> tuple[int, Iterator[Gap]]:
        villages = _poor_villages(user, year, region)
        covered = scoped(Assignment, user).filter(year=year, kind=kind).values("village_id")
        missing = villages.exclude(village_id__in=covered).values_list("village_id", "village__name")

        def gaps() -> Iterator[Gap]:
            for code_, name in missing.order_by("village_id"):
                yield Gap(code, "village", code_, code_, f"贫困村“{name}”没有{label}清单")

        return villages.count(), gaps()

    return check


def _household_helpers(user: Any, year: int, region: str | None, rule: EffectiveRule, due: dt.date) -> tuple[int, Iterator[Gap]]:
    """Poor households with fewer than `minimum` distinct party-member helpers (助村) this year.

    Reads the counts every write of the links keeps (`HouseholdHelpers`, D23); a household without a
    count row has no helper at all. Counting from the links took 4.7 s at province scale."""
    minimum = rule.threshold or 3
    poor = narrowed(households_for(user), region).filter(status="未脱贫")
    # A left join on the unique (household, year) index: on SQLite 3× faster than NOT IN (the ids of the
    # households with enough helpers) at province scale, and 90× for one county.
    short = (
        poor.order_by().annotate(counted=FilteredRelation("helper_counts", condition=Q(helper_counts__year=year)))
        .annotate(helpers=Coalesce("counted__helpers", 0)).filter(helpers__lt=minimum)
        .values_list("pk", "region_id", "head_name", "resident_id_masked", "helpers").order_by("region_id", "pk")
    )

    def gaps() -> Iterator[Gap]:
        for pk, region_code, head, masked, count in short.iterator(chunk_size=5000):
            yield Gap("household_helpers_min3", "household", str(pk), region_code,
                      f"贫困户“{head}”（{masked}）有 {count} 名党员干部助村，少于 {minimum} 名")

    return poor.count(), gaps()


def _city_leaders(user: Any, year: int, region: str | None, rule: EffectiveRule, due: dt.date) -> tuple[int, Iterator[Gap]]:
    wanted = rule.threshold or 1
    leaders = narrowed(people_for(user), region).filter(rank="市级领导").filter(
        Q(post__contains="市委常委") | Q(post__contains="副市长")
    )
    packs = Q(assignments__year=year, assignments__kind=ListKind.LEADER,
              assignments__village__years__year=year, assignments__village__years__is_poor=True)
    rows = leaders.order_by().annotate(
        packed=Count("assignments__village", distinct=True, filter=packs),
        ready=Count("assignments__village", distinct=True, filter=packs & Q(
            assignments__village__years__exit_year=year) & ~Q(assignments__village__years__demonstration="")),
    ).exclude(packed=wanted, ready=wanted).values_list("pk", "region_id", "name", "post", "packed", "ready")

    def gaps() -> Iterator[Gap]:
        for pk, region_code, name, post, packed, _ready in rows.order_by("pk"):
            if packed != wanted:
                message = f"{post}{name}包保了 {packed} 个贫困村，应为 {wanted} 个"
            else:
                message = f"{post}{name}包保的贫困村未定为{year}年出列或不是示范点"
            yield Gap("city_leader_one_village", "person", str(pk), region_code, message)

    return leaders.count(), gaps()


def _leader_households(code: str, rank: str) -> Any:
    def check(user: Any, year: int, region: str | None, rule: EffectiveRule, due: dt.date) -> tuple[int, Iterator[Gap]]:
        minimum = rule.threshold or RULES_BY_CODE[code].default_threshold or 1
        stationed = scoped(Assignment, user).filter(year=year, kind=ListKind.STATIONED, person__isnull=False)
        leaders = narrowed(people_for(user), region).filter(rank=rank).exclude(
            pk__in=stationed.values("person_id")
        )
        rows = leaders.order_by().annotate(
            helped=Count("assignments__household_links__household", distinct=True, filter=Q(assignments__year=year))
        ).filter(helped__lt=minimum).values_list("pk", "region_id", "name", "helped")

        def gaps() -> Iterator[Gap]:
            for pk, region_code, name, helped in rows.order_by("pk"):
                yield Gap(code, "person", str(pk), region_code,
                          f"{rank}领导干部{name}帮助 {helped} 户贫困户，少于 {minimum} 户")

        return leaders.count(), gaps()

    return check


def _entry_rule(code: str, kinds: tuple[str, ...] | None, condition: Any, message: str) -> Any:
    def check(user: Any, year: int, region: str | None, rule: EffectiveRule, due: dt.date) -> tuple[int, Iterator[Gap]]:
        entries = _entries(user, year, region)
        if kinds is not None:
            entries = entries.filter(kind__in=kinds)
        bad = entries.filter(condition(due)).values_list("pk", "village_id", "kind", "village__name").order_by("pk")

        def gaps() -> Iterator[Gap]:
            labels = dict(ListKind.choices)  # not ListKind(kind) per row: a third of the rule at 140,000 entries
            for pk, village, kind, name in bad.iterator(chunk_size=5000):
                yield Gap(code, "assignment", str(pk), village,
                          message.format(kind=labels[kind], village=name, due=due))

        return entries.count(), gaps()

    return check


def _after(due: dt.date) -> Q:
    start = timezone.make_aware(dt.datetime.combine(due, dt.time.min))
    return Q(created_at__gte=start)


def _county_demonstrations(user: Any, year: int, region: str | None, rule: EffectiveRule, due: dt.date) -> tuple[int, Iterator[Gap]]:
    minimum = rule.threshold or 2
    counties = narrowed(regions_for(user), region).filter(level=Level.COUNTY)
    if region and len(prefix_of(region)) > 6:  # a township or village: its county is not checked here
        counties = counties.none()
    sites = dict(
        narrowed(village_years_for(user, year=year), region).exclude(demonstration="")
        .annotate(county=Substr("village_id", 1, 6)).values("county").annotate(n=Count("id"))
        .values_list("county", "n")
    )
    rows = list(counties.values_list("code", "name").order_by("code"))

    def gaps() -> Iterator[Gap]:
        for code, name in rows:
            count = sites.get(code[:6], 0)
            if count < minimum:
                yield Gap("county_demonstration_min2", "county", code, code,
                          f"{name}有 {count} 个“五在村”示范点，少于 {minimum} 个")

    return len(rows), gaps()


class Check(Protocol):
    """One rule's check: how many subjects it looked at, and the gaps (lazily, in a stable order)."""

    def __call__(self, user: Any, year: int, region: str | None, rule: EffectiveRule,
                 due: dt.date) -> tuple[int, Iterator[Gap]]: ...


CHECKS: dict[str, Check] = {
    "village_bangcun": _village_rule("village_bangcun"),
    "village_liancun": _village_rule("village_liancun"),
    "village_zhucun": _village_rule("village_zhucun"),
    "household_helpers_min3": _household_helpers,
    "city_leader_one_village": _city_leaders,
    "county_leader_min2_households": _leader_households("county_leader_min2_households", "县处级"),
    "township_leader_min1_household": _leader_households("township_leader_min1_household", "乡科级"),
    "zhucun_goal_industry": _entry_rule(
        "zhucun_goal_industry", (ListKind.STATIONED,), lambda due: Q(goal_kind=""),
        "{village}的{kind}清单没有发展产业或兴办实体的目标",
    ),
    # daicun_group_head (every 带村 能人党员 heads a 十户一体 group) is checked by the resources app, which holds
    # the groups: it registers its check under the seed's rule (resources/coverage/groups.py, D24).
    "assignment_duties": _entry_rule(
        "assignment_duties", None, lambda due: Q(duties=[]), "{village}的{kind}清单没有写明职责",
    ),
    "list_due_date": _entry_rule(
        "list_due_date", None, _after, "{village}的{kind}清单在截止日期 {due} 之后录入",
    ),
    "county_demonstration_min2": _county_demonstrations,
}


@dataclass(frozen=True)
class SubjectKind:
    """What a gap is about, as users read it, and where its page is (for a gap and the report's year)."""

    label: str
    link: Callable[[Gap, int], str] | None = None
    perm: str | None = None  # the permission the linked page needs: without it the gap is shown unlinked


def _url(name: str, *args: Any, query: str = "") -> str:
    from django.urls import reverse

    return reverse(name, args=args) + (f"?{query}" if query else "")


SUBJECTS: dict[str, SubjectKind] = {
    "village": SubjectKind("贫困村", lambda g, year: _url("responsibility:entries", query=f"year={year}&region={g.subject_id}")),
    "household": SubjectKind("贫困户", lambda g, year: _url("registry:household", int(g.subject_id))),
    "person": SubjectKind("责任人", lambda g, year: _url("responsibility:ledger_person", int(g.subject_id), query=f"year={year}")),
    "assignment": SubjectKind("清单条目", lambda g, year: _url("responsibility:entry_edit", int(g.subject_id)),
                              perm="edit_lists"),
    "county": SubjectKind("县（市、区）", lambda g, year: _url("responsibility:coverage_region", g.subject_id, query=f"year={year}")),
}


def register_rule(spec: RuleSpec, check: Check, *, subjects: dict[str, SubjectKind] | None = None) -> None:
    """Add a mechanism's rule to `wuzaicun coverage`, the coverage page and its export (same JSON shape).

    Called from the owning app's AppConfig.ready(): the lists never import the other mechanisms. A rule
    registered again (tests reload apps) replaces the earlier one."""
    RULES_BY_CODE[spec.code] = spec
    CHECKS[spec.code] = check
    for kind, subject in (subjects or {}).items():
        SUBJECTS[kind] = subject


def rule_title(code: str) -> str:
    spec = RULES_BY_CODE.get(code)
    return spec.title if spec else code


def subject_label(kind: str) -> str:
    subject = SUBJECTS.get(kind)
    return subject.label if subject else kind


def gap_rows(gaps: Sequence[Gap], *, year: int, user: Any = None) -> list[dict[str, Any]]:
    """One page of gaps as users read them: the rule's name, the subject's kind and where to open it,
    and the place by name (one query for the page's region names)."""
    from wuzaicun.regions.selectors import region_names

    names = region_names(g.region_code for g in gaps)
    rows = []
    for g in gaps:
        subject = SUBJECTS.get(g.subject_type)
        may_open = subject is not None and subject.link is not None and (
            subject.perm is None or user is None or user.can(subject.perm))
        rows.append({"rule": rule_title(g.rule), "subject": subject_label(g.subject_type),
                     "url": subject.link(g, year) if may_open and subject and subject.link else "",
                     "place": names.get(g.region_code, g.region_code), "message": g.message})
    return rows
