"""Writes of 整合项目: a project with its funding sources, its beneficiary households, its stages with their dates
and the evidence at 验收 (one transaction each, audited). Edits of the project carry the version read (乐观锁):
a project saved by somebody else meanwhile is refused (Conflict) and nothing changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.errors import Conflict, DomainError, NotFound, OutOfOrder
from wuzaicun.core.evidence import Upload, attach_evidence
from wuzaicun.regions.models import Region
from wuzaicun.registry.models import Household

from ..models.projects import (
    FundSource,
    Project,
    ProjectBeneficiary,
    ProjectEvidence,
    ProjectFunding,
    ProjectStage,
)
from ..rules.projects import (
    DATE_FIELDS,
    DATE_LABELS,
    amount_problem,
    beneficiary_problem,
    fundings_problems,
    most_specific,
    next_stage,
    order_problem,
    place_of,
    place_problem,
    stage_problem,
)


def _place(actor: Any, region_code: str) -> tuple[Region, Region | None, Region | None]:
    """The county, township and village of a project registered at `region_code` (in the actor's scope)."""
    code = (region_code or "").strip()
    try:
        county, township, village = place_of(code)
    except ValueError as exc:
        raise DomainError(str(exc), field="区划代码") from None
    if problem := place_problem(county, township, village):
        raise DomainError(problem, field="区划代码")
    found = {r.code: r for r in scoped(Region, actor).filter(code__in=[c for c in (county, township, village) if c])}
    if code not in found:
        raise NotFound(f"区划代码“{code}”不存在或不在您的管辖范围内")
    # the scope may start below the county: the county and township are still the project's, read unscoped
    missing = [c for c in (county, township) if c and c not in found]
    found |= {r.code: r for r in Region.objects_unscoped.filter(code__in=missing)}
    return found[county], found.get(township) if township else None, found.get(village) if village else None


def _locked(actor: Any, project_id: int, expected_version: int | None = None) -> Project:
    project = get_for_user(scoped(Project, actor).select_related("county", "township", "village")
                           .select_for_update(of=("self",)),
                           actor, pk=project_id)
    if expected_version is not None and project.version != expected_version:
        raise Conflict()
    return project


def _where(project: Project) -> str:
    return "".join(r.name for r in (project.county, project.township, project.village) if r is not None)


def _bump(project: Project, *fields: str) -> None:
    project.version += 1
    project.save(update_fields=[*fields, "version"])


def _check_fundings(fundings: Mapping[str, Decimal | None]) -> None:
    if problems := fundings_problems(fundings):
        raise DomainError("；".join(problems), field="资金来源")


def _check_approved(year: int, approved_on: dt.date) -> None:
    if approved_on.year != year:
        raise DomainError(f"立项日期（{approved_on:%Y-%m-%d}）须在立项年度{year}年之内", field="立项日期")
    if approved_on > timezone.localdate():
        raise DomainError("立项日期不能晚于今天", field="立项日期")


def create_project(*, actor: Any, name: str, year: int, region_code: str, approved_on: dt.date,
                   fundings: Mapping[str, Decimal | None], description: str = "",
                   household_ids: Sequence[int] = ()) -> Project:
    """立项: a project of the county (and township, and village when known) with its funding sources."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    name = (name or "").strip()
    if not name:
        raise DomainError("项目名称为必填项", field="项目名称")
    if len(name) > 200:
        raise DomainError("项目名称不能超过200个字", field="项目名称")
    _check_approved(year, approved_on)
    _check_fundings(fundings)
    county, township, village = _place(actor, region_code)
    with transaction.atomic(durable=True):
        project = Project.objects_unscoped.create(
            name=name, year=year, county=county, township=township, village=village,
            region_id=most_specific(county.code, township.code if township else None,
                                    village.code if village else None),
            approved_on=approved_on, description=(description or "").strip()[:500])
        ProjectFunding.objects_unscoped.bulk_create(
            [ProjectFunding(project=project, source=s, amount=a) for s, a in fundings.items()])
        added = _add_beneficiaries(actor, project, household_ids)
        total = sum((a for a in fundings.values() if a is not None), Decimal(0))
        record(actor=actor, action=Action.CREATE, object_type="project", object_id=project.pk,
               region_code=project.region_id,
               summary=f"立项：{_where(project)}“{name}”，{len(fundings)} 项资金共{total}元，受益户 {added} 户")
    return project


def update_project(*, actor: Any, project_id: int, expected_version: int, name: str, region_code: str,
                   approved_on: dt.date, description: str = "") -> Project:
    """Change the name, place, 立项日期 or content; a new village keeps no beneficiaries of the old one."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    name = (name or "").strip()
    if not name:
        raise DomainError("项目名称为必填项", field="项目名称")
    county, township, village = _place(actor, region_code)
    with transaction.atomic(durable=True):
        project = _locked(actor, project_id, expected_version)
        _check_approved(project.year, approved_on)
        if project.started_on and approved_on > project.started_on:
            raise DomainError(f"立项日期不能晚于开工日期（{project.started_on:%Y-%m-%d}）", field="立项日期")
        new_village = village.code if village else None
        if new_village != project.village_id and ProjectBeneficiary.objects_unscoped.filter(project=project).exists():
            raise DomainError("项目已有受益户，更换实施村前请先移出原村的受益户", field="区划代码")
        old = {"name": project.name, "region": project.region_id, "approved_on": str(project.approved_on),
               "description": project.description}
        project.name, project.approved_on, project.description = name, approved_on, (description or "").strip()[:500]
        project.county, project.township, project.village = county, township, village
        project.region_id = most_specific(county.code, township.code if township else None, new_village)
        _bump(project, "name", "approved_on", "description", "county", "township", "village", "region")
        new = {"name": name, "region": project.region_id, "approved_on": str(approved_on),
               "description": project.description}
        record(actor=actor, action=Action.UPDATE, object_type="project", object_id=project.pk,
               region_code=project.region_id, summary=f"修改项目“{name}”",
               changes={k: [old[k], new[k]] for k in new if old[k] != new[k]})
    return project


def set_funding(*, actor: Any, project_id: int, expected_version: int, source: str, amount: Decimal | None) -> Project:
    """Add a funding source to the project, or change its amount."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    if source not in FundSource.values:
        raise DomainError(f"资金来源“{source}”无效", field="资金来源")
    label = str(FundSource(source).label)
    if problem := amount_problem(amount, label):
        raise DomainError(problem, field="金额（元）")
    with transaction.atomic(durable=True):
        project = _locked(actor, project_id, expected_version)
        existing = ProjectFunding.objects_unscoped.filter(project=project, source=source).first()
        if existing is None:
            ProjectFunding.objects_unscoped.create(project=project, source=source, amount=amount)
            summary, changes = f"“{project.name}”增加资金来源{label}{amount}元", {source: [None, str(amount)]}
        else:
            summary = f"“{project.name}”{label}金额由{existing.amount}元改为{amount}元"
            changes = {source: [str(existing.amount), str(amount)]}
            existing.amount = amount
            existing.save(update_fields=["amount"])
        _bump(project)
        record(actor=actor, action=Action.UPDATE, object_type="project", object_id=project.pk,
               region_code=project.region_id, summary=summary, changes=changes)
    return project


def remove_funding(*, actor: Any, project_id: int, expected_version: int, source: str) -> Project:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        project = _locked(actor, project_id, expected_version)
        fundings = list(ProjectFunding.objects_unscoped.filter(project=project))
        found = next((f for f in fundings if f.source == source), None)
        if found is None:
            raise DomainError("该项目没有这项资金来源", field="资金来源")
        if len(fundings) == 1:
            raise DomainError("项目至少须有一项资金来源，不能删除最后一项", field="资金来源")
        found.delete()
        _bump(project)
        record(actor=actor, action=Action.UPDATE, object_type="project", object_id=project.pk,
               region_code=project.region_id,
               summary=f"“{project.name}”删除资金来源{found.get_source_display()}（{found.amount}元）",
               changes={source: [str(found.amount), None]})
    return project


def _add_beneficiaries(actor: Any, project: Project, household_ids: Sequence[int]) -> int:
    if not household_ids:
        return 0
    wanted = list(dict.fromkeys(household_ids))
    found = {h.pk: h for h in scoped(Household, actor).filter(pk__in=wanted)}
    if missing := [pk for pk in wanted if pk not in found]:
        raise DomainError(f"有 {len(missing)} 户不存在或无权访问", field="受益户")
    village_name = project.village.name if project.village else ""
    problems = [p for h in found.values() if (p := beneficiary_problem(
        head_name=h.head_name, household_village=h.region_id, project_village=project.village_id,
        village_name=village_name))]
    if problems:
        raise DomainError("；".join(dict.fromkeys(problems[:5])), field="受益户")
    already = set(ProjectBeneficiary.objects_unscoped.filter(project=project).values_list("household_id", flat=True))
    new = [ProjectBeneficiary(project=project, household_id=pk) for pk in wanted if pk not in already]
    ProjectBeneficiary.objects_unscoped.bulk_create(new)
    return len(new)


def add_beneficiaries(*, actor: Any, project_id: int, household_ids: Sequence[int]) -> int:
    """Households of the implementing village that benefit (already listed ones are skipped)."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    if not household_ids:
        raise DomainError("请选择受益户", field="受益户")
    with transaction.atomic(durable=True):
        project = _locked(actor, project_id)
        added = _add_beneficiaries(actor, project, household_ids)
        record(actor=actor, action=Action.UPDATE, object_type="project", object_id=project.pk,
               region_code=project.region_id, summary=f"“{project.name}”登记受益户 {added} 户")
    return added


def remove_beneficiary(*, actor: Any, project_id: int, household_id: int) -> None:
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        project = _locked(actor, project_id)
        row = (ProjectBeneficiary.objects_unscoped.filter(project=project, household_id=household_id)
               .select_related("household").first())
        if row is None:
            raise DomainError("该户不是本项目的受益户", field="受益户")
        row.delete()
        record(actor=actor, action=Action.UPDATE, object_type="project", object_id=project.pk,
               region_code=project.region_id, summary=f"“{project.name}”移出受益户{row.household.head_name}户")


def add_evidence(*, actor: Any, project_id: int, files: Iterable[Upload]) -> int:
    """验收 evidence (the acceptance report, photos) for a project 实施 or 验收."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        project = _locked(actor, project_id)
        if project.stage not in (ProjectStage.IMPLEMENTING, ProjectStage.ACCEPTED):
            raise OutOfOrder(f"项目处于“{project.get_stage_display()}”阶段，只有实施或验收阶段可上传验收佐证材料")
        count = attach_evidence(ProjectEvidence, files, project=project)
        if not count:
            raise DomainError("请选择要上传的佐证材料", field="佐证材料")
        record(actor=actor, action=Action.CREATE, object_type="project", object_id=project.pk,
               region_code=project.region_id, summary=f"“{project.name}”上传验收佐证材料 {count} 份")
    return count


def advance_stage(*, actor: Any, project_id: int, expected_version: int, stage: str, on: dt.date,
                  files: Iterable[Upload] = ()) -> Project:
    """Move the project one stage on (实施, 验收, 完成) with that stage's date; files given go in first (验收
    needs at least one evidence file, uploaded now or before)."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        project = _locked(actor, project_id, expected_version)
        current = ProjectStage(project.stage)
        if problem := order_problem(current, stage):
            raise OutOfOrder(problem)
        previous_on = getattr(project, DATE_FIELDS[current])
        evidence = ProjectEvidence.objects_unscoped.filter(project=project).count()
        files = list(files)
        if files and stage == ProjectStage.ACCEPTED:
            evidence += attach_evidence(ProjectEvidence, files, project=project)
        if problem := stage_problem(current=current, target=stage, on=on, previous_on=previous_on,
                                    evidence=evidence, today=timezone.localdate()):
            raise DomainError(problem, field="佐证材料" if "佐证" in problem else DATE_LABELS[ProjectStage(stage)])
        target = ProjectStage(stage)
        setattr(project, DATE_FIELDS[target], on)
        project.stage = target
        _bump(project, "stage", DATE_FIELDS[target])
        record(actor=actor, action=Action.UPDATE, object_type="project", object_id=project.pk,
               region_code=project.region_id,
               summary=f"“{project.name}”进入{target.label}阶段（{on:%Y-%m-%d}）",
               changes={"stage": [current.value, target.value]})
    return project


def delete_project(*, actor: Any, project_id: int) -> None:
    """Only a project still at 立项 is deleted (one under way is carried to its end)."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        project = _locked(actor, project_id)
        if project.stage != ProjectStage.APPROVED:
            raise OutOfOrder(f"项目已进入“{project.get_stage_display()}”阶段，只有立项阶段的项目可以删除")
        total = sum(ProjectFunding.objects_unscoped.filter(project=project).values_list("amount", flat=True),
                    Decimal(0))
        project.delete()
        record(actor=actor, action=Action.DELETE, object_type="project", object_id=project_id,
               region_code=project.region_id, summary=f"删除立项阶段的项目{_where(project)}“{project.name}”（{total}元）")


def next_of(project: Project) -> str | None:
    return next_stage(project.stage)
