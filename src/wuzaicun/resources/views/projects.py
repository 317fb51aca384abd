"""Pages of 整合项目: the year's projects with their funds, the fund totals by source and county, a new project, and
a project's page (fundings, stage timeline with evidence, beneficiaries, the actions its stage allows)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.projects import BeneficiariesForm, FundingForm, ProjectEditForm, ProjectForm, StageForm
from ..models.projects import FundSource, ProjectStage
from ..rules.projects import DATE_FIELDS, DATE_LABELS, next_stage
from ..selectors.projects import (
    STAGE_FILTERS,
    beneficiaries_of,
    evidence_of,
    fund_totals,
    fundings_of,
    get_project_for_user,
    project_totals,
    projects_for,
)
from ..services.projects import (
    add_beneficiaries,
    add_evidence,
    advance_stage,
    create_project,
    delete_project,
    remove_beneficiary,
    remove_funding,
    set_funding,
    update_project,
)


def _year(request: AuthedRequest) -> int:
    return year_param(request.GET.get("year"), default=working_year())


def list_filters(get: Any) -> dict[str, str]:
    source, stage = get.get("source", ""), get.get("stage", "")
    return {"region": region_param(get.get("region")) or "", "q": get.get("q", "").strip()[:50],
            "source": source if source in FundSource.values else "",
            "stage": stage if stage in STAGE_FILTERS else "",
            "poor": "1" if get.get("poor") == "1" else "", "no_village": "1" if get.get("no_village") == "1" else ""}


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def projects(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    filters = list_filters(request.GET)
    rows = projects_for(request.user, year=year, region=filters["region"] or None, source=filters["source"],
                        stage=filters["stage"], poor=filters["poor"] == "1",
                        no_village=filters["no_village"] == "1", q=filters["q"])
    context = paginate(request, rows)
    context |= year_context(year) | {"filters": filters, "totals": project_totals(request.user, rows),
                                     "sources": FundSource.choices, "stages": ProjectStage.choices}
    return render_list(request, "resources/projects/list.html", context)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def funds(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    region = region_param(request.GET.get("region")) or ""
    context = year_context(year) | {"filters": {"region": region}, "sources": FundSource.labels,
                                    "totals": fund_totals(request.user, year=year, region=region or None)}
    return render(request, "resources/projects/funds.html", context)


@requires(Perm.EDIT_RESOURCES)
@require_http_methods(["GET", "POST"])
def project_new(request: AuthedRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, user=request.user, initial={"year": working_year()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = submit(form, lambda: create_project(
            actor=request.user, name=data["name"], year=data["year"], region_code=data["region_code"],
            approved_on=data["approved_on"], fundings=data["fundings"], description=data["description"]))
        if project is not None:
            messages.success(request, f"已立项“{project.name}”")
            return redirect(reverse("resources:project", args=[project.pk]))
    return render(request, "resources/projects/form.html", {"form": form}, status=400 if form.errors else 200)


def _timeline(project: Any) -> list[dict[str, Any]]:
    reached = list(ProjectStage.values).index(project.stage)
    return [{"label": label, "date": getattr(project, DATE_FIELDS[ProjectStage(value)]),
             "done": i <= reached, "current": i == reached}
            for i, (value, label) in enumerate(ProjectStage.choices)]


def _project_page(request: AuthedRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    following = next_stage(project.stage)
    context: dict[str, Any] = {
        "project": project, "fundings": fundings_of(request.user, project), "timeline": _timeline(project),
        "beneficiaries": list(beneficiaries_of(request.user, project)),
        "evidence": list(evidence_of(request.user, project)),
        "next_stage": following, "next_label": ProjectStage(following).label if following else "",
        "next_date_label": DATE_LABELS[ProjectStage(following)] if following else "",
        "edit_form": forms.get("edit_form") or ProjectEditForm(initial={
            "version": project.version, "name": project.name, "region_code": project.region_id,
            "approved_on": project.approved_on, "description": project.description}, user=request.user),
        "funding_form": forms.get("funding_form") or FundingForm(initial={"version": project.version}),
        "beneficiaries_form": forms.get("beneficiaries_form") or BeneficiariesForm(
            initial={"village_code": project.village_id or ""}, user=request.user),
        "stage_form": forms.get("stage_form") or StageForm(initial={"version": project.version,
                                                                    "stage": following or ""}),
    }
    return render(request, "resources/projects/detail.html", context, status=status)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def project(request: AuthedRequest, pk: int) -> HttpResponse:
    return _project_page(request, pk)


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("resources:project", args=[pk]))


@requires(Perm.EDIT_RESOURCES)
@require_POST
def project_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    form = ProjectEditForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: update_project(
            actor=request.user, project_id=pk, expected_version=data["version"], name=data["name"],
            region_code=data["region_code"], approved_on=data["approved_on"], description=data["description"]))
        if saved is not None:
            messages.success(request, "已保存")
            return _back(pk)
    return _project_page(request, pk, edit_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def project_funding(request: AuthedRequest, pk: int) -> HttpResponse:
    form = FundingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: set_funding(actor=request.user, project_id=pk, expected_version=data["version"],
                                                 source=data["source"], amount=data["amount"]))
        if saved is not None:
            messages.success(request, "已保存资金来源")
            return _back(pk)
    return _project_page(request, pk, funding_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def project_funding_remove(request: AuthedRequest, pk: int, source: str) -> HttpResponse:
    form = FundingForm({"version": request.POST.get("version", ""), "source": source, "amount": "1"})
    if form.is_valid():
        done = submit(form, lambda: remove_funding(actor=request.user, project_id=pk,
                                                   expected_version=form.cleaned_data["version"], source=source))
        if done is not None:
            messages.success(request, "已删除资金来源")
            return _back(pk)
    return _project_page(request, pk, funding_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def project_beneficiaries(request: AuthedRequest, pk: int) -> HttpResponse:
    form = BeneficiariesForm(request.POST, user=request.user)
    if form.is_valid():
        added = submit(form, lambda: add_beneficiaries(actor=request.user, project_id=pk,
                                                       household_ids=form.cleaned_data["household_ids"]))
        if added is not None:
            messages.success(request, f"已登记受益户 {added} 户")
            return _back(pk)
    return _project_page(request, pk, beneficiaries_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def project_beneficiary_remove(request: AuthedRequest, pk: int, household_id: int) -> HttpResponse:
    remove_beneficiary(actor=request.user, project_id=pk, household_id=household_id)
    messages.success(request, "已移出受益户")
    return _back(pk)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def project_stage(request: AuthedRequest, pk: int) -> HttpResponse:
    form = StageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        files = [(f.chunks(), f.name or "") for f in request.FILES.getlist("files")]
        saved = submit(form, lambda: advance_stage(actor=request.user, project_id=pk, expected_version=data["version"],
                                                   stage=data["stage"], on=data["on"], files=files))
        if saved is not None:
            messages.success(request, f"项目已进入{saved.get_stage_display()}阶段")
            return _back(pk)
    return _project_page(request, pk, stage_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def project_evidence(request: AuthedRequest, pk: int) -> HttpResponse:
    files = [(f.chunks(), f.name or "") for f in request.FILES.getlist("files")]
    count = add_evidence(actor=request.user, project_id=pk, files=files)
    messages.success(request, f"已上传佐证材料 {count} 份")
    return _back(pk)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def project_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    delete_project(actor=request.user, project_id=pk)
    messages.success(request, "已删除项目")
    return redirect("resources:projects")


urlpatterns = [
    path("projects/", projects, name="projects"),
    path("projects/funds/", funds, name="project_funds"),
    path("projects/new/", project_new, name="project_new"),
    path("projects/<id:pk>/", project, name="project"),
    path("projects/<id:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<id:pk>/fundings/", project_funding, name="project_funding"),
    path("projects/<id:pk>/fundings/<str:source>/remove/", project_funding_remove, name="project_funding_remove"),
    path("projects/<id:pk>/beneficiaries/", project_beneficiaries, name="project_beneficiaries"),
    path("projects/<id:pk>/beneficiaries/<id:household_id>/remove/", project_beneficiary_remove,
         name="project_beneficiary_remove"),
    path("projects/<id:pk>/stage/", project_stage, name="project_stage"),
    path("projects/<id:pk>/evidence/", project_evidence, name="project_evidence"),
    path("projects/<id:pk>/delete/", project_delete, name="project_delete"),
]
