"""三个全覆盖 in `wuzaicun coverage`: every poor, weak-organisation and ethnic-minority village has an active
驻村工作组, and every poor or weak-organisation village an active 第一书记, on the checked day.

The checked day is `rules.dispatch.checked_day` (D-A1): the year's last day once the year is over, today
while it runs; `due` (the lists' deadline) is not used. A poor village that has exited (出列) by that day
is no longer checked (D-A4). One query per rule: the village facts of the year with an `Exists` flag, the
subjects counted and the gaps taken from the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.regions.models import VillageYear
from wuzaicun.responsibility.coverage import SubjectKind, register_rule
from wuzaicun.responsibility.rules import EffectiveRule, Gap, RuleSpec

from ..models.dispatch import Dispatch, DispatchKind, WorkingGroup
from ..rules.dispatch import checked_day
from ..selectors.dispatch import active_on

SUBJECT = "village_dispatch"
SUBJECT_SECRETARY = "village_secretary"


def _not_exited(day: dt.date) -> Q:
    return Q(exit_year__isnull=True) | Q(exit_year__gt=day.year)


def _poor(day: dt.date) -> Q:
    return Q(is_poor=True) & _not_exited(day)


SPECS: dict[str, tuple[RuleSpec, Callable[[dt.date], Q], str, str]] = {
    "village_group_poor": (RuleSpec("village_group_poor", "每个贫困村都有驻村工作组（三个全覆盖）", SUBJECT),
                           _poor, "贫困村", "驻村工作组"),
    "village_group_weak": (RuleSpec("village_group_weak", "每个软弱涣散村都有驻村工作组（三个全覆盖）", SUBJECT),
                           lambda day: Q(is_weak_organisation=True), "软弱涣散村", "驻村工作组"),
    "village_group_ethnic": (RuleSpec("village_group_ethnic", "每个少数民族村都有驻村工作组（三个全覆盖）", SUBJECT),
                             lambda day: Q(is_ethnic_minority=True), "少数民族村", "驻村工作组"),
    "village_first_secretary": (
        RuleSpec("village_first_secretary", "每个贫困村、软弱涣散村都有第一书记", SUBJECT_SECRETARY),
        lambda day: _poor(day) | Q(is_weak_organisation=True), "", "第一书记"),
}


def _covered(code: str, user: Any, day: dt.date) -> Exists:
    if code == "village_first_secretary":
        inner: Any = scoped(Dispatch, user).filter(active_on(day), kind=DispatchKind.FIRST_SECRETARY)
    else:
        inner = scoped(WorkingGroup, user).filter(active_on(day))
    return Exists(inner.filter(village_id=OuterRef("village_id")))


def _check(code: str) -> Any:
    spec, subjects, label, missing = SPECS[code]

    def check(user: Any, year: int, region: str | None, rule: EffectiveRule,
              due: dt.date) -> tuple[int, Iterator[Gap]]:
        day = checked_day(year, timezone.localdate())
        rows = list(narrowed(scoped(VillageYear, user), region).filter(year=year).filter(subjects(day))
                    .annotate(covered=_covered(code, user, day))
                    .values_list("village_id", "village__name", "covered", "is_poor", "exit_year")
                    .order_by("village_id"))

        def gaps() -> Iterator[Gap]:
            for village, name, covered, poor, exit_year in rows:
                if covered:
                    continue
                kind = label or ("贫困村" if poor and (exit_year is None or exit_year > day.year) else "软弱涣散村")
                yield Gap(code, spec.subject_type, village, village,
                          f"{kind}“{name}”在{day.isoformat()}没有在岗的{missing}")

        return len(rows), gaps()

    return check


def _link(name: str) -> Callable[[Gap, int], str]:
    def link(gap: Gap, year: int) -> str:
        from django.urls import reverse

        return f"{reverse(name)}?village={gap.subject_id}"

    return link


_SUBJECTS = {SUBJECT: SubjectKind("村", _link("cadres:group_new"), perm="edit_cadres"),
             SUBJECT_SECRETARY: SubjectKind("村", _link("cadres:dispatch_new"), perm="edit_cadres")}
for _code, (_spec, *_rest) in SPECS.items():
    register_rule(_spec, _check(_code), subjects=_SUBJECTS)
