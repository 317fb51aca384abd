"""A cadre's page (干部在村成长记录): one person's records over the years, each section one scoped query.

The person is found through `registry.selectors.get_person_for_user` (scope by the person's region, 404
otherwise). Each section is then read through `scoped(...)` on its own model, so a record concerning a
village outside the user's scope is not shown even on an in-scope person's page. Spot-check findings come
only from revealed plans (closed or voided): a secret sample is never shown through the back door.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q

from wuzaicun.accounts.scope import scoped
from wuzaicun.registry.models import Person
from wuzaicun.registry.selectors import get_person_for_user
from wuzaicun.responsibility.ledger_selectors import visits_for
from wuzaicun.responsibility.models import LedgerLine
from wuzaicun.verification.models import REVEALED_STATUSES, Finding

from ..models.dispatch import Dispatch, Placement, WorkingGroup
from ..models.grading import CadreGrade, CadreIndicator, CadreOutcome
from ..models.talents import ProjectRole, ProjectSecretary, SecretaryProject, Talent, TalentVillage
from ..models.training import Attendance
from .talents import count_of

VISITS_SHOWN = 50  # the latest household visits shown; the count says how many there are


@dataclass
class CadreRecord:
    person: Person
    dispatches: list[Dispatch]
    groups: list[WorkingGroup]
    placements: list[Placement]
    talents: Sequence[Talent]
    secretaries: Sequence[ProjectSecretary]
    attendances: list[Attendance]
    ledger_lines: list[LedgerLine]
    visits: list[Any]
    visit_count: int
    findings: list[Finding]
    grades: list[dict[str, Any]]
    outcomes: list[CadreOutcome]

    @property
    def years(self) -> list[int]:
        """Every year some section has a record in, newest first (the page's summary line)."""
        found: set[int] = set()
        found.update(d.start.year for d in self.dispatches)
        found.update(t.year for t in self.talents)
        found.update(s.year for s in self.secretaries)
        found.update(a.session.year for a in self.attendances)
        found.update(line.year for line in self.ledger_lines)
        found.update(g["grade"].year for g in self.grades)
        return sorted(found, reverse=True)


def _grades(user: Any, person: Person) -> list[dict[str, Any]]:
    """The person's grades, each score named by its indicator's title (configuration, one query)."""
    grades = list(scoped(CadreGrade, user).filter(person=person).select_related("region").order_by("-year", "role"))
    keys = {(g.year, g.role) for g in grades}
    titles: dict[tuple[int, str, str], str] = {}
    if keys:
        condition = Q()
        for year, role in keys:
            condition |= Q(year=year, role=role)
        titles = {(y, r, c): t for y, r, c, t in
                  CadreIndicator.objects_unscoped.filter(condition).values_list("year", "role", "code", "title")}
    return [{"grade": g,
             "scores": [(titles.get((g.year, g.role, code), "已删除的指标"), value)
                        for code, value in sorted((g.scores or {}).items())],
             "missing": [titles.get((g.year, g.role, code), "已删除的指标") for code in g.missing or []]}
            for g in grades]


def cadre_record(user: Any, person_id: int) -> CadreRecord:
    """Everything about one cadre in the user's scope: a fixed number of queries, whatever the years."""
    person = get_person_for_user(user, person_id)
    dispatches = list(scoped(Dispatch, user).filter(person=person)
                      .select_related("unit", "village", "village__parent", "group").order_by("-start", "-id"))
    groups = list(scoped(WorkingGroup, user).filter(Q(leader=person) | Q(dispatches__person=person)).distinct()
                  .select_related("unit", "village", "village__parent", "leader").order_by("-start", "-id"))
    placements = list(scoped(Placement, user).filter(person=person).select_related("region").order_by("-start", "-id"))
    villages = scoped(TalentVillage, user).filter(talent=OuterRef("pk"))
    talents = list(scoped(Talent, user).filter(person=person).select_related("region")
                   .annotate(village_count=count_of(villages, "talent")).order_by("-year"))
    projects = scoped(SecretaryProject, user).filter(secretary=OuterRef("pk"))
    secretaries = list(scoped(ProjectSecretary, user).filter(person=person).select_related("region")
                       .annotate(led=count_of(projects.filter(role=ProjectRole.LEAD), "secretary"),
                                 driven=count_of(projects.filter(role=ProjectRole.DRIVE), "secretary"))
                       .order_by("-year"))
    attendances = list(scoped(Attendance, user).filter(person=person).select_related("session")
                       .order_by("-session__start", "-id"))
    lines = list(scoped(LedgerLine, user).filter(assignment__person=person)
                 .select_related("assignment", "assignment__village").order_by("-year", "assignment__kind", "id"))
    visits_qs = visits_for(user, person_id=person.pk)
    visits = list(visits_qs.select_related("household", "household__region")[:VISITS_SHOWN])
    visit_count = len(visits) if len(visits) < VISITS_SHOWN else visits_qs.count()
    findings = list(scoped(Finding, user).filter(pick__assignment__person=person,
                                                 pick__plan__status__in=REVEALED_STATUSES)
                    .select_related("pick__plan", "pick__assignment", "pick__assignment__village")
                    .order_by("-visited_on", "-id"))
    outcomes = list(scoped(CadreOutcome, user).filter(grade__person=person).select_related("grade")
                    .order_by("-grade__year", "-id"))
    return CadreRecord(person=person, dispatches=dispatches, groups=groups, placements=placements, talents=talents,
                       secretaries=secretaries, attendances=attendances, ledger_lines=lines, visits=visits,
                       visit_count=visit_count, findings=findings, grades=_grades(user, person), outcomes=outcomes)

