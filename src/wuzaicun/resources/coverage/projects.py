"""Coverage rule of 整合项目: `project_no_village`, a project of the year with no implementing village yet
(村级实施: a project planned by the county and managed by a township is carried out by a village)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.responsibility.coverage import SubjectKind, register_rule
from wuzaicun.responsibility.rules import EffectiveRule, Gap, RuleSpec

from ..models.projects import Project


def check_no_village(user: Any, year: int, region: str | None, rule: EffectiveRule,
                     due: dt.date) -> tuple[int, Iterator[Gap]]:
    projects = narrowed(scoped(Project, user), region).filter(year=year)
    missing = (projects.filter(village__isnull=True)
               .values_list("pk", "region_id", "name", "county__name", "township__name").order_by("pk"))

    def gaps() -> Iterator[Gap]:
        for pk, region_code, name, county, township in missing.iterator(chunk_size=5000):
            where = f"{county}{township or ''}"
            yield Gap("project_no_village", "project", str(pk), region_code,
                      f"{where}“{name}”尚未落实到实施村（县级统筹、乡镇管理、村级实施）")

    return projects.count(), gaps()


def _link(gap: Gap, year: int) -> str:
    from django.urls import reverse

    return reverse("resources:project", args=[int(gap.subject_id)])


register_rule(RuleSpec("project_no_village", "整合项目都落实到实施村", "project"), check_no_village,
              subjects={"project": SubjectKind("整合项目", _link)})
