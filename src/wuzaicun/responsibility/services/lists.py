"""Writes for the lists: the year and its rules, entries of the five lists (one transaction each, audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import diff, record
from wuzaicun.core.errors import Conflict, DomainError, PermissionDenied
from wuzaicun.regions.codes import level_of
from wuzaicun.regions.models import Region, VillageYear
from wuzaicun.registry.models import Household, LeadershipTeam, Person

from ..duties import GoalKind, ListKind, StationedPost
from ..models import Assignment, AssignmentHousehold, ResponsibilityYear, RuleSetting
from ..rules import RULES_BY_CODE, all_rules, entry_problems
from .helper_counts import recount_helpers


def _require_whole_year(actor: Any, year: int) -> None:
    """A year's due date and rules apply to all of that year's villages: only an administrator whose scope
    holds every one of them may set them (a city administrator of a one-city system; else the province)."""
    prefix = getattr(actor, "scope_prefix", None)
    if prefix is None:
        raise PermissionDenied()
    outside = VillageYear.objects_unscoped.filter(year=year).exclude(village__code__within=prefix)
    if prefix != "" and outside.exists():
        raise PermissionDenied("本年度的清单规则适用于您管辖范围以外的地区，须由上级管理员设置")


def open_year(*, actor: Any, year: int, due: dt.date | None = None) -> ResponsibilityYear:
    """Set up a year of lists with the seed's default rules (idempotent; changes the due date if given)."""
    require_perm(actor, Perm.CONFIGURE_RULES)
    _require_whole_year(actor, year)
    with transaction.atomic():
        entry, created = ResponsibilityYear.objects_unscoped.get_or_create(
            year=year, defaults={"due_date": due or ResponsibilityYear.default_due_date(year)}
        )
        if created:
            RuleSetting.objects_unscoped.bulk_create(
                [RuleSetting(year=entry, code=r.code, enabled=True, threshold=r.default_threshold) for r in all_rules()]
            )
            record(actor=actor, action=Action.CREATE, object_type="responsibility_year", object_id=year,
                   summary=f"设立{year}年度责任清单，截止日期 {entry.due_date}")
        elif due is not None and due != entry.due_date:
            old = entry.due_date
            entry.due_date = due
            entry.save(update_fields=["due_date"])
            record(actor=actor, action=Action.UPDATE, object_type="responsibility_year", object_id=year,
                   summary=f"修改{year}年度清单截止日期", changes={"due_date": [str(old), str(due)]})
    return entry


def set_working_year(*, actor: Any, year: int) -> ResponsibilityYear:
    """Make `year` the working year that pages and commands open on (市级管理员, e.g. early in a new year
    while last year's ledger is still being closed)."""
    require_perm(actor, Perm.CONFIGURE_RULES)
    _require_whole_year(actor, year)
    with transaction.atomic(durable=True):
        target = ResponsibilityYear.objects_unscoped.select_for_update().filter(year=year).first()
        if target is None:
            raise DomainError(f"{year}年度尚未设立责任清单，请先设立", field="年度", code="no_year")
        old = ResponsibilityYear.objects_unscoped.filter(is_working=True).exclude(pk=target.pk)
        previous = list(old.values_list("year", flat=True))
        old.update(is_working=False)
        if not target.is_working:
            target.is_working = True
            target.save(update_fields=["is_working"])
            record(actor=actor, action=Action.UPDATE, object_type="responsibility_year", object_id=year,
                   summary=f"设{year}年为工作年度", changes={"工作年度": [previous[0] if previous else None, year]})
    return target


def update_rule(
    *, actor: Any, year: int, code: str, enabled: bool, threshold: int | None, expected_version: int | None = None
) -> RuleSetting:
    """Switch a rule on or off, or change its threshold; audited, refused when stale."""
    require_perm(actor, Perm.CONFIGURE_RULES)
    _require_whole_year(actor, year)
    spec = RULES_BY_CODE.get(code)
    if spec is None:
        raise DomainError(f"未知的规则代码“{code}”", field="规则代码")
    if spec.default_threshold is None and threshold is not None:
        raise DomainError(f"规则“{spec.title}”没有阈值", field="阈值")
    if threshold is not None and not 1 <= threshold <= 100:
        raise DomainError("阈值须在 1–100 之间", field="阈值")
    with transaction.atomic(durable=True):
        setting = RuleSetting.objects_unscoped.select_for_update().filter(year__year=year, code=code).first()
        if setting is None:  # a rule a mechanism registered after the year was opened (D24) runs on its defaults
            entry = ResponsibilityYear.objects_unscoped.filter(year=year).first()
            if entry is None:
                raise DomainError(f"{year}年度尚未设立责任清单", code="year_not_open")
            setting = RuleSetting.objects_unscoped.create(year=entry, code=code, enabled=True,
                                                          threshold=spec.default_threshold)
        if expected_version is not None and setting.version != expected_version:
            raise Conflict()
        old = {"enabled": setting.enabled, "threshold": setting.threshold}
        kept_threshold = threshold if spec.default_threshold is not None else None
        new = {"enabled": enabled, "threshold": kept_threshold}
        setting.enabled, setting.threshold = enabled, kept_threshold
        setting.version += 1
        setting.save(update_fields=["enabled", "threshold", "version"])
        record(actor=actor, action=Action.UPDATE, object_type="rule_setting", object_id=setting.pk,
               summary=f"修改{year}年度规则：{spec.title}", changes=diff(old, new))
    return setting


def _resolve_households(actor: Any, ids: list[int]) -> list[Household]:
    found = list(scoped(Household, actor).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError("帮扶户不存在或不在您的管辖范围内", field="帮扶户")
    return found


def create_entry(
    *,
    actor: Any,
    year: int,
    kind: str,
    village_code: str,
    person_id: int | None = None,
    team_id: int | None = None,
    household_ids: list[int] | None = None,
    duties: list[str],
    goal: str = "",
    goal_kind: str = "",
    stationed_post: str = "",
) -> Assignment:
    """Add an entry to one of the five lists, with the checks the lists require."""
    require_perm(actor, Perm.EDIT_LISTS)
    if kind not in ListKind.values:
        raise DomainError(f"清单类型“{kind}”无效", field="清单类型")
    get_for_user(Region, actor, code=village_code)
    if goal_kind not in GoalKind.values:
        raise DomainError(f"目标类型“{goal_kind}”无效", field="目标类型")
    if stationed_post and stationed_post not in StationedPost.values:
        raise DomainError(f"驻村身份“{stationed_post}”无效，应为第一书记或驻村干部", field="驻村身份")
    if len(goal) > 300:
        raise DomainError("目标不能超过300字", field="目标")
    if not ResponsibilityYear.objects_unscoped.filter(year=year).exists():
        raise DomainError(f"{year}年度尚未设立责任清单，请联系市级管理员", code="year_not_open")
    person = get_for_user(Person, actor, pk=person_id) if person_id else None
    team = get_for_user(LeadershipTeam, actor, pk=team_id) if team_id else None
    households = _resolve_households(actor, household_ids or [])
    for field, reason in entry_problems(
        kind=kind, has_person=person is not None, has_team=team is not None,
        person_rank=person.rank if person else "", person_is_party_member=bool(person and person.is_party_member),
        village_level=level_of(village_code), household_statuses=[h.status for h in households],
        households_in_village=all(h.region_id == village_code for h in households), duties=duties,
    ):
        raise DomainError(f"{field}：{reason}", field=field)
    if person is not None and team is not None:
        raise DomainError("责任人与责任主体只能填一个", field="责任主体")
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                entry = Assignment.objects_unscoped.create(
                    year=year, kind=kind, person=person, team=team, village_id=village_code, duties=duties,
                    goal=goal.strip(), goal_kind=goal_kind, stationed_post=stationed_post,
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError:
            raise DomainError("清单中已有相同的条目（同一年度、类型、责任人、村）", code="duplicate") from None
        AssignmentHousehold.objects_unscoped.bulk_create(
            [AssignmentHousehold(assignment=entry, household=h) for h in households]
        )
        if kind == ListKind.HELPER:
            recount_helpers([h.pk for h in households], year=year)
        who = person.name if person else (team.name if team else "")
        record(actor=actor, action=Action.CREATE, object_type="assignment", object_id=entry.pk,
               region_code=village_code, summary=f"新增{ListKind(kind).label}清单：{who}",
               changes={"duties": [None, "、".join(duties)], "households": [None, len(households)]})
    return entry


def delete_entry(*, actor: Any, entry_id: int) -> None:
    require_perm(actor, Perm.EDIT_LISTS)
    with transaction.atomic(durable=True):
        entry = get_for_user(Assignment, actor, pk=entry_id)
        record(actor=actor, action=Action.DELETE, object_type="assignment", object_id=entry.pk,
               region_code=entry.village_id, summary=f"删除{entry.get_kind_display()}清单条目")
        helped = list(AssignmentHousehold.objects_unscoped.filter(assignment=entry).values_list("household_id", flat=True))
        try:
            with transaction.atomic():
                entry.delete()
        except ProtectedError as exc:
            # Every entry of a frozen spot-check population answers alike, whether or not it was picked.
            if any(obj._meta.app_label == "verification" for obj in exc.protected_objects):
                raise DomainError("该清单条目已列入季度抽查的冻结总体，不能删除", code="in_use") from None
            raise DomainError("该清单条目已有责任台账，不能删除", code="in_use") from None
        if entry.kind == ListKind.HELPER:
            recount_helpers(helped, year=entry.year)


def update_entry(
    *,
    actor: Any,
    entry_id: int,
    expected_version: int,
    household_ids: list[int],
    duties: list[str],
    goal: str,
    goal_kind: str,
    stationed_post: str,
) -> Assignment:
    """Change an entry's households, duties and goal (who and where stay: that is another entry)."""
    require_perm(actor, Perm.EDIT_LISTS)
    if goal_kind not in GoalKind.values:
        raise DomainError(f"目标类型“{goal_kind}”无效", field="目标类型")
    if stationed_post and stationed_post not in StationedPost.values:
        raise DomainError(f"驻村身份“{stationed_post}”无效，应为第一书记或驻村干部", field="驻村身份")
    with transaction.atomic(durable=True):
        get_for_user(Assignment, actor, pk=entry_id)
        entry = Assignment.objects_unscoped.select_for_update(of=("self",)).select_related("person").get(pk=entry_id)
        if entry.version != expected_version:
            raise Conflict()
        households = _resolve_households(actor, household_ids)
        person = entry.person
        for field, reason in entry_problems(
            kind=entry.kind, has_person=person is not None, has_team=entry.team_id is not None,
            person_rank=person.rank if person else "", person_is_party_member=bool(person and person.is_party_member),
            village_level=5, household_statuses=[h.status for h in households],
            households_in_village=all(h.region_id == entry.village_id for h in households), duties=duties,
        ):
            raise DomainError(f"{field}：{reason}", field=field)
        before = set(AssignmentHousehold.objects_unscoped.filter(assignment=entry).values_list("household_id", flat=True))
        old = {"duties": "、".join(entry.duties), "goal": entry.goal, "goal_kind": entry.goal_kind,
               "stationed_post": entry.stationed_post, "households": len(before)}
        entry.duties, entry.goal, entry.goal_kind, entry.stationed_post = duties, goal.strip(), goal_kind, stationed_post
        entry.version += 1
        entry.save(update_fields=["duties", "goal", "goal_kind", "stationed_post", "version"])
        AssignmentHousehold.objects_unscoped.filter(assignment=entry).exclude(household__in=households).delete()
        kept = set(AssignmentHousehold.objects_unscoped.filter(assignment=entry).values_list("household_id", flat=True))
        AssignmentHousehold.objects_unscoped.bulk_create(
            [AssignmentHousehold(assignment=entry, household=h) for h in households if h.pk not in kept])
        if entry.kind == ListKind.HELPER:
            recount_helpers(before ^ {h.pk for h in households}, year=entry.year)
        new = {"duties": "、".join(duties), "goal": entry.goal, "goal_kind": goal_kind,
               "stationed_post": stationed_post, "households": len(households)}
        record(actor=actor, action=Action.UPDATE, object_type="assignment", object_id=entry.pk,
               region_code=entry.village_id, summary=f"修改{entry.get_kind_display()}清单条目", changes=diff(old, new))
    return entry
