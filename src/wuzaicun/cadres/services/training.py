"""Writes of 干部培训: sessions (create, update, delete) and their attendance (add several people, remove one).

Each write is one transaction with its audit row; sessions, regions and people are found through `scoped` (out of
scope answers as missing). A city session is held by a city, a county session by a county (rules/training.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, models, transaction

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import diff, record
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.regions.models import Region
from wuzaicun.registry.models import Person

from ..models.training import Attendance, TrainingSession
from ..rules.training import level_region_problem, ordered_groups, session_problems

SESSION_FIELDS = ("name", "level", "region_id", "organiser", "topic", "start", "end", "year", "target_groups")


def _region(actor: Any, code: str) -> Region:
    try:
        return get_for_user(Region, actor, code=code)
    except NotFound:
        raise DomainError(f"举办区划“{code}”不存在或不在您的管辖范围内", field="举办区划", code="not_found") from None


def _locked_session(actor: Any, session_id: int) -> TrainingSession:
    try:
        return scoped(TrainingSession, actor).select_related("region").select_for_update(of=("self",)).get(
            pk=session_id)
    except (models.ObjectDoesNotExist, ValueError, OverflowError):
        raise NotFound() from None


def save_session(
    *,
    actor: Any,
    session_id: int | None = None,
    name: str,
    level: str,
    region_code: str,
    organiser: str,
    topic: str,
    start: dt.date,
    end: dt.date,
    target_groups: Sequence[str],
) -> TrainingSession:
    """Create a session, or update one: a city session held by a city, a county one by a county; end ≥ start."""
    require_perm(actor, Perm.EDIT_CADRES)
    name, organiser, topic = name.strip(), organiser.strip(), topic.strip()
    for column, message in session_problems(name=name, organiser=organiser, topic=topic, start=start, end=end,
                                            target_groups=target_groups):
        raise DomainError(message, field=column)
    region = _region(actor, region_code)
    if problem := level_region_problem(level=level, region_level=region.level):
        raise DomainError(problem, field="举办区划" if level in ("city", "county") else "层级")
    values: dict[str, Any] = {"name": name, "level": level, "region_id": region.code, "organiser": organiser,
                              "topic": topic, "start": start, "end": end, "year": start.year,
                              "target_groups": ordered_groups(target_groups)}
    duplicate = DomainError(f"{region.name}{start.year}年已有名为“{name}”的培训班", field="培训班名称",
                            code="duplicate")
    if scoped(TrainingSession, actor).filter(region_id=region.code, name=name, year=start.year).exclude(
            pk=session_id or 0).exists():
        raise duplicate
    try:
        with transaction.atomic(durable=True):
            if session_id is None:
                session = TrainingSession(**values)
                session.save()
                record(actor=actor, action=Action.CREATE, object_type="training_session", object_id=session.pk,
                       region_code=region.code, summary=f"新增培训班 {name}", changes=diff({}, values))
                return session
            session = _locked_session(actor, session_id)
            old = {k: getattr(session, k) for k in SESSION_FIELDS}
            for key, value in values.items():
                setattr(session, key, value)
            session.save(update_fields=list(SESSION_FIELDS))
            record(actor=actor, action=Action.UPDATE, object_type="training_session", object_id=session.pk,
                   region_code=region.code, summary=f"修改培训班 {name}", changes=diff(old, values))
            return session
    except IntegrityError:
        raise duplicate from None


def delete_session(*, actor: Any, session_id: int) -> None:
    """Delete a session with its attendance (one audit row saying how many person-times went with it)."""
    require_perm(actor, Perm.EDIT_CADRES)
    with transaction.atomic(durable=True):
        session = _locked_session(actor, session_id)
        attendees = session.attendance.count()
        session.attendance.all().delete()
        session.delete()
        record(actor=actor, action=Action.DELETE, object_type="training_session", object_id=session_id,
               region_code=session.region_id, summary=f"删除培训班 {session.name}（{attendees} 人次参训记录）")


def add_attendees(*, actor: Any, session_id: int, person_ids: Sequence[int]) -> int:
    """Add people (in scope) to a session's attendance, all or nothing; anybody already on it is refused by
    name. Returns how many were added."""
    require_perm(actor, Perm.EDIT_CADRES)
    wanted = list(dict.fromkeys(person_ids))
    if not wanted:
        raise DomainError("请选择参训人员", field="参训人员")
    people = {p.pk: p for p in scoped(Person, actor).filter(pk__in=wanted).only("pk", "name", "region_id")}
    if any(pk not in people for pk in wanted):
        raise DomainError("所选人员不存在或不在您的管辖范围内", field="参训人员", code="not_found")
    with transaction.atomic(durable=True):
        session = _locked_session(actor, session_id)
        present = set(session.attendance.filter(person_id__in=wanted).values_list("person_id", flat=True))
        if present:
            names = "、".join(people[pk].name for pk in wanted if pk in present)
            raise DomainError(f"{names}已在“{session.name}”的参训名单中，不能重复登记", field="参训人员",
                              code="duplicate")
        session.attendance.bulk_create([Attendance(session=session, person_id=pk) for pk in wanted])
        record(actor=actor, action=Action.UPDATE, object_type="training_session", object_id=session.pk,
               region_code=session.region_id, summary=f"{session.name}登记参训 {len(wanted)} 人",
               changes={"attendees_added": [None, [people[pk].name for pk in wanted]]})
        return len(wanted)


def remove_attendee(*, actor: Any, session_id: int, person_id: int) -> None:
    require_perm(actor, Perm.EDIT_CADRES)
    with transaction.atomic(durable=True):
        session = _locked_session(actor, session_id)
        row = session.attendance.select_related("person").filter(person_id=person_id).first()
        if row is None:
            raise NotFound("该人员不在本培训班的参训名单中")
        row.delete()
        record(actor=actor, action=Action.UPDATE, object_type="training_session", object_id=session.pk,
               region_code=session.region_id, summary=f"{session.name}移出参训人员 {row.person.name}",
               changes={"attendees_removed": [row.person.name, None]})
