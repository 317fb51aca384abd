"""Writes of 支部结对、干群结亲与企业帮扶 (one transaction each, audited): pairings made and ended, the supports they
brought, enterprises and their help to villages by year (upserted by enterprise × village × year)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.errors import Conflict, DomainError, NotFound
from wuzaicun.core.text import MONEY_LIMIT
from wuzaicun.organization.models import PartyOrganisation
from wuzaicun.regions.models import Region
from wuzaicun.regions.selectors import get_village_for_user
from wuzaicun.registry.models import Household
from wuzaicun.registry.selectors import get_person_for_user

from ..models.pairings import (
    BranchPairing,
    Enterprise,
    EnterpriseHelp,
    KinPairing,
    PairingSupport,
    SupportKind,
)
from ..rules.pairings import (
    Problems,
    branch_problems,
    enterprise_problems,
    help_problems,
    kin_problems,
    support_problems,
    years_problem,
)


def _refuse(problems: Problems) -> None:
    if problems:
        field, _ = problems[0]
        raise DomainError("；".join(message for _, message in problems), field=field)


FEN = Decimal("0.01")


def _fen(value: Decimal, field: str) -> Decimal:
    """An amount to the fen, as the money columns hold it; more decimals are refused, not rounded."""
    try:
        if value.is_finite() and value == value.quantize(FEN) and abs(value) < MONEY_LIMIT:
            return value.quantize(FEN)
    except InvalidOperation:  # beyond the context's precision
        pass
    raise DomainError(f"{field}应为不到100亿元的金额，精确到分（最多两位小数）", field=field)


def _org(actor: Any, pk: int, field: str) -> PartyOrganisation:
    try:
        return get_for_user(scoped(PartyOrganisation, actor).select_related("region"), actor, pk=pk)
    except NotFound:
        raise NotFound(f"{field}不存在或不在您的管辖范围内") from None


def branch_label(p: BranchPairing) -> str:
    return f"“{p.helper.name}”与“{p.helped.name}”的支部结对"


def kin_label(p: KinPairing) -> str:
    return f"{p.person.name}与{p.household.head_name}户的干群结亲"


# --- 支部结对 -------------------------------------------------------------------------------------------------

def create_branch_pairing(*, actor: Any, helper_id: int, helped_id: int, since: int) -> BranchPairing:
    require_perm(actor, Perm.EDIT_RESOURCES)
    helped = _org(actor, helped_id, "村党组织")
    helper = _org(actor, helper_id, "结对党组织")
    _refuse(branch_problems(helper_id=helper.pk, helper_name=helper.name, helper_category=helper.category,
                            helper_level=helper.region.level, helped_id=helped.pk, helped_name=helped.name,
                            helped_category=helped.category, helped_level=helped.region.level, since=since))
    with transaction.atomic(durable=True):
        current = (BranchPairing.objects_unscoped.filter(helper=helper, helped=helped)
                   .filter(Q(until__isnull=True) | Q(until__gte=since)).order_by("since").first())
        if current is not None:
            raise DomainError(f"“{helper.name}”与“{helped.name}”已于{current.since}年结对，尚在结对期内",
                              field="村党组织", code="duplicate")
        try:
            pairing = BranchPairing.objects_unscoped.create(helper=helper, helped=helped, since=since)
        except IntegrityError:
            raise DomainError(f"“{helper.name}”与“{helped.name}”已于{since}年结对", field="村党组织",
                              code="duplicate") from None
        record(actor=actor, action=Action.CREATE, object_type="branch_pairing", object_id=pairing.pk,
               region_code=helped.region_id, summary=f"“{helper.name}”与“{helped.name}”{since}年起支部结对")
    return pairing


def _branch(actor: Any, pk: int) -> BranchPairing:
    return get_for_user(scoped(BranchPairing, actor).select_related("helper", "helped", "helped__region")
                        .select_for_update(of=("self",)), actor, pk=pk)


def end_branch_pairing(*, actor: Any, pairing_id: int, until: int) -> BranchPairing:
    """结束: the last year the pairing counts in; not before its first year nor before a support it brought."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        pairing = _branch(actor, pairing_id)
        _end(pairing, until, branch_label(pairing), PairingSupport.objects_unscoped.filter(branch_pairing=pairing))
        record(actor=actor, action=Action.UPDATE, object_type="branch_pairing", object_id=pairing.pk,
               region_code=pairing.helped.region_id, summary=f"{branch_label(pairing)}于{until}年结束")
    return pairing


def _end(pairing: BranchPairing | KinPairing, until: int, label: str, supports: Any) -> None:
    if pairing.until is not None:
        raise DomainError(f"{label}已于{pairing.until}年结束", field="结束年度", code="ended")
    if problem := years_problem(pairing.since, until):
        raise DomainError(problem[1], field=problem[0])
    later = supports.filter(year__gt=until).order_by("-year").values_list("year", flat=True).first()
    if later is not None:
        raise DomainError(f"{label}在{later}年还有帮扶记录，结束年度不能早于{later}年", field="结束年度")
    pairing.until = until
    pairing.save(update_fields=["until"])


def delete_branch_pairing(*, actor: Any, pairing_id: int) -> None:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        pairing = _branch(actor, pairing_id)
        supports = PairingSupport.objects_unscoped.filter(branch_pairing=pairing).count()
        label = branch_label(pairing)
        pairing.delete()
        record(actor=actor, action=Action.DELETE, object_type="branch_pairing", object_id=pairing_id,
               region_code=pairing.helped.region_id, summary=f"删除{label}（{supports} 条帮扶记录）")


# --- 干群结亲 -------------------------------------------------------------------------------------------------

def create_kin_pairing(*, actor: Any, person_id: int, household_id: int, since: int) -> KinPairing:
    require_perm(actor, Perm.EDIT_RESOURCES)
    person = get_person_for_user(actor, person_id)
    _refuse(kin_problems(person_name=person.name, head_name="", since=since))
    with transaction.atomic(durable=True):
        # the household in scope as it stands now, held until commit: a move cannot pass the new pairing by, nor
        # take the household out of scope meanwhile (D46; later moves are the trigger's, resources/triggers.py)
        household = get_for_user(scoped(Household, actor).select_related("region").select_for_update(of=("self",)),
                                 actor, pk=household_id)
        overlapping = (KinPairing.objects_unscoped.filter(person=person, household=household)
                       .filter(Q(until__isnull=True) | Q(until__gte=since)).values_list("since", flat=True).first())
        _refuse(kin_problems(person_name=person.name, head_name=household.head_name, since=since,
                             overlapping_since=overlapping))
        try:
            pairing = KinPairing.objects_unscoped.create(person=person, household=household,
                                                         village_id=household.region_id, since=since)
        except IntegrityError:
            raise DomainError(f"{person.name}与{household.head_name}户已于{since}年结亲", field="结亲户",
                              code="duplicate") from None
        record(actor=actor, action=Action.CREATE, object_type="kin_pairing", object_id=pairing.pk,
               region_code=household.region_id,
               summary=f"{person.name}与{household.region.name}{household.head_name}户{since}年起结亲")
    return pairing


def _kin(actor: Any, pk: int) -> KinPairing:
    return get_for_user(scoped(KinPairing, actor).select_related("person", "household", "household__region")
                        .select_for_update(of=("self",)), actor, pk=pk)


def end_kin_pairing(*, actor: Any, pairing_id: int, until: int) -> KinPairing:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        pairing = _kin(actor, pairing_id)
        _end(pairing, until, kin_label(pairing), PairingSupport.objects_unscoped.filter(kin_pairing=pairing))
        record(actor=actor, action=Action.UPDATE, object_type="kin_pairing", object_id=pairing.pk,
               region_code=pairing.village_id, summary=f"{kin_label(pairing)}于{until}年结束")
    return pairing


def delete_kin_pairing(*, actor: Any, pairing_id: int) -> None:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        pairing = _kin(actor, pairing_id)
        supports = PairingSupport.objects_unscoped.filter(kin_pairing=pairing).count()
        label = kin_label(pairing)
        pairing.delete()
        record(actor=actor, action=Action.DELETE, object_type="kin_pairing", object_id=pairing_id,
               region_code=pairing.village_id, summary=f"删除{label}（{supports} 条帮扶记录）")


# --- 帮扶记录 -------------------------------------------------------------------------------------------------

def add_support(*, actor: Any, year: int, kind: str, description: str, amount: Decimal,
                branch_pairing_id: int | None = None, kin_pairing_id: int | None = None) -> PairingSupport:
    """What a pairing brought in a year; the village is the pairing's own (the helped organisation's village, or
    the household's)."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    amount = _fen(amount, "折合金额（元）")
    if (branch_pairing_id is None) == (kin_pairing_id is None):
        raise DomainError("请指定一个支部结对或干群结亲", field="结对")
    with transaction.atomic(durable=True):
        pairing: BranchPairing | KinPairing
        if branch_pairing_id is not None:
            pairing = _branch(actor, branch_pairing_id)
            label, village, object_type = branch_label(pairing), pairing.helped.region_id, "branch_pairing"
        else:
            assert kin_pairing_id is not None
            pairing = _kin(actor, kin_pairing_id)
            label, village, object_type = kin_label(pairing), pairing.village_id, "kin_pairing"
        _refuse(support_problems(kind=kind, description=description, amount=amount, year=year,
                                 since=pairing.since, until=pairing.until, pairing=label))
        support = PairingSupport.objects_unscoped.create(
            branch_pairing_id=branch_pairing_id, kin_pairing_id=kin_pairing_id, village_id=village, year=year,
            kind=kind, description=description.strip(), amount=amount)
        record(actor=actor, action=Action.UPDATE, object_type=object_type, object_id=pairing.pk,
               region_code=village,
               summary=f"{label}{year}年{SupportKind(kind).label}帮扶：{description.strip()}（{amount} 元）")
    return support


def remove_support(*, actor: Any, support_id: int) -> None:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        support = get_for_user(scoped(PairingSupport, actor).select_for_update(), actor, pk=support_id)
        object_type = "branch_pairing" if support.branch_pairing_id else "kin_pairing"
        owner = support.branch_pairing_id or support.kin_pairing_id
        support.delete()
        record(actor=actor, action=Action.UPDATE, object_type=object_type, object_id=owner,
               region_code=support.village_id,
               summary=f"删除{support.year}年{support.get_kind_display()}帮扶：{support.description}")


# --- 企业帮扶 -------------------------------------------------------------------------------------------------

def _region(actor: Any, code: str) -> Region:
    try:
        return get_for_user(Region, actor, code=code)
    except NotFound:
        raise NotFound(f"注册地“{code}”不存在或不在您的管辖范围内") from None


def save_enterprise(*, actor: Any, name: str, credit_code: str, region_code: str,
                    enterprise_id: int | None = None) -> Enterprise:
    """Create (or, with `enterprise_id`, edit) an enterprise; its credit code is unique everywhere (GB 32100)."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    name, code = name.strip(), credit_code.strip().upper()
    region = _region(actor, region_code)
    _refuse(enterprise_problems(name=name, credit_code=code, region_level=region.level))
    with transaction.atomic(durable=True):
        same = Enterprise.objects_unscoped.filter(credit_code=code)
        if enterprise_id is not None:
            same = same.exclude(pk=enterprise_id)
        taken = same.first()
        if taken is not None:  # another county's enterprise is not named (out of scope answers like missing)
            said = (f"已登记为“{taken.name}”" if scoped(Enterprise, actor).filter(pk=taken.pk).exists()
                    else "已由其他地区登记，请联系其注册地的管理员")
            raise DomainError(f"统一社会信用代码“{code}”{said}", field="统一社会信用代码", code="duplicate")
        if enterprise_id is None:
            enterprise = Enterprise.objects_unscoped.create(name=name, credit_code=code, region=region)
            action, summary = Action.CREATE, f"登记帮扶企业“{name}”（{code}）"
        else:
            enterprise = get_for_user(scoped(Enterprise, actor).select_for_update(), actor, pk=enterprise_id)
            before = enterprise.name
            enterprise.name, enterprise.credit_code, enterprise.region = name, code, region
            enterprise.save(update_fields=["name", "credit_code", "region"])
            action, summary = Action.UPDATE, f"修改帮扶企业“{before}”" + (f"为“{name}”" if before != name else "")
        record(actor=actor, action=action, object_type="enterprise", object_id=enterprise.pk,
               region_code=region.code, summary=summary)
    return enterprise


def record_help(*, actor: Any, enterprise_id: int, village_code: str, year: int, pledged: Decimal,
                paid: Decimal, note: str = "") -> tuple[EnterpriseHelp, bool]:
    """The enterprise's help to the village in the year, upserted; (help, created)."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    pledged, paid = _fen(pledged, "承诺资金（元）"), _fen(paid, "到位资金（元）")
    village = get_village_for_user(actor, village_code, field="帮扶村")
    _refuse(help_problems(village_name=village.name, village_level=village.level, year=year, pledged=pledged,
                          paid=paid, note=note))
    with transaction.atomic(durable=True):
        enterprise = get_for_user(scoped(Enterprise, actor), actor, pk=enterprise_id)
        found = EnterpriseHelp.objects_unscoped.select_for_update().filter(
            enterprise=enterprise, village=village, year=year).first()
        created = found is None
        if found is None:
            try:
                with transaction.atomic():  # a savepoint: two first saves at once meet on the unique index
                    found = EnterpriseHelp.objects_unscoped.create(
                        enterprise=enterprise, village=village, year=year, pledged=pledged, paid=paid,
                        note=note.strip())
            except IntegrityError:
                raise Conflict(f"{enterprise.name}对{village.name}{year}年度的帮扶刚由他人登记，请刷新后重试") from None
        else:
            found.pledged, found.paid, found.note = pledged, paid, note.strip()
            found.save(update_fields=["pledged", "paid", "note"])
        record(actor=actor, action=Action.CREATE if created else Action.UPDATE, object_type="enterprise",
               object_id=enterprise.pk, region_code=village.code,
               summary=f"“{enterprise.name}”{year}年帮扶{village.name}：承诺 {pledged} 元，到位 {paid} 元")
    return found, created


def delete_help(*, actor: Any, help_id: int) -> None:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        found = get_for_user(scoped(EnterpriseHelp, actor).select_related("enterprise", "village")
                             .select_for_update(of=("self",)), actor, pk=help_id)
        found.delete()
        record(actor=actor, action=Action.DELETE, object_type="enterprise", object_id=found.enterprise_id,
               region_code=found.village_id,
               summary=f"删除“{found.enterprise.name}”{found.year}年对{found.village.name}的帮扶记录")
