"""Writes of 组织保障: a village's guarantees for a year, and the year's standards (one transaction each, audited)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import diff, record
from wuzaicun.core.bounds import NumberRange, range_of
from wuzaicun.core.errors import Conflict, DomainError, PermissionDenied
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.selectors import get_village_for_user

from ..models.guarantees import Guarantee, GuaranteeStandard
from ..rules.guarantees import STANDARDS, STANDARDS_BY_CODE, standard_value_problem

# Each value's range: its column's, from zero.
RANGES: dict[str, NumberRange] = {s.code: range_of(Guarantee, s.code, low=0, label=s.title) for s in STANDARDS}
STANDARD_RANGE = range_of(GuaranteeStandard, "value", low=0, label="标准值")
FIELDS = tuple(s.code for s in STANDARDS)


def _checked(values: dict[str, Any]) -> dict[str, Decimal | None]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(f"未知的保障项目：{'、'.join(sorted(unknown))}")
    return {code: RANGES[code].check(values.get(code)) for code in FIELDS}


def save_guarantee(*, actor: Any, village_code: str, year: int, values: dict[str, Any],
                   expected_version: int | None = None) -> Guarantee:
    """Record (or replace) a village's guarantees for a year; a blank value is 未填报."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    village = get_village_for_user(actor, village_code)
    checked = _checked(values)
    with transaction.atomic(durable=True):
        row = Guarantee.objects_unscoped.select_for_update().filter(village=village, year=year).first()
        if row is None:
            row = Guarantee.objects_unscoped.create(village=village, year=year, **checked)
            record(actor=actor, action=Action.CREATE, object_type="guarantee", object_id=row.pk,
                   region_code=village.code, summary=f"登记{village.name}{year}年组织保障",
                   changes=diff({}, {k: v for k, v in checked.items() if v is not None}))
            return row
        return _update(actor, row, checked, expected_version)


def update_guarantee(*, actor: Any, guarantee_id: int, values: dict[str, Any],
                     expected_version: int | None = None) -> Guarantee:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    get_for_user(Guarantee, actor, pk=guarantee_id)
    checked = _checked(values)
    with transaction.atomic(durable=True):
        row = Guarantee.objects_unscoped.select_for_update().select_related("village").get(pk=guarantee_id)
        return _update(actor, row, checked, expected_version)


def _update(actor: Any, row: Guarantee, checked: dict[str, Decimal | None], expected_version: int | None) -> Guarantee:
    if expected_version is not None and row.version != expected_version:
        raise Conflict()
    old = {code: getattr(row, code) for code in FIELDS}
    changes = diff(old, checked)
    if changes:
        for code, value in checked.items():
            setattr(row, code, value)
        row.version += 1
        row.save(update_fields=[*FIELDS, "version"])
        record(actor=actor, action=Action.UPDATE, object_type="guarantee", object_id=row.pk,
               region_code=row.village_id, summary=f"修改{row.village.name}{row.year}年组织保障", changes=changes)
    return row


def delete_guarantee(*, actor: Any, guarantee_id: int) -> None:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    row = get_for_user(scoped(Guarantee, actor).select_related("village"), actor, pk=guarantee_id)
    with transaction.atomic(durable=True):
        Guarantee.objects_unscoped.filter(pk=row.pk).delete()
        record(actor=actor, action=Action.DELETE, object_type="guarantee", object_id=row.pk,
               region_code=row.village_id, summary=f"删除{row.village.name}{row.year}年组织保障")


EVERY_VILLAGE = "保障标准适用于全部村，须由管辖全部地区的管理员设置"


def may_set_standards(actor: Any) -> bool:
    """A year's standards apply to every village: only an administrator (RANK_ORGANIZATIONS) whose scope holds
    them all sets them — a city administrator of a one-city system, else the province's."""
    prefix = getattr(actor, "scope_prefix", None)
    if prefix is None or not getattr(actor, "is_authenticated", False) or not actor.can(Perm.RANK_ORGANIZATIONS):
        return False
    return not prefix or not Region.objects_unscoped.filter(level=Level.VILLAGE).exclude(code__within=prefix).exists()


def _require_every_village(actor: Any) -> None:
    if not may_set_standards(actor):
        raise PermissionDenied(EVERY_VILLAGE)


def set_standards(*, actor: Any, year: int, values: dict[str, Any]) -> dict[str, Decimal]:
    """Set some of the year's standards ({code: value}); audited once with what changed."""
    require_perm(actor, Perm.RANK_ORGANIZATIONS)
    _require_every_village(actor)
    checked: dict[str, Decimal] = {}
    for code, value in values.items():
        if code not in STANDARDS_BY_CODE:
            raise DomainError(standard_value_problem(code, Decimal(0)) or "", field="标准代码", code="unknown_standard")
        number = STANDARD_RANGE.check(value)
        if number is None:
            raise DomainError(f"{STANDARDS_BY_CODE[code].title}标准不能为空", field=code)
        checked[code] = number
    with transaction.atomic(durable=True):
        rows = {r.code: r for r in GuaranteeStandard.objects_unscoped.select_for_update().filter(year=year)}
        old = {code: (rows[code].value if code in rows else STANDARDS_BY_CODE[code].default).quantize(Decimal("0.01"))
               for code in checked}
        for code, value in checked.items():
            if code in rows:
                if rows[code].value != value:
                    rows[code].value = value
                    rows[code].save(update_fields=["value"])
            else:
                GuaranteeStandard.objects_unscoped.create(year=year, code=code, value=value)
        changes = diff({STANDARDS_BY_CODE[c].title: v for c, v in old.items()},
                       {STANDARDS_BY_CODE[c].title: v for c, v in checked.items()})
        if changes:
            record(actor=actor, action=Action.UPDATE, object_type="guarantee_standard", object_id=year,
                   summary=f"设置{year}年组织保障标准", changes=changes)
    return checked
