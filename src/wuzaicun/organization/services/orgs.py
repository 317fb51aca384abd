"""Writes of the orgs area: organisations and members, supervisory committees with members and duties,
social organisations, e-commerce stations and the services they gave poor households.

Each write is one transaction with its audit row; targets are found through `scoped` (out of scope answers
as missing); a person must be registered as a party member to be a secretary or a member.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import diff, record
from wuzaicun.core.errors import Conflict, DomainError, NotFound
from wuzaicun.regions.models import Region
from wuzaicun.regions.selectors import get_village_for_user
from wuzaicun.registry.models import Household, Person

from ..models.orgs import (
    CommitteeDuty,
    CommitteeMember,
    EcommerceStation,
    Membership,
    OrgCategory,
    OrgType,
    PartyOrganisation,
    ServiceKind,
    ServiceRecord,
    SocialOrganisation,
    SocialOrgKind,
    SupervisoryCommittee,
)
from ..rules.orgs import (
    COMMITTEE_DUTIES,
    category_problem,
    children_problem,
    committee_member_problems,
    cycle_problem,
    parent_problem,
    party_member_problem,
)

M = TypeVar("M", bound=models.Model)
ORG_FIELDS = ("name", "org_type", "category", "product", "parent_id", "region_id", "secretary_id", "founded_on")


def _person(actor: Any, person_id: int, *, field: str) -> Person:
    try:
        return get_for_user(Person, actor, pk=person_id)
    except NotFound:
        raise DomainError(f"{field}：所选人员不存在或不在您的管辖范围内", field=field, code="not_found") from None


def _party_member(actor: Any, person_id: int, *, field: str) -> Person:
    person = _person(actor, person_id, field=field)
    if problem := party_member_problem(person.name, person.political_status):
        raise DomainError(problem, field=field, code="not_party_member")
    return person


def _region(actor: Any, code: str, *, field: str = "所属区划") -> Region:
    try:
        return get_for_user(Region, actor, code=code)
    except NotFound:
        raise DomainError(f"{field}“{code}”不存在或不在您的管辖范围内", field=field, code="not_found") from None


def _locked(queryset: QuerySet[M], pk: int, expected_version: int | None) -> M:
    try:
        obj = queryset.select_for_update().get(pk=pk)
    except (models.ObjectDoesNotExist, ValueError, OverflowError):
        raise NotFound() from None
    if expected_version is not None and getattr(obj, "version", None) != expected_version:
        raise Conflict()
    return obj


# --- party organisations ----------------------------------------------------------------------------------

def organisation_problems(
    actor: Any, *, org_id: int | None, name: str, org_type: str, category: str, product: str,
    parent_id: int | None, region_code: str,
) -> list[tuple[str, str]]:
    """Every problem of an organisation's values that needs the database (parent in scope, tree rules)."""
    problems: list[tuple[str, str]] = []
    if not name.strip():
        problems.append(("组织名称", "组织名称为必填项"))
    if org_type not in OrgType.values:
        problems.append(("组织类型", f"组织类型“{org_type}”不是可选值（党委、党总支、党支部）"))
    if category not in OrgCategory.values:
        problems.append(("类别", f"类别“{category}”不是可选值"))
    if problem := category_problem(category=category, org_type=org_type, product=product):
        problems.append(("特色产品" if "产品" in problem else "组织类型", problem))
    if parent_id is not None:
        visible = scoped(PartyOrganisation, actor)
        parent = visible.filter(pk=parent_id).values_list("org_type", "region_id").first()
        if parent is None:
            problems.append(("上级组织", "上级组织不存在或不在您的管辖范围内"))
        else:
            if problem := parent_problem(org_type=org_type, parent_type=parent[0]):
                problems.append(("上级组织", problem))
            if not region_code.startswith(_significant(parent[1])):
                problems.append(("上级组织", "上级组织须在本组织所属区划或其上级区划"))
            if org_id is not None:
                parents = dict(visible.values_list("pk", "parent_id"))
                if problem := cycle_problem(org_id, parent_id, parents):
                    problems.append(("上级组织", problem))
    if org_id is not None and org_type == OrgType.BRANCH:
        has_children = scoped(PartyOrganisation, actor).filter(parent_id=org_id).exists()
        if problem := children_problem(org_type=org_type, has_children=has_children):
            problems.append(("组织类型", problem))
    return problems


def _significant(code: str) -> str:
    from wuzaicun.regions.codes import prefix_of

    return prefix_of(code)


def save_organisation(
    *,
    actor: Any,
    org_id: int | None = None,
    expected_version: int | None = None,
    name: str,
    org_type: str,
    category: str,
    product: str = "",
    parent_id: int | None = None,
    region_code: str,
    secretary_id: int | None = None,
    founded_on: dt.date | None = None,
) -> PartyOrganisation:
    """Create an organisation, or update one (its secretary must be a registered party member)."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    name = name.strip()
    product = (product or "").strip()
    region = _region(actor, region_code)
    for column, message in organisation_problems(
            actor, org_id=org_id, name=name, org_type=org_type, category=category, product=product,
            parent_id=parent_id, region_code=region.code):
        raise DomainError(message, field=column)
    if secretary_id is not None:
        _party_member(actor, secretary_id, field="书记")
    values: dict[str, Any] = {"name": name, "org_type": org_type, "category": category, "product": product,
                              "parent_id": parent_id, "region_id": region.code, "secretary_id": secretary_id,
                              "founded_on": founded_on}
    if scoped(PartyOrganisation, actor).filter(region_id=region.code, name=name).exclude(pk=org_id or 0).exists():
        raise DomainError(f"{region.name}已有名为“{name}”的党组织", field="组织名称", code="duplicate")
    try:
        with transaction.atomic(durable=True):
            if org_id is None:
                org = PartyOrganisation(**values)
                org.save()
                record(actor=actor, action=Action.CREATE, object_type="party_organisation", object_id=org.pk,
                       region_code=region.code, summary=f"新增党组织 {name}", changes=diff({}, values))
                return org
            org = _locked(scoped(PartyOrganisation, actor), org_id, expected_version)
            old = {k: getattr(org, k) for k in ORG_FIELDS}
            for key, value in values.items():
                setattr(org, key, value)
            org.version += 1
            org.save(update_fields=[*ORG_FIELDS, "version"])
            record(actor=actor, action=Action.UPDATE, object_type="party_organisation", object_id=org.pk,
                   region_code=region.code, summary=f"修改党组织 {name}", changes=diff(old, values))
            return org
    except IntegrityError:
        raise DomainError(f"{region.name}已有名为“{name}”的党组织", field="组织名称", code="duplicate") from None


def delete_organisation(*, actor: Any, org_id: int) -> None:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    with transaction.atomic(durable=True):
        org = _locked(scoped(PartyOrganisation, actor), org_id, None)
        if org.children.exists():  # children out of the actor's scope count too: the tree must stay whole
            raise DomainError(f"“{org.name}”还有下级组织，请先删除或调整下级组织", field="下级组织")
        members = org.memberships.count()
        org.memberships.all().delete()
        org.delete()
        record(actor=actor, action=Action.DELETE, object_type="party_organisation", object_id=org_id,
               region_code=org.region_id, summary=f"删除党组织 {org.name}（{members} 名党员的组织关系）")


def add_members(*, actor: Any, org_id: int, person_ids: Sequence[int], joined_on: dt.date | None = None) -> int:
    """Add registered party members to an organisation; anybody who is not one is refused by name."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    if not person_ids:
        raise DomainError("请选择要加入的党员", field="党员")
    people = {p.pk: p for p in scoped(Person, actor).filter(pk__in=list(person_ids))}
    missing = [pk for pk in person_ids if pk not in people]
    if missing:
        raise DomainError("所选人员不存在或不在您的管辖范围内", field="党员", code="not_found")
    refused = [problem for p in people.values() if (problem := party_member_problem(p.name, p.political_status))]
    if refused:
        raise DomainError("；".join(refused), field="党员", code="not_party_member")
    with transaction.atomic(durable=True):
        org = _locked(scoped(PartyOrganisation, actor), org_id, None)
        present = set(org.memberships.values_list("person_id", flat=True))
        new = [Membership(organisation=org, person_id=pk, joined_on=joined_on)
               for pk in dict.fromkeys(person_ids) if pk not in present]
        org.memberships.bulk_create(new)
        if new:
            record(actor=actor, action=Action.UPDATE, object_type="party_organisation", object_id=org.pk,
                   region_code=org.region_id, summary=f"{org.name}新增党员 {len(new)} 名",
                   changes={"members_added": [None, [people[m.person_id].name for m in new]]})
        return len(new)


def remove_member(*, actor: Any, org_id: int, person_id: int) -> None:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    with transaction.atomic(durable=True):
        org = _locked(scoped(PartyOrganisation, actor), org_id, None)
        membership = org.memberships.select_related("person").filter(person_id=person_id).first()
        if membership is None:
            raise NotFound("该党员不在本组织中")
        membership.delete()
        record(actor=actor, action=Action.UPDATE, object_type="party_organisation", object_id=org.pk,
               region_code=org.region_id, summary=f"{org.name}移出党员 {membership.person.name}",
               changes={"members_removed": [membership.person.name, None]})


# --- supervisory committees -------------------------------------------------------------------------------

def create_committee(*, actor: Any, village_code: str, founded_on: dt.date | None = None,
                     members: Sequence[tuple[int, str]] = ()) -> SupervisoryCommittee:
    """A village's 村务监督委员会, with its members ((person id, post): chair or member)."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    village = get_village_for_user(actor, village_code)
    _check_committee_members(actor, members)
    if scoped(SupervisoryCommittee, actor).filter(village=village).exists():
        raise DomainError(f"{village.name}已有村务监督委员会", field="村", code="duplicate")
    try:
        with transaction.atomic(durable=True):
            committee = SupervisoryCommittee(village=village, founded_on=founded_on)
            committee.save()
            committee.members.bulk_create(
                [CommitteeMember(committee=committee, person_id=pk, post=post) for pk, post in members])
            record(actor=actor, action=Action.CREATE, object_type="supervisory_committee", object_id=committee.pk,
                   region_code=village.code, summary=f"新建{village.name}村务监督委员会（{len(members)} 名成员）")
            return committee
    except IntegrityError:
        raise DomainError(f"{village.name}已有村务监督委员会", field="村", code="duplicate") from None


def _check_committee_members(actor: Any, members: Sequence[tuple[int, str]]) -> None:
    for problem in committee_member_problems(post for _, post in members):
        raise DomainError(problem, field="职务")
    if len({pk for pk, _ in members}) != len(members):
        raise DomainError("同一人不能重复加入村务监督委员会", field="成员")
    for pk, _ in members:
        _person(actor, pk, field="成员")


def set_committee_members(*, actor: Any, committee_id: int, members: Sequence[tuple[int, str]],
                          expected_version: int | None = None) -> SupervisoryCommittee:
    """Replace a committee's members (person picker, 主任/委员)."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    _check_committee_members(actor, members)
    with transaction.atomic(durable=True):
        committee = _locked(scoped(SupervisoryCommittee, actor).select_related("village"), committee_id,
                            expected_version)
        old = sorted(committee.members.values_list("person_id", "post"))
        committee.members.all().delete()
        committee.members.bulk_create(
            [CommitteeMember(committee=committee, person_id=pk, post=post) for pk, post in members])
        committee.version += 1
        committee.save(update_fields=["version"])
        record(actor=actor, action=Action.UPDATE, object_type="supervisory_committee", object_id=committee.pk,
               region_code=committee.village_id, summary=f"调整{committee.village.name}村务监督委员会成员",
               changes={"members": [[list(m) for m in old], [list(m) for m in sorted(members)]]})
        return committee


def record_duties(*, actor: Any, committee_id: int, year: int, done: Iterable[str],
                  notes: dict[str, str] | None = None) -> int:
    """Set the year's duty checklist: the standard duties in `done` are 已履行, the rest not. Returns done count."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    done_set = set(done)
    unknown = sorted(done_set - set(COMMITTEE_DUTIES))
    if unknown:
        raise DomainError(f"“{'、'.join(unknown)}”不是村务监督委员会的标准职责", field="职责")
    if not 1949 <= year <= 2100:
        raise DomainError("年度须在 1949–2100 之间", field="年度")
    notes = notes or {}
    with transaction.atomic(durable=True):
        committee = _locked(scoped(SupervisoryCommittee, actor).select_related("village"), committee_id, None)
        before = set(committee.duties.filter(year=year, done=True).values_list("duty", flat=True))
        committee.duties.filter(year=year).delete()
        committee.duties.bulk_create([
            CommitteeDuty(committee=committee, year=year, duty=duty, done=duty in done_set,
                          note=notes.get(duty, "")[:300]) for duty in COMMITTEE_DUTIES])
        record(actor=actor, action=Action.UPDATE, object_type="supervisory_committee", object_id=committee.pk,
               region_code=committee.village_id,
               summary=f"{committee.village.name}村务监督委员会{year}年履职：{len(done_set)}/{len(COMMITTEE_DUTIES)} 项",
               changes={"done": [sorted(before), sorted(done_set)]})
        return len(done_set)


def delete_committee(*, actor: Any, committee_id: int) -> None:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    with transaction.atomic(durable=True):
        committee = _locked(scoped(SupervisoryCommittee, actor).select_related("village"), committee_id, None)
        committee.delete()
        record(actor=actor, action=Action.DELETE, object_type="supervisory_committee", object_id=committee_id,
               region_code=committee.village_id, summary=f"撤销{committee.village.name}村务监督委员会")


# --- social organisations and stations --------------------------------------------------------------------

def save_social_org(*, actor: Any, social_org_id: int | None = None, expected_version: int | None = None,
                    name: str, kind: str, region_code: str, founded_on: dt.date | None = None) -> SocialOrganisation:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    name = name.strip()
    if not name:
        raise DomainError("名称为必填项", field="名称")
    if kind not in SocialOrgKind.values:
        raise DomainError(f"类型“{kind}”不是可选值（{'、'.join(SocialOrgKind.labels)}）", field="类型")
    region = _region(actor, region_code)
    values: dict[str, Any] = {"name": name, "kind": kind, "region_id": region.code, "founded_on": founded_on}
    saved: SocialOrganisation = _save_named(actor, SocialOrganisation, social_org_id, expected_version, values, region,
                       object_type="social_organisation", noun="社会组织")
    return saved


def save_station(*, actor: Any, station_id: int | None = None, expected_version: int | None = None,
                 name: str, region_code: str, operator: str = "", opened_on: dt.date | None = None) -> EcommerceStation:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    name = name.strip()
    if not name:
        raise DomainError("站点名称为必填项", field="站点名称")
    region = _region(actor, region_code)
    values: dict[str, Any] = {"name": name, "region_id": region.code, "operator": (operator or "").strip(),
                              "opened_on": opened_on}
    station: EcommerceStation = _save_named(actor, EcommerceStation, station_id, expected_version, values, region,
                       object_type="ecommerce_station", noun="电商服务站点")
    return station


def _save_named(actor: Any, model: Any, pk: int | None, expected_version: int | None, values: dict[str, Any],
                region: Region, *, object_type: str, noun: str) -> Any:
    name = values["name"]
    duplicate = DomainError(f"{region.name}已有名为“{name}”的{noun}", field="名称", code="duplicate")
    if scoped(model, actor).filter(region_id=region.code, name=name).exclude(pk=pk or 0).exists():
        raise duplicate
    try:
        with transaction.atomic(durable=True):
            if pk is None:
                obj = model(**values)
                obj.save()
                record(actor=actor, action=Action.CREATE, object_type=object_type, object_id=obj.pk,
                       region_code=region.code, summary=f"新增{noun} {name}", changes=diff({}, values))
                return obj
            obj = _locked(scoped(model, actor), pk, expected_version)
            old = {k: getattr(obj, k) for k in values}
            for key, value in values.items():
                setattr(obj, key, value)
            obj.version += 1
            obj.save(update_fields=[*values, "version"])
            record(actor=actor, action=Action.UPDATE, object_type=object_type, object_id=obj.pk,
                   region_code=region.code, summary=f"修改{noun} {name}", changes=diff(old, values))
            return obj
    except IntegrityError:
        raise duplicate from None


def record_service(*, actor: Any, household_id: int, kind: str, served_on: dt.date, note: str = "",
                   social_org_id: int | None = None, station_id: int | None = None) -> ServiceRecord:
    """A service a social organisation or a station gave a poor household (both in scope)."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    if (social_org_id is None) == (station_id is None):
        raise DomainError("请选择提供服务的社会组织或电商服务站点（二选一）", field="服务主体")
    if kind not in ServiceKind.values:
        raise DomainError(f"服务类型“{kind}”不是可选值（{'、'.join(ServiceKind.labels)}）", field="服务类型")
    if served_on > timezone.localdate():
        raise DomainError("服务日期不能晚于今天", field="服务日期")
    try:
        household = get_for_user(Household, actor, pk=household_id)
    except NotFound:
        raise DomainError("所选农户不存在或不在您的管辖范围内", field="贫困户", code="not_found") from None
    if social_org_id is not None:
        provider: Any = get_for_user(SocialOrganisation, actor, pk=social_org_id)
    else:
        provider = get_for_user(EcommerceStation, actor, pk=station_id)
    with transaction.atomic(durable=True):
        service = ServiceRecord(social_org_id=social_org_id, station_id=station_id, household=household, kind=kind,
                                served_on=served_on, note=note.strip()[:300],
                                recorded_by=actor if getattr(actor, "pk", None) else None)
        service.save()
        record(actor=actor, action=Action.CREATE, object_type="service_record", object_id=service.pk,
               region_code=household.region_id,
               summary=f"{provider.name}为{household.head_name}户提供{service.get_kind_display()}服务（{served_on}）")
        return service


def delete_provider(*, actor: Any, kind: str, provider_id: int) -> None:
    """Delete a social organisation (kind "social_org") or an e-commerce station ("station") with its service
    records, which the audit row counts."""
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    noun = "社会组织" if kind == "social_org" else "电商服务站点"
    with transaction.atomic(durable=True):
        provider: SocialOrganisation | EcommerceStation = (
            _locked(scoped(SocialOrganisation, actor), provider_id, None) if kind == "social_org"
            else _locked(scoped(EcommerceStation, actor), provider_id, None))
        services = provider.services.count()
        provider.delete()
        record(actor=actor, action=Action.DELETE, object_type="social_organisation" if kind == "social_org" else
               "ecommerce_station", object_id=provider_id, region_code=provider.region_id,
               summary=f"删除{noun} {provider.name}（连同 {services} 条服务记录）")


def delete_service(*, actor: Any, service_id: int) -> None:
    require_perm(actor, Perm.EDIT_ORGANIZATION)
    with transaction.atomic(durable=True):
        service = get_for_user(scoped(ServiceRecord, actor).select_related("household"), actor, pk=service_id)
        service.delete()
        record(actor=actor, action=Action.DELETE, object_type="service_record", object_id=service_id,
               region_code=service.household.region_id,
               summary=f"删除{service.household.head_name}户的{service.get_kind_display()}服务记录（{service.served_on}）")

