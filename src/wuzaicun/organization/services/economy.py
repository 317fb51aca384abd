"""Writes of 村级集体经济: entities and their yearly income (one transaction each, audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import diff, record
from wuzaicun.core.bounds import range_of
from wuzaicun.core.errors import Conflict, DomainError
from wuzaicun.regions.models import Region
from wuzaicun.regions.selectors import get_village_for_user

from ..models.economy import CollectiveEntity, EntityIncome, EntityKind
from ..rules.economy import entity_problems, normalise_credit_code

OPERATING_RANGE = range_of(EntityIncome, "operating_income", low=0, label="经营收入")
COLLECTIVE_RANGE = range_of(EntityIncome, "collective_income", low=0, label="集体收入")
CODE_TAKEN = "该统一社会信用代码已被其他实体登记"


def _check(*, name: str, kind: str, credit_code: str, founded_on: dt.date | None) -> None:
    problems = entity_problems(name=name, kind=kind, credit_code=credit_code, founded_on=founded_on,
                               today=timezone.localdate())
    if problems:
        raise DomainError("；".join(m for _, m in problems), field=problems[0][0])


def _unique(*, village: Region, name: str, credit_code: str, exclude: int | None) -> None:
    """A credit code is unique everywhere (its owner is not named); a name within its village."""
    if credit_code:
        taken = CollectiveEntity.objects_unscoped.filter(credit_code=credit_code).exclude(pk=exclude or 0)
        if taken.exists():
            raise DomainError(CODE_TAKEN, field="统一社会信用代码", code="duplicate")
    if CollectiveEntity.objects_unscoped.filter(village=village, name=name).exclude(pk=exclude or 0).exists():
        raise DomainError(f"{village.name}已登记名为“{name}”的实体", field="名称", code="duplicate")


def create_entity(*, actor: Any, village_code: str, name: str, kind: str, credit_code: str = "",
                  founded_on: dt.date | None = None) -> CollectiveEntity:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    village = get_village_for_user(actor, village_code)
    name, code = name.strip(), normalise_credit_code(credit_code)
    _check(name=name, kind=kind, credit_code=code, founded_on=founded_on)
    with transaction.atomic(durable=True):
        _unique(village=village, name=name, credit_code=code, exclude=None)
        entity = CollectiveEntity.objects_unscoped.create(village=village, name=name, kind=kind,
                                                          credit_code=code or None, founded_on=founded_on)
        record(actor=actor, action=Action.CREATE, object_type="collective_entity", object_id=entity.pk,
               region_code=village.code, summary=f"登记{village.name}村集体经济实体“{name}”（{EntityKind(kind).label}）")
    return entity


def update_entity(*, actor: Any, entity_id: int, name: str, kind: str, credit_code: str = "",
                  founded_on: dt.date | None = None, expected_version: int | None = None) -> CollectiveEntity:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    get_for_user(CollectiveEntity, actor, pk=entity_id)
    name, code = name.strip(), normalise_credit_code(credit_code)
    _check(name=name, kind=kind, credit_code=code, founded_on=founded_on)
    with transaction.atomic(durable=True):
        entity = CollectiveEntity.objects_unscoped.select_for_update().select_related("village").get(pk=entity_id)
        if expected_version is not None and entity.version != expected_version:
            raise Conflict()
        _unique(village=entity.village, name=name, credit_code=code, exclude=entity.pk)
        new = {"name": name, "kind": kind, "credit_code": code or None, "founded_on": founded_on}
        changes = diff({k: getattr(entity, k) for k in new}, new)
        if changes:
            for key, value in new.items():
                setattr(entity, key, value)
            entity.version += 1
            entity.save(update_fields=[*new, "version"])
            record(actor=actor, action=Action.UPDATE, object_type="collective_entity", object_id=entity.pk,
                   region_code=entity.village_id, summary=f"修改村集体经济实体“{name}”", changes=changes)
    return entity


def delete_entity(*, actor: Any, entity_id: int) -> None:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    entity = get_for_user(CollectiveEntity, actor, pk=entity_id)
    with transaction.atomic(durable=True):
        CollectiveEntity.objects_unscoped.filter(pk=entity.pk).delete()  # its incomes go with it
        record(actor=actor, action=Action.DELETE, object_type="collective_entity", object_id=entity.pk,
               region_code=entity.village_id, summary=f"删除村集体经济实体“{entity.name}”")


def set_income(*, actor: Any, entity_id: int, year: int, operating_income: Any,
               collective_income: Any) -> EntityIncome:
    """Record (or replace) an entity's income for a year."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    entity = get_for_user(CollectiveEntity, actor, pk=entity_id)
    operating: Decimal = OPERATING_RANGE.check(operating_income if operating_income is not None else 0)
    collective: Decimal = COLLECTIVE_RANGE.check(collective_income if collective_income is not None else 0)
    with transaction.atomic(durable=True):
        row = EntityIncome.objects_unscoped.select_for_update().filter(entity=entity, year=year).first()
        old = {"operating_income": row.operating_income, "collective_income": row.collective_income} if row else {}
        new = {"operating_income": operating, "collective_income": collective}
        if row is None:
            row = EntityIncome.objects_unscoped.create(entity=entity, year=year, **new)
        elif diff(old, new):
            row.operating_income, row.collective_income = operating, collective
            row.save(update_fields=list(new))
        else:
            return row
        record(actor=actor, action=Action.UPDATE if old else Action.CREATE, object_type="entity_income",
               object_id=row.pk, region_code=entity.village_id,
               summary=f"登记“{entity.name}”{year}年收入", changes=diff(old, new))
    return row
