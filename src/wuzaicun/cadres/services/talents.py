"""Writes of 千村千人计划 talents and 项目书记: each one transaction, audited, refusals in Chinese naming the
person, village or field. Every record is read and written through `scoped(...)`, never an unscoped manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import diff, record
from wuzaicun.core.bounds import YEAR_RANGE, range_of
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.regions.models import Region
from wuzaicun.regions.selectors import get_village_for_user
from wuzaicun.registry.models import Person
from wuzaicun.registry.selectors import get_person_for_user

from ..models.talents import (
    ProjectRole,
    ProjectSecretary,
    SecretaryProject,
    Talent,
    TalentField,
    TalentVillage,
    TalentVisit,
    VisitPlan,
)
from ..rules.talents import (
    CONTENT_MAX,
    PROJECT_NAME_MAX,
    project_village_problem,
    secretary_region_problem,
    served_village_problem,
    talent_region_problem,
    visit_date_problem,
)

M = TypeVar("M", bound=models.Model)
AMOUNT_RANGE = range_of(SecretaryProject, "amount", low=0, label="投资额")
NO_VILLAGE = "请至少选择一个服务村"


def _person(actor: Any, person_id: int) -> Person:
    try:
        return get_person_for_user(actor, person_id)
    except NotFound:
        raise NotFound("所选人员不存在或不在您的管辖范围内") from None


def _region(actor: Any, code: str, *, field: str) -> Region:
    try:
        return get_for_user(Region, actor, code=code)
    except NotFound:
        raise NotFound(f"{field}“{code}”不存在或不在您的管辖范围内") from None


def _year(year: int) -> int:
    checked: int = YEAR_RANGE.check(year)
    return checked


def _create_once(rows: QuerySet[M], taken: DomainError, **values: Any) -> M:
    """Create a record unique per (person, year); the one person a year may have been registered by a region
    outside the user's scope, so the unique constraint answers (in a savepoint), not a scoped look-up."""
    try:
        with transaction.atomic():
            return rows.create(**values)
    except IntegrityError:
        raise taken from None


def _choice(value: Any, options: Any, label: str) -> None:
    if value not in options.values:
        raise DomainError(f"{label}“{value}”不是可选值（{'、'.join(str(x) for x in options.labels)}）", field=label)


# ---------------------------------------------------------------------------------------------------------
# 千村千人计划人才


def _default_talent_region(actor: Any, person: Person) -> str:
    """The person's county when it is in scope, else the user's own scope (a township registers its own)."""
    county = person.region_id[:6].ljust(12, "0")
    if scoped(Region, actor).filter(code=county).exists():
        return county
    prefix = str(getattr(actor, "scope_prefix", "") or "")
    return prefix.ljust(12, "0") if prefix else county


def _served_villages(actor: Any, region: Region, codes: Sequence[str]) -> list[Region]:
    if not codes:
        raise DomainError(NO_VILLAGE, field="服务村")
    villages = []
    for code in dict.fromkeys(codes):
        village = get_village_for_user(actor, code, field="服务村")
        if problem := served_village_problem(village_code=village.code, village_name=village.name,
                                             region_code=region.code, region_name=region.name):
            raise DomainError(problem, field="服务村")
        villages.append(village)
    return villages


def _check_talent(*, field: str, visit_every: int) -> None:
    _choice(field, TalentField, "专业领域")
    _choice(visit_every, VisitPlan, "走访计划")


def create_talent(*, actor: Any, person_id: int, year: int, field: str, visit_every: int,
                  village_codes: Sequence[str], region_code: str = "") -> Talent:
    """Register a person as the year's 千村千人计划 talent, serving villages under the registering region."""
    require_perm(actor, Perm.EDIT_CADRES)
    person = _person(actor, person_id)
    year = _year(year)
    _check_talent(field=field, visit_every=visit_every)
    region = _region(actor, region_code or _default_talent_region(actor, person), field="登记区划")
    if problem := talent_region_problem(region.level, region.name):
        raise DomainError(problem, field="登记区划")
    villages = _served_villages(actor, region, village_codes)
    with transaction.atomic(durable=True):
        taken = DomainError(f"{person.name}已登记为{year}年千村千人计划人才", field="姓名", code="duplicate")
        talent = _create_once(scoped(Talent, actor), taken, person=person, region=region, year=year, field=field,
                              visit_every=visit_every)
        scoped(TalentVillage, actor).bulk_create([TalentVillage(talent=talent, village=v) for v in villages])
        record(actor=actor, action=Action.CREATE, object_type="talent", object_id=talent.pk, region_code=region.code,
               summary=f"登记{year}年千村千人计划人才{person.name}（{TalentField(field).label}，"
                       f"{VisitPlan(visit_every).label}走访），服务{'、'.join(v.name for v in villages)}")
    return talent


def update_talent(*, actor: Any, talent_id: int, field: str, visit_every: int,
                  village_codes: Sequence[str]) -> Talent:
    """Change the field, the visit plan and the served villages; a village with visits cannot be removed."""
    require_perm(actor, Perm.EDIT_CADRES)
    _check_talent(field=field, visit_every=visit_every)
    with transaction.atomic(durable=True):
        talent = get_for_user(scoped(Talent, actor).select_for_update().select_related("person", "region"),
                              actor, pk=talent_id)
        villages = _served_villages(actor, talent.region, village_codes)
        current = set(scoped(TalentVillage, actor).filter(talent=talent).values_list("village_id", flat=True))
        wanted = {v.code for v in villages}
        removed = current - wanted
        visited = (scoped(TalentVisit, actor).filter(talent=talent, village_id__in=removed)
                   .select_related("village").order_by("village_id").first())
        if visited is not None:
            raise DomainError(f"{talent.person.name}已走访过{visited.village.name}，不能移除该服务村", field="服务村")
        old = {"field": talent.field, "visit_every": talent.visit_every, "villages": sorted(current)}
        new = {"field": field, "visit_every": visit_every, "villages": sorted(wanted)}
        changes = diff(old, new)
        if changes:
            talent.field, talent.visit_every = field, visit_every
            talent.save(update_fields=["field", "visit_every"])
            scoped(TalentVillage, actor).filter(talent=talent, village_id__in=removed).delete()
            scoped(TalentVillage, actor).bulk_create(
                [TalentVillage(talent=talent, village=v) for v in villages if v.code not in current])
            record(actor=actor, action=Action.UPDATE, object_type="talent", object_id=talent.pk,
                   region_code=talent.region_id, summary=f"修改{talent.year}年千村千人计划人才{talent.person.name}",
                   changes=changes)
    return talent


def delete_talent(*, actor: Any, talent_id: int) -> None:
    """Remove a talent with their villages and visits (the audit row keeps who and when)."""
    require_perm(actor, Perm.EDIT_CADRES)
    with transaction.atomic(durable=True):
        talent = get_for_user(scoped(Talent, actor).select_related("person"), actor, pk=talent_id)
        visits = scoped(TalentVisit, actor).filter(talent=talent).count()
        record(actor=actor, action=Action.DELETE, object_type="talent", object_id=talent.pk,
               region_code=talent.region_id,
               summary=f"删除{talent.year}年千村千人计划人才{talent.person.name}（连同{visits}条走访记录）")
        talent.delete()


def record_visit(*, actor: Any, talent_id: int, village_code: str, date: dt.date, content: str) -> TalentVisit:
    """登记走访: a visit to one of the talent's villages, dated neither in the future nor before 入选年度."""
    require_perm(actor, Perm.EDIT_CADRES)
    talent = get_for_user(scoped(Talent, actor).select_related("person"), actor, pk=talent_id)
    village = get_village_for_user(actor, village_code, field="走访村")
    content = content.strip()
    if not content:
        raise DomainError("请填写服务内容", field="服务内容")
    if len(content) > CONTENT_MAX:
        raise DomainError(f"服务内容不能超过{CONTENT_MAX}个字", field="服务内容")
    if problem := visit_date_problem(date=date, year=talent.year, today=timezone.localdate()):
        raise DomainError(problem, field="走访日期")
    if not scoped(TalentVillage, actor).filter(talent=talent, village=village).exists():
        raise DomainError(f"{village.name}不是{talent.person.name}的服务村", field="走访村")
    with transaction.atomic(durable=True):
        visit = scoped(TalentVisit, actor).create(talent=talent, village=village, date=date, content=content)
        record(actor=actor, action=Action.CREATE, object_type="talent_visit", object_id=visit.pk,
               region_code=village.code, summary=f"登记{talent.person.name}{date:%Y-%m-%d}走访{village.name}")
    return visit


def delete_visit(*, actor: Any, visit_id: int) -> TalentVisit:
    require_perm(actor, Perm.EDIT_CADRES)
    with transaction.atomic(durable=True):
        visit = get_for_user(scoped(TalentVisit, actor).select_related("talent__person", "village"), actor, pk=visit_id)
        record(actor=actor, action=Action.DELETE, object_type="talent_visit", object_id=visit.pk,
               region_code=visit.village_id,
               summary=f"删除{visit.talent.person.name}{visit.date:%Y-%m-%d}走访{visit.village.name}的记录")
        visit.delete()
    return visit


# ---------------------------------------------------------------------------------------------------------
# 项目书记


def _secretary_region(actor: Any, code: str) -> Region:
    region = _region(actor, code, field="所在乡镇或村")
    if problem := secretary_region_problem(region.level, region.name):
        raise DomainError(problem, field="所在乡镇或村")
    return region


def create_secretary(*, actor: Any, person_id: int, region_code: str, year: int) -> ProjectSecretary:
    require_perm(actor, Perm.EDIT_CADRES)
    person = _person(actor, person_id)
    year = _year(year)
    region = _secretary_region(actor, region_code)
    with transaction.atomic(durable=True):
        taken = DomainError(f"{person.name}已是{year}年的项目书记", field="姓名", code="duplicate")
        secretary = _create_once(scoped(ProjectSecretary, actor), taken, person=person, region=region, year=year)
        record(actor=actor, action=Action.CREATE, object_type="project_secretary", object_id=secretary.pk,
               region_code=region.code, summary=f"登记{year}年{region.name}项目书记{person.name}")
    return secretary


def update_secretary(*, actor: Any, secretary_id: int, region_code: str) -> ProjectSecretary:
    """Move a secretary to another township or village; every project must stay under it."""
    require_perm(actor, Perm.EDIT_CADRES)
    region = _secretary_region(actor, region_code)
    with transaction.atomic(durable=True):
        secretary = get_for_user(scoped(ProjectSecretary, actor).select_for_update().select_related("person", "region"),
                                 actor, pk=secretary_id)
        if secretary.region_id == region.code:
            return secretary
        for project in scoped(SecretaryProject, actor).filter(secretary=secretary).select_related("village"):
            if problem := project_village_problem(village_code=project.village_id, village_name=project.village.name,
                                                  region_code=region.code, region_name=region.name):
                raise DomainError(f"项目“{project.name}”的{problem}", field="所在乡镇或村")
        changes = diff({"region": secretary.region_id}, {"region": region.code})
        secretary.region = region
        secretary.save(update_fields=["region"])
        record(actor=actor, action=Action.UPDATE, object_type="project_secretary", object_id=secretary.pk,
               region_code=region.code, summary=f"修改项目书记{secretary.person.name}的所在区划为{region.name}",
               changes=changes)
    return secretary


def delete_secretary(*, actor: Any, secretary_id: int) -> None:
    require_perm(actor, Perm.EDIT_CADRES)
    with transaction.atomic(durable=True):
        secretary = get_for_user(scoped(ProjectSecretary, actor).select_related("person"), actor, pk=secretary_id)
        projects = scoped(SecretaryProject, actor).filter(secretary=secretary).count()
        record(actor=actor, action=Action.DELETE, object_type="project_secretary", object_id=secretary.pk,
               region_code=secretary.region_id,
               summary=f"删除{secretary.year}年项目书记{secretary.person.name}（连同{projects}个项目）")
        secretary.delete()


def _project_values(actor: Any, secretary: ProjectSecretary, *, name: str, role: str, village_code: str,
                    amount: Decimal | None) -> dict[str, Any]:
    name = name.strip()
    if not name:
        raise DomainError("请填写项目名称", field="项目名称")
    if len(name) > PROJECT_NAME_MAX:
        raise DomainError(f"项目名称不能超过{PROJECT_NAME_MAX}个字", field="项目名称")
    _choice(role, ProjectRole, "方式")
    village = get_village_for_user(actor, village_code, field="实施村")
    region = secretary.region
    if problem := project_village_problem(village_code=village.code, village_name=village.name,
                                          region_code=region.code, region_name=region.name):
        raise DomainError(problem, field="实施村")
    return {"name": name, "role": role, "village": village, "amount": AMOUNT_RANGE.check(amount)}


def add_project(*, actor: Any, secretary_id: int, name: str, role: str, village_code: str,
                amount: Decimal | None = None) -> SecretaryProject:
    require_perm(actor, Perm.EDIT_CADRES)
    secretary = get_for_user(scoped(ProjectSecretary, actor).select_related("person", "region"), actor, pk=secretary_id)
    values = _project_values(actor, secretary, name=name, role=role, village_code=village_code, amount=amount)
    with transaction.atomic(durable=True):
        project = scoped(SecretaryProject, actor).create(secretary=secretary, **values)
        record(actor=actor, action=Action.CREATE, object_type="secretary_project", object_id=project.pk,
               region_code=project.village_id,
               summary=f"项目书记{secretary.person.name}{ProjectRole(role).label}项目“{project.name}”"
                       f"（{project.village.name}）")
    return project


def update_project(*, actor: Any, project_id: int, name: str, role: str, village_code: str,
                   amount: Decimal | None = None) -> SecretaryProject:
    require_perm(actor, Perm.EDIT_CADRES)
    with transaction.atomic(durable=True):
        project = get_for_user(
            scoped(SecretaryProject, actor).select_for_update().select_related("secretary__person", "secretary__region"),
            actor, pk=project_id)
        values = _project_values(actor, project.secretary, name=name, role=role, village_code=village_code,
                                 amount=amount)
        old = {"name": project.name, "role": project.role, "village": project.village_id, "amount": project.amount}
        changes = diff(old, {**values, "village": values["village"].code})
        if changes:
            for key, value in values.items():
                setattr(project, key, value)
            project.save(update_fields=["name", "role", "village", "amount"])
            record(actor=actor, action=Action.UPDATE, object_type="secretary_project", object_id=project.pk,
                   region_code=project.village_id, summary=f"修改项目书记{project.secretary.person.name}的项目“{project.name}”",
                   changes=changes)
    return project


def remove_project(*, actor: Any, project_id: int) -> SecretaryProject:
    require_perm(actor, Perm.EDIT_CADRES)
    with transaction.atomic(durable=True):
        project = get_for_user(scoped(SecretaryProject, actor).select_related("secretary__person"), actor, pk=project_id)
        record(actor=actor, action=Action.DELETE, object_type="secretary_project", object_id=project.pk,
               region_code=project.village_id,
               summary=f"删除项目书记{project.secretary.person.name}的项目“{project.name}”")
        project.delete()
    return project

