"""Writes of 选派: working groups, dispatches (ending one checks 群众不脱贫、干部不脱钩) and placements.

Each write is one durable transaction with its audit row; every target is looked up in the actor's scope
first, so a write outside it answers like a missing record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import diff, record
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.regions.models import Region
from wuzaicun.regions.selectors import get_region_for_user, get_village_for_user
from wuzaicun.registry.selectors import get_person_for_user

from ..models.dispatch import Dispatch, DispatchKind, Placement, PlacementKind, WorkingGroup
from ..rules.dispatch import (
    Candidate,
    dates_problem,
    handover_problem,
    placement_problem,
    successor_for,
)
from ..selectors.dispatch import (
    get_dispatch_for_user,
    get_group_for_user,
    get_unit_for_user,
    poor_townships,
    successor_candidates,
    village_facts,
)

POST_MAX = 100
NOTE_MAX = 200


def _dates(start: dt.date, end: dt.date | None, *, start_label: str = "开始日期", end_label: str = "结束日期") -> None:
    if problem := dates_problem(start, end, start_label=start_label, end_label=end_label):
        raise DomainError(problem[1], field=problem[0])


def _kind(kind: str) -> str:
    if kind not in DispatchKind.values:
        raise DomainError(f"“{kind}”不是选派类型（第一书记、驻村干部）", field="类型")
    return kind


def _group_in(actor: Any, group_id: int | None, village: Region) -> WorkingGroup | None:
    if group_id is None:
        return None
    group = get_group_for_user(actor, group_id)
    if group.village_id != village.code:
        raise DomainError(f"所选驻村工作组驻在{group.village.name}，不是{village.name}", field="驻村工作组")
    return group


# --- working groups ----------------------------------------------------------------------------------

def create_group(*, actor: Any, village_code: str, unit_id: int, start: dt.date, leader_id: int | None = None,
                 end: dt.date | None = None) -> WorkingGroup:
    require_perm(actor, Perm.EDIT_CADRES)
    village = get_village_for_user(actor, village_code)
    unit = get_unit_for_user(actor, unit_id)
    leader = get_person_for_user(actor, leader_id) if leader_id is not None else None
    _dates(start, end, start_label="进驻日期", end_label="撤离日期")
    with transaction.atomic(durable=True):
        group = WorkingGroup.objects_unscoped.create(village=village, unit=unit, leader=leader, start=start, end=end)
        record(actor=actor, action=Action.CREATE, object_type="working_group", object_id=group.pk,
               region_code=village.code, summary=f"组建{village.name}驻村工作组（{unit.name}派出）")
    return group


def update_group(*, actor: Any, group_id: int, unit_id: int, start: dt.date, leader_id: int | None = None,
                 end: dt.date | None = None) -> WorkingGroup:
    require_perm(actor, Perm.EDIT_CADRES)
    group = get_group_for_user(actor, group_id)
    unit = get_unit_for_user(actor, unit_id)
    leader = get_person_for_user(actor, leader_id) if leader_id is not None else None
    _dates(start, end, start_label="进驻日期", end_label="撤离日期")
    new = {"unit_id": unit.pk, "leader_id": leader.pk if leader else None, "start": start, "end": end}
    with transaction.atomic(durable=True):
        locked = WorkingGroup.objects_unscoped.select_for_update().get(pk=group.pk)
        changes = diff({k: getattr(locked, k) for k in new}, new)
        if changes:
            for key, value in new.items():
                setattr(locked, key, value)
            locked.save(update_fields=list(new))
            record(actor=actor, action=Action.UPDATE, object_type="working_group", object_id=group.pk,
                   region_code=group.village_id, summary=f"修改{group.village.name}驻村工作组", changes=changes)
    return locked


# --- dispatches --------------------------------------------------------------------------------------

def check_handover(actor: Any, *, village: Region, kind: str, start: dt.date, end: dt.date,
                   exclude: int | None, successor_id: int | None = None) -> Candidate | None:
    """The successor of a dispatch ending on `end`, or DomainError when 不脱钩 forbids the end. A chosen
    successor must qualify itself; otherwise the earliest qualifying dispatch is taken."""
    candidates = [c for c in successor_candidates(actor, [(village.code, kind)])[(village.code, kind)]
                  if c.key != exclude]
    if successor_id is not None:
        chosen = [c for c in candidates if c.key == successor_id]
        successor = successor_for(start=start, end=end, candidates=chosen)
        if successor is None:
            raise DomainError(f"所选接任选派不是{village.name}同类型、在{end.isoformat()}前到岗且之后仍在岗的选派",
                              field="接任选派")
    else:
        successor = successor_for(start=start, end=end, candidates=candidates)
    poor, exit_year = village_facts(actor, [village.code], end.year).get(village.code, (False, None))
    if problem := handover_problem(village_name=village.name, kind=kind, end=end, poor=poor, exit_year=exit_year,
                                   successor=successor):
        raise DomainError(problem, field="结束日期", code="handover")
    return successor


def create_dispatch(*, actor: Any, person_id: int, kind: str, unit_id: int, village_code: str, start: dt.date,
                    end: dt.date | None = None, group_id: int | None = None) -> Dispatch:
    require_perm(actor, Perm.EDIT_CADRES)
    person = get_person_for_user(actor, person_id)
    village = get_village_for_user(actor, village_code)
    unit = get_unit_for_user(actor, unit_id)
    _kind(kind)
    _dates(start, end)
    group = _group_in(actor, group_id, village)
    with transaction.atomic(durable=True):
        if Dispatch.objects_unscoped.filter(person=person, village=village, kind=kind, start=start).exists():
            raise DomainError(f"{person.name}已于{start.isoformat()}选派到{village.name}任{DispatchKind(kind).label}",
                              field="开始日期", code="duplicate")
        successor = check_handover(actor, village=village, kind=kind, start=start, end=end,
                                   exclude=None) if end is not None else None
        dispatch = Dispatch.objects_unscoped.create(
            person=person, kind=kind, unit=unit, village=village, group=group, start=start, end=end,
            successor_id=int(str(successor.key)) if successor else None)
        record(actor=actor, action=Action.CREATE, object_type="dispatch", object_id=dispatch.pk,
               region_code=village.code,
               summary=f"选派{person.name}到{village.name}任{DispatchKind(kind).label}（{unit.name}派出）")
    return dispatch


def update_dispatch(*, actor: Any, dispatch_id: int, kind: str, unit_id: int, start: dt.date,
                    end: dt.date | None = None, group_id: int | None = None,
                    successor_id: int | None = None) -> Dispatch:
    """Change a dispatch; a new or changed end date is checked against 不脱钩 as `end_dispatch` does."""
    require_perm(actor, Perm.EDIT_CADRES)
    dispatch = get_dispatch_for_user(actor, dispatch_id)
    unit = get_unit_for_user(actor, unit_id)
    _kind(kind)
    _dates(start, end)
    group = _group_in(actor, group_id, dispatch.village)
    with transaction.atomic(durable=True):
        locked = Dispatch.objects_unscoped.select_for_update().get(pk=dispatch.pk)
        successor_pk = locked.successor_id
        if end is None:
            successor_pk = None
        elif (end, kind, start) != (locked.end, locked.kind, locked.start) or successor_id is not None:
            successor = check_handover(actor, village=dispatch.village, kind=kind, start=start, end=end,
                                       exclude=locked.pk, successor_id=successor_id)
            successor_pk = int(str(successor.key)) if successor else None
        new = {"kind": kind, "unit_id": unit.pk, "start": start, "end": end, "group_id": group.pk if group else None,
               "successor_id": successor_pk}
        changes = diff({k: getattr(locked, k) for k in new}, new)
        if changes:
            if Dispatch.objects_unscoped.filter(person_id=locked.person_id, village_id=locked.village_id, kind=kind,
                                                start=start).exclude(pk=locked.pk).exists():
                raise DomainError(f"{dispatch.person.name}已有同日开始的同类型选派", field="开始日期", code="duplicate")
            for key, value in new.items():
                setattr(locked, key, value)
            locked.save(update_fields=list(new))
            record(actor=actor, action=Action.UPDATE, object_type="dispatch", object_id=locked.pk,
                   region_code=locked.village_id, summary=f"修改{dispatch.person.name}在{dispatch.village.name}的选派",
                   changes=changes)
    return locked


def end_dispatch(*, actor: Any, dispatch_id: int, end: dt.date, successor_id: int | None = None) -> Dispatch:
    """End a dispatch on `end`: refused while its village has not exited unless a successor of the same type
    is in post by then (群众不脱贫、干部不脱钩); the successor found (or chosen) is linked."""
    require_perm(actor, Perm.EDIT_CADRES)
    dispatch = get_dispatch_for_user(actor, dispatch_id)
    _dates(dispatch.start, end)
    with transaction.atomic(durable=True):
        locked = Dispatch.objects_unscoped.select_for_update().get(pk=dispatch.pk)
        successor = check_handover(actor, village=dispatch.village, kind=locked.kind, start=locked.start, end=end,
                                   exclude=locked.pk, successor_id=successor_id)
        old = {"end": locked.end, "successor_id": locked.successor_id}
        locked.end = end
        locked.successor_id = int(str(successor.key)) if successor else None
        locked.save(update_fields=["end", "successor"])
        record(actor=actor, action=Action.UPDATE, object_type="dispatch", object_id=locked.pk,
               region_code=locked.village_id,
               summary=f"结束{dispatch.person.name}在{dispatch.village.name}的选派（{end.isoformat()}）",
               changes=diff(old, {"end": end, "successor_id": locked.successor_id}))
    return locked


# --- placements (上管一级、后备干部) -------------------------------------------------------------------

def check_placement_region(actor: Any, region: Region, day: dt.date) -> None:
    township = region.code if region.level == 4 else ""
    counts = poor_townships(actor, [township], day.year) if township else {}
    poor, exit_year = (village_facts(actor, [region.code], day.year).get(region.code, (False, None))
                       if region.level == 5 else (False, None))
    unexited = poor and (exit_year is None or exit_year > day.year)
    if problem := placement_problem(region_name=region.name, level=region.level, poor_village=unexited,
                                    township_poor_villages=counts.get(township, 0)):
        raise DomainError(problem, field="乡镇或村")


def create_placement(*, actor: Any, person_id: int, kind: str, region_code: str, start: dt.date,
                     post: str = "", end: dt.date | None = None, note: str = "") -> Placement:
    require_perm(actor, Perm.EDIT_CADRES)
    person = get_person_for_user(actor, person_id)
    try:
        region = get_region_for_user(actor, region_code)
    except NotFound:
        raise NotFound(f"乡镇或村“{region_code}”不存在或不在您的管辖范围内") from None
    if kind not in PlacementKind.values:
        raise DomainError(f"“{kind}”不是安排类型（上管一级、后备干部）", field="类型")
    post, note = post.strip(), note.strip()
    if len(post) > POST_MAX or len(note) > NOTE_MAX:
        raise DomainError(f"任职岗位不超过{POST_MAX}字，备注不超过{NOTE_MAX}字", field="任职岗位")
    _dates(start, end)
    check_placement_region(actor, region, start)
    with transaction.atomic(durable=True):
        placement = Placement.objects_unscoped.create(person=person, kind=kind, region=region, post=post,
                                                      start=start, end=end, note=note)
        record(actor=actor, action=Action.CREATE, object_type="placement", object_id=placement.pk,
               region_code=region.code, summary=f"登记{person.name}到{region.name}（{PlacementKind(kind).label}）")
    return placement
