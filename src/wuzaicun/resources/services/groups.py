"""Writes of 十户一体: groups, their member households and the business entities tied to them (one transaction
each, audited). A household belongs to one group at most; members and the head belong to the group's village."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.errors import DomainError
from wuzaicun.core.identifiers import credit_code_problem
from wuzaicun.regions.selectors import get_village_for_user
from wuzaicun.registry.models import Household
from wuzaicun.registry.selectors import get_person_for_user

from ..models.groups import BusinessKind, GroupEntity, GroupMember, TenHouseholdGroup
from ..rules.groups import head_problem


def _group(actor: Any, group_id: int) -> TenHouseholdGroup:
    return get_for_user(scoped(TenHouseholdGroup, actor).select_related("village", "head").select_for_update(),
                        actor, pk=group_id)


def create_group(*, actor: Any, village_code: str, name: str, head_id: int, formed_on: dt.date,
                 household_ids: Sequence[int] = ()) -> TenHouseholdGroup:
    """A group of the village headed by a party member of the village, with its first member households."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    village = get_village_for_user(actor, village_code)
    name = name.strip()
    if not name:
        raise DomainError("小组名称为必填项", field="小组名称")
    if formed_on > timezone.localdate():
        raise DomainError("成立日期不能晚于今天", field="成立日期")
    head = get_person_for_user(actor, head_id)
    if problem := head_problem(name=head.name, political_status=head.political_status, person_region=head.region_id,
                               village=village.code, village_name=village.name):
        raise DomainError(problem, field="户长")
    try:
        with transaction.atomic(durable=True):
            group = TenHouseholdGroup.objects_unscoped.create(village=village, name=name, head=head,
                                                              formed_on=formed_on)
            added = _add(actor, group, household_ids)
            record(actor=actor, action=Action.CREATE, object_type="ten_household_group", object_id=group.pk,
                   region_code=village.code, summary=f"成立{village.name}“十户一体”{name}，户长{head.name}，{added} 户")
    except IntegrityError:
        raise DomainError(f"{village.name}已有名为“{name}”的小组", field="小组名称", code="duplicate") from None
    return group


def _add(actor: Any, group: TenHouseholdGroup, household_ids: Sequence[int]) -> int:
    """Add households of the group's village that are in no group yet; any other is refused by name."""
    if not household_ids:
        return 0
    wanted = list(dict.fromkeys(household_ids))
    found = {h.pk: h for h in scoped(Household, actor).filter(pk__in=wanted)}
    if missing := [pk for pk in wanted if pk not in found]:
        raise DomainError(f"有 {len(missing)} 户不存在或无权访问", field="成员户")
    elsewhere = [h for h in found.values() if h.region_id != group.village_id]
    if elsewhere:
        names = "、".join(f"{h.head_name}户" for h in elsewhere[:5])
        raise DomainError(f"{names}不是{group.village.name}的农户，不能加入该村的“十户一体”", field="成员户")
    taken = dict(GroupMember.objects_unscoped.filter(household_id__in=wanted).exclude(group=group)
                 .values_list("household_id", "group__name"))
    if taken:
        names = "、".join(f"{found[pk].head_name}户（已在“{g}”）" for pk, g in list(taken.items())[:5])
        raise DomainError(f"{names}：一户只能加入一个“十户一体”小组", field="成员户")
    already = set(GroupMember.objects_unscoped.filter(group=group).values_list("household_id", flat=True))
    new = [GroupMember(group=group, household_id=pk) for pk in wanted if pk not in already]
    GroupMember.objects_unscoped.bulk_create(new)
    return len(new)


def add_members(*, actor: Any, group_id: int, household_ids: Sequence[int]) -> int:
    require_perm(actor, Perm.EDIT_RESOURCES)
    if not household_ids:
        raise DomainError("请选择要加入的农户", field="成员户")
    try:
        with transaction.atomic(durable=True):
            group = _group(actor, group_id)
            added = _add(actor, group, household_ids)
            record(actor=actor, action=Action.UPDATE, object_type="ten_household_group", object_id=group.pk,
                   region_code=group.village_id, summary=f"“{group.name}”加入 {added} 户")
    except IntegrityError:  # joined another group meanwhile
        raise DomainError("有农户刚加入了其他小组，请刷新后重试", field="成员户", code="conflict") from None
    return added


def remove_member(*, actor: Any, group_id: int, household_id: int) -> None:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        group = _group(actor, group_id)
        member = GroupMember.objects_unscoped.filter(group=group, household_id=household_id).select_related(
            "household").first()
        if member is None:
            raise DomainError("该户不在本小组", field="成员户")
        member.delete()
        record(actor=actor, action=Action.UPDATE, object_type="ten_household_group", object_id=group.pk,
               region_code=group.village_id, summary=f"“{group.name}”移出{member.household.head_name}户")


def add_entity(*, actor: Any, group_id: int, name: str, kind: str, credit_code: str = "") -> GroupEntity:
    """Tie a business entity (龙头企业, 家庭农场, 合作社, 种养大户) to the group."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    name, code = name.strip(), credit_code.strip().upper()
    if not name:
        raise DomainError("经营主体名称为必填项", field="名称")
    if kind not in BusinessKind.values:
        raise DomainError(f"类型“{kind}”无效，应为{'、'.join(BusinessKind.labels)}", field="类型")
    if code and (problem := credit_code_problem(code)):
        raise DomainError(problem, field="统一社会信用代码")
    try:
        with transaction.atomic(durable=True):
            group = _group(actor, group_id)
            entity = GroupEntity.objects_unscoped.create(group=group, name=name, kind=kind, credit_code=code)
            record(actor=actor, action=Action.UPDATE, object_type="ten_household_group", object_id=group.pk,
                   region_code=group.village_id,
                   summary=f"“{group.name}”联结{BusinessKind(kind).label}“{name}”")
    except IntegrityError:
        raise DomainError(f"本小组已联结“{name}”", field="名称", code="duplicate") from None
    return entity


def remove_entity(*, actor: Any, group_id: int, entity_id: int) -> None:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        group = _group(actor, group_id)
        entity = GroupEntity.objects_unscoped.filter(group=group, pk=entity_id).first()
        if entity is None:
            raise DomainError("该经营主体不在本小组", field="经营主体")
        entity.delete()
        record(actor=actor, action=Action.UPDATE, object_type="ten_household_group", object_id=group.pk,
               region_code=group.village_id, summary=f"“{group.name}”解除与“{entity.name}”的联结")


def delete_group(*, actor: Any, group_id: int) -> None:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        group = _group(actor, group_id)
        members = GroupMember.objects_unscoped.filter(group=group).count()
        entities = GroupEntity.objects_unscoped.filter(group=group).count()
        group.delete()
        record(actor=actor, action=Action.DELETE, object_type="ten_household_group", object_id=group_id,
               region_code=group.village_id,
               summary=f"撤销{group.village.name}“{group.name}”（{members} 户、{entities} 个经营主体）")
