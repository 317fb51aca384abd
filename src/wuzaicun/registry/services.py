"""Writes to the registry: people and households (one transaction each, audited, IDs masked)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action, Result
from wuzaicun.audit.services import diff, record
from wuzaicun.core.errors import Conflict, DomainError
from wuzaicun.core.identifiers import sex_from_resident_id
from wuzaicun.core.masking import mask_phone, mask_resident_id
from wuzaicun.regions.models import Region

from .changes import party_membership_changed
from .fields import seal_phone, seal_resident_id
from .models import (
    INCOME_PER_HEAD_RANGE,
    PARTY_STATUSES,
    Household,
    Person,
    PoliticalStatus,
    PovertyCause,
    Rank,
)
from .rules import household_problems, normalise_resident_id, phone_error, resident_id_error, sex_error
from .selectors import get_household_for_user, get_person_for_user

HOUSEHOLD_FIELDS = ("region_id", "head_name", "members", "status", "identified_year", "exit_year", "cause",
                    "income_per_head")


def _checked_resident_id(value: str) -> str:
    resident_id = normalise_resident_id(value)
    if error := resident_id_error(resident_id):
        raise DomainError(error, field="身份证号")
    return resident_id


def _refuse_registered(actor: Any, model: type[Household] | type[Person], digest: str, *, noun: str) -> None:
    """A number registered in scope is named as such; one registered elsewhere gets a message that does not
    confirm where (or that) it is, and the attempt is audited for the administrators above."""
    if scoped(model, actor).filter(resident_id_hash=digest).exists():
        raise DomainError(f"该身份证号已登记为{noun}，请在列表中查找并修改", field="身份证号", code="duplicate")
    if model.objects_unscoped.filter(resident_id_hash=digest).exists():
        with transaction.atomic():
            record(actor=actor, action=Action.DENIED, object_type=model.__name__.lower(), result=Result.REFUSED,
                   region_code=getattr(actor, "scope_id", "") or "", summary=f"登记的身份证号已在管辖范围外登记为{noun}")
        raise DomainError("该身份证号无法在此登记，请联系上级管理员核对", field="身份证号", code="duplicate")


def save_household(
    *,
    actor: Any,
    household_id: int | None = None,
    expected_version: int | None = None,
    region_code: str,
    head_name: str,
    resident_id: str | None,
    members: int,
    status: str,
    identified_year: int,
    exit_year: int | None,
    cause: str,
    income_per_head: Decimal | None,
) -> Household:
    """Create a household, or update one (`resident_id` None keeps the stored number)."""
    require_perm(actor, Perm.EDIT_REGISTRY)
    region = get_for_user(Region, actor, code=region_code)
    if region.level != 5:
        raise DomainError("农户须登记在村（社区）一级", field="区划代码")
    for column, reason in household_problems(
        status=status, identified_year=identified_year, exit_year=exit_year, members=members
    ):
        raise DomainError(reason, field=column)
    if cause not in PovertyCause.values:
        raise DomainError(f"致贫原因“{cause}”不是可选值", field="致贫原因")
    income_per_head = INCOME_PER_HEAD_RANGE.check(income_per_head)
    values: dict[str, Any] = {
        "region_id": region_code, "head_name": head_name.strip(), "members": members, "status": status,
        "identified_year": identified_year, "exit_year": exit_year, "cause": cause,
        "income_per_head": income_per_head,
    }
    if household_id is None:
        if resident_id is None:
            raise DomainError("身份证号为必填项", field="身份证号")
        # Checked before the write's transaction, so that the refusal's audit row is kept.
        number = _checked_resident_id(resident_id)
        sealed, digest = seal_resident_id(number)
        _refuse_registered(actor, Household, digest, noun="户主")
    with transaction.atomic(durable=True):
        if household_id is None:
            household = Household(**values, resident_id_sealed=sealed, resident_id_hash=digest,
                                  resident_id_masked=mask_resident_id(number))
            household.save()
            record(actor=actor, action=Action.CREATE, object_type="household", object_id=household.pk,
                   region_code=region_code, summary=f"新增农户 {household.head_name}",
                   changes=diff({}, {**values, "resident_id": household.resident_id_masked}))
            return household
        household = get_household_for_user(actor, household_id)
        locked = Household.objects_unscoped.select_for_update().get(pk=household.pk)
        if expected_version is not None and locked.version != expected_version:
            raise Conflict()
        old = {k: getattr(locked, k) for k in HOUSEHOLD_FIELDS}
        for key, value in values.items():
            setattr(locked, key, value)
        fields = [*HOUSEHOLD_FIELDS, "version"]
        if resident_id is not None:
            number = _checked_resident_id(resident_id)
            locked.resident_id_sealed, locked.resident_id_hash = seal_resident_id(number)
            locked.resident_id_masked = mask_resident_id(number)
            fields += ["resident_id_sealed", "resident_id_hash", "resident_id_masked"]
        locked.version += 1
        try:
            with transaction.atomic():
                locked.save(update_fields=fields)
        except IntegrityError:
            raise DomainError("该身份证号已登记为户主", field="身份证号", code="duplicate") from None
        record(actor=actor, action=Action.UPDATE, object_type="household", object_id=locked.pk,
               region_code=region_code, summary=f"修改农户 {locked.head_name}", changes=diff(old, values))
        return locked


def delete_household(*, actor: Any, household_id: int) -> None:
    require_perm(actor, Perm.EDIT_REGISTRY)
    with transaction.atomic(durable=True):
        household = get_household_for_user(actor, household_id)
        record(actor=actor, action=Action.DELETE, object_type="household", object_id=household.pk,
               region_code=household.region_id, summary=f"删除农户 {household.head_name}",
               changes={"resident_id": [household.resident_id_masked, None]})
        try:
            with transaction.atomic():
                household.delete()
        except ProtectedError:
            raise DomainError("该户已被责任清单、台账或走访记录引用，不能删除", code="in_use") from None


REVEAL_REASON_MIN = 4


def _check_reveal(actor: Any, reason: str) -> str:
    """Break-glass unmasking: a stated reason (at least 4 characters) and a per-user daily limit, counted from
    the audit rows of the day with one indexed query (audit_actor_action_at). Call inside the transaction
    that records the reveal: the count and the new row are then serialised with the chain's append."""
    from django.utils import timezone

    from wuzaicun.accounts import policy
    from wuzaicun.audit.chain import lock_chain
    from wuzaicun.audit.models import AuditEntry

    reason = " ".join(reason.split())
    if len(reason) < REVEAL_REASON_MIN:
        raise DomainError(f"请填写查看原因（至少{REVEAL_REASON_MIN}个字），该原因将记入操作日志", field="查看原因")
    limit = policy.current().reveal_daily_limit  # 安全设置 (the security administrator's)
    lock_chain()  # the count and the reveal's row are serialised with every other append
    day_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    done = AuditEntry.objects_unscoped.filter(
        actor=actor, action=Action.VIEW_SENSITIVE, at__gte=day_start, object_type__in=("household", "person"),
        result=Result.OK).count()
    if done >= limit:
        refusal = DomainError(f"今日查看完整身份证号已达{limit}次上限，请明日再试或联系安全管理员", code="reveal_limit")
        refusal.status = 429
        raise refusal
    return reason[:100]


def _reveal(actor: Any, subject: Household | Person, object_type: str, label: str, reason: str) -> str:
    try:
        with transaction.atomic():
            stated = _check_reveal(actor, reason)
            record(actor=actor, action=Action.VIEW_SENSITIVE, object_type=object_type, object_id=subject.pk,
                   region_code=subject.region_id, summary=f"查看{label}完整身份证号：{stated}",
                   changes={"reason": stated, "resident_id": subject.resident_id_masked})
    except DomainError as exc:
        if exc.code == "reveal_limit":  # the refusal is visible to the audit administrator too
            with transaction.atomic():
                record(actor=actor, action=Action.VIEW_SENSITIVE, object_type=object_type, object_id=subject.pk,
                       region_code=subject.region_id, summary=f"查看{label}完整身份证号被拒绝：{exc.message}",
                       result=Result.REFUSED)
        raise
    return subject.reveal_resident_id()


def reveal_household_id(*, actor: Any, household_id: int, reason: str) -> str:
    """The full resident ID for a role allowed to see it, audited with the reason given (break-glass)."""
    require_perm(actor, Perm.REVEAL_ID)
    household = get_household_for_user(actor, household_id)
    return _reveal(actor, household, "household", f"{household.head_name}户", reason)


def reveal_person_id(*, actor: Any, person_id: int, reason: str) -> str:
    require_perm(actor, Perm.REVEAL_ID)
    person = get_person_for_user(actor, person_id)
    return _reveal(actor, person, "person", person.name, reason)


def _check_person(actor: Any, *, region_code: str, name: str, post: str, ethnicity: str, rank: str,
                  political_status: str) -> None:
    get_for_user(Region, actor, code=region_code)
    if rank and rank not in Rank.values:
        raise DomainError(f"职级“{rank}”不是可选值", field="职级")
    if political_status not in PoliticalStatus.values:
        raise DomainError(f"政治面貌“{political_status}”不是可选值", field="政治面貌")
    if not name.strip() or len(name) > 50 or len(post) > 100 or len(ethnicity) > 20:
        raise DomainError("姓名、职务或民族为空或过长", field="姓名")


def create_person(
    *,
    actor: Any,
    region_code: str,
    name: str,
    resident_id: str,
    sex: str = "",
    ethnicity: str = "汉族",
    political_status: str = "群众",
    post: str = "",
    rank: str = "",
    phone: str = "",
) -> Person:
    require_perm(actor, Perm.EDIT_REGISTRY)
    _check_person(actor, region_code=region_code, name=name, post=post, ethnicity=ethnicity, rank=rank,
                  political_status=political_status)
    number = _checked_resident_id(resident_id)
    if error := sex_error(sex, number):
        raise DomainError(error, field="性别")
    if error := phone_error(phone):
        raise DomainError(error, field="联系电话")
    sealed, digest = seal_resident_id(number)
    _refuse_registered(actor, Person, digest, noun="人员")  # before the write, so the refusal is audited
    with transaction.atomic(durable=True):
        person = Person.objects_unscoped.create(
            region_id=region_code, name=name.strip(), resident_id_sealed=sealed, resident_id_hash=digest,
            resident_id_masked=mask_resident_id(number), sex=sex or sex_from_resident_id(number),
            ethnicity=ethnicity, political_status=political_status, post=post, rank=rank,
            phone_sealed=seal_phone(phone) or None, phone_masked=mask_phone(phone) if phone else "",
        )
        record(actor=actor, action=Action.CREATE, object_type="person", object_id=person.pk,
               region_code=region_code, summary=f"新增人员 {person.name}",
               changes={"name": [None, person.name], "resident_id": [None, person.resident_id_masked]})
    return person



PERSON_FIELDS = ("region_id", "name", "sex", "ethnicity", "political_status", "post", "rank")


def update_person(
    *,
    actor: Any,
    person_id: int,
    expected_version: int,
    region_code: str,
    name: str,
    resident_id: str | None = None,
    sex: str = "",
    ethnicity: str = "汉族",
    political_status: str = "群众",
    post: str = "",
    rank: str = "",
    phone: str | None = None,
) -> Person:
    """Change a person's record; `resident_id` or `phone` None keeps the stored number. A stale
    `expected_version` (someone saved in between) is refused with Conflict, never overwritten."""
    require_perm(actor, Perm.EDIT_REGISTRY)
    _check_person(actor, region_code=region_code, name=name, post=post, ethnicity=ethnicity, rank=rank,
                  political_status=political_status)
    number = _checked_resident_id(resident_id) if resident_id else None
    if phone and (error := phone_error(phone)):
        raise DomainError(error, field="联系电话")
    if number is not None:
        sealed, digest = seal_resident_id(number)
        current = get_person_for_user(actor, person_id)
        if digest != current.resident_id_hash:
            _refuse_registered(actor, Person, digest, noun="人员")  # before the write, so the refusal is audited
    with transaction.atomic(durable=True):
        get_person_for_user(actor, person_id)
        locked = Person.objects_unscoped.select_for_update().get(pk=person_id)
        if locked.version != expected_version:
            raise Conflict()
        check_number = number or locked.reveal_resident_id()
        if error := sex_error(sex, check_number):
            raise DomainError(error, field="性别")
        values: dict[str, Any] = {
            "region_id": region_code, "name": name.strip(), "sex": sex or sex_from_resident_id(check_number),
            "ethnicity": ethnicity, "political_status": political_status, "post": post, "rank": rank,
        }
        old: dict[str, Any] = {k: getattr(locked, k) for k in PERSON_FIELDS}
        new: dict[str, Any] = dict(values)
        for key, value in values.items():
            setattr(locked, key, value)
        fields = [*PERSON_FIELDS, "version"]
        if number is not None:
            old["resident_id"], new["resident_id"] = locked.resident_id_masked, mask_resident_id(number)
            locked.resident_id_sealed, locked.resident_id_hash = sealed, digest
            locked.resident_id_masked = new["resident_id"]
            fields += ["resident_id_sealed", "resident_id_hash", "resident_id_masked"]
        if phone:
            old["phone"], new["phone"] = locked.phone_masked, mask_phone(phone)
            locked.phone_sealed, locked.phone_masked = seal_phone(phone) or None, new["phone"]
            fields += ["phone_sealed", "phone_masked"]
        locked.version += 1
        try:
            with transaction.atomic():
                locked.save(update_fields=fields)
        except IntegrityError:
            raise DomainError("该身份证号已登记为人员", field="身份证号", code="duplicate") from None
        if (old["political_status"] in PARTY_STATUSES) != (political_status in PARTY_STATUSES):
            party_membership_changed([locked.pk])  # the households this person helps are recounted (D23)
        record(actor=actor, action=Action.UPDATE, object_type="person", object_id=locked.pk,
               region_code=region_code, summary=f"修改人员 {locked.name}", changes=diff(old, new))
    return locked
