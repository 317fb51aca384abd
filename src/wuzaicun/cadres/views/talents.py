"""Pages of 千村千人计划人才 (list, 逾期未走访 tab, form, detail with villages and visits, 登记走访) and 项目书记
(list with the year's totals, form, detail with the projects led and driven)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import prefix_for
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.talents import (
    ProjectForm,
    SecretaryEditForm,
    SecretaryForm,
    TalentEditForm,
    TalentForm,
    VisitForm,
)
from ..models.talents import TalentField
from ..selectors.talents import (
    get_project_for_user,
    get_secretary_for_user,
    get_talent_for_user,
    get_visit_for_user,
    links_of,
    overdue_pairs,
    overdue_rows,
    projects_of,
    secretaries_for,
    secretary_totals,
    talent_totals,
    talents_for,
    visits_of,
)
from ..services.talents import (
    add_project,
    create_secretary,
    create_talent,
    delete_secretary,
    delete_talent,
    delete_visit,
    record_visit,
    remove_project,
    update_project,
    update_secretary,
    update_talent,
)


def _filters(request: AuthedRequest) -> tuple[int, str | None, dict[str, str]]:
    year = year_param(request.GET.get("year"), default=working_year())
    region = region_param(request.GET.get("region"))
    field = request.GET.get("field", "").strip()
    filters = {"region": request.GET.get("region", "").strip(), "q": request.GET.get("q", "").strip()[:50],
               "field": field if field in TalentField.values else "",
               "tab": "overdue" if request.GET.get("tab") == "overdue" else ""}
    return year, region, filters


# --- 千村千人计划 ------------------------------------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def talents(request: AuthedRequest) -> HttpResponse:
    """The year's talents, or (tab 逾期未走访) the talent-village pairs overdue for a visit."""
    year, region, filters = _filters(request)
    if filters["tab"] == "overdue":
        pairs = overdue_pairs(request.user, year=year, region=region, q=filters["q"], field=filters["field"])
        context = paginate(request, pairs)
        prefix = prefix_for(request.user) or ""
        context["rows"] = [row | {"can_open": row["talent"].region_id.startswith(prefix)}
                           for row in overdue_rows(context["page_obj"], year=year)]
    else:
        context = paginate(request, talents_for(request.user, year=year, region=region, q=filters["q"],
                                                field=filters["field"]).prefetch_related("villages"))
    context |= year_context(year) | {"filters": filters, "fields": TalentField.choices}
    if not getattr(request, "htmx", False):
        unfiltered = filters["tab"] == "overdue" and not filters["q"] and not filters["field"]
        context["totals"] = talent_totals(request.user, year=year, region=region,
                                          overdue=context["page_obj"].paginator.count if unfiltered else None)
    return render_list(request, "cadres/talents/list.html", context)


@requires(Perm.EDIT_CADRES)
@require_http_methods(["GET", "POST"])
def talent_new(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=working_year())
    form = TalentForm(request.POST or None, initial={"year": year}, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        talent = submit(form, lambda: create_talent(
            actor=request.user, person_id=data["person_id"], year=data["year"], field=data["field"],
            visit_every=data["visit_every"], village_codes=data["village_codes"], region_code=data["region_code"] or ""))
        if talent is not None:
            messages.success(request, "已登记千村千人计划人才")
            return redirect("cadres:talent", pk=talent.pk)
    return render(request, "cadres/talents/form.html", {"form": form, "year": year, "title": "新增千村千人计划人才"})


@requires(Perm.VIEW_REGISTRY)
@require_http_methods(["GET", "POST"])
def talent(request: AuthedRequest, pk: int) -> HttpResponse:
    """A talent's villages (last visit, days overdue) and visits; 登记走访 for those who may edit."""
    row = get_talent_for_user(request.user, pk)
    links = links_of(request.user, row)
    can_edit = request.user.can(Perm.EDIT_CADRES)
    form = None
    if can_edit:
        choices = [(link["village"].code, link["village"].name) for link in links]
        form = VisitForm(request.POST or None, villages=choices, initial={"date": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if submit(form, lambda: record_visit(actor=request.user, talent_id=pk, village_code=data["village_code"],
                                                 date=data["date"], content=data["content"])) is not None:
                messages.success(request, "已登记走访")
                return redirect("cadres:talent", pk=pk)
    elif request.method == "POST":
        return redirect("cadres:talent", pk=pk)
    context = paginate(request, visits_of(request.user, row))
    context |= {"talent": row, "links": links, "form": form, "can_edit": can_edit,
                "overdue": sum(1 for link in links if link["overdue"])}
    return render(request, "cadres/talents/detail.html", context)


@requires(Perm.EDIT_CADRES)
@require_http_methods(["GET", "POST"])
def talent_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_talent_for_user(request.user, pk)
    villages = [link["village"].code for link in links_of(request.user, row)]
    form = TalentEditForm(request.POST or None, user=request.user, initial={
        "field": row.field, "visit_every": row.visit_every, "village_codes": villages})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: update_talent(actor=request.user, talent_id=pk, field=data["field"],
                                              visit_every=data["visit_every"],
                                              village_codes=data["village_codes"])) is not None:
            messages.success(request, "已保存")
            return redirect("cadres:talent", pk=pk)
    return render(request, "cadres/talents/form.html", {
        "form": form, "year": row.year, "talent": row, "title": f"修改千村千人计划人才：{row.person.name}"})


@requires(Perm.EDIT_CADRES)
@require_POST
def talent_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_talent_for_user(request.user, pk)
    delete_talent(actor=request.user, talent_id=pk)
    messages.success(request, f"已删除{row.year}年千村千人计划人才{row.person.name}")
    return redirect(f"{reverse('cadres:talents')}?year={row.year}")


@requires(Perm.EDIT_CADRES)
@require_POST
def visit_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk)
    delete_visit(actor=request.user, visit_id=pk)
    messages.success(request, "已删除走访记录")
    return redirect("cadres:talent", pk=visit.talent_id)


# --- 项目书记 ---------------------------------------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def secretaries(request: AuthedRequest) -> HttpResponse:
    year, region, filters = _filters(request)
    context = paginate(request, secretaries_for(request.user, year=year, region=region, q=filters["q"]))
    context |= year_context(year) | {"filters": filters}
    if not getattr(request, "htmx", False):
        context["totals"] = secretary_totals(request.user, year=year, region=region)
    return render_list(request, "cadres/talents/secretaries.html", context)


@requires(Perm.EDIT_CADRES)
@require_http_methods(["GET", "POST"])
def secretary_new(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=working_year())
    form = SecretaryForm(request.POST or None, initial={"year": year}, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        secretary = submit(form, lambda: create_secretary(actor=request.user, person_id=data["person_id"],
                                                          region_code=data["region_code"], year=data["year"]))
        if secretary is not None:
            messages.success(request, "已登记项目书记，请添加其领办、带动的项目")
            return redirect("cadres:secretary", pk=secretary.pk)
    return render(request, "cadres/talents/secretary_form.html", {"form": form, "year": year, "title": "新增项目书记"})


@requires(Perm.VIEW_REGISTRY)
@require_http_methods(["GET", "POST"])
def secretary(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_secretary_for_user(request.user, pk)
    can_edit = request.user.can(Perm.EDIT_CADRES)
    form: Any = None
    if can_edit:
        form = ProjectForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if submit(form, lambda: add_project(actor=request.user, secretary_id=pk, name=data["name"],
                                                role=data["role"], village_code=data["village_code"],
                                                amount=data["amount"])) is not None:
                messages.success(request, "已添加项目")
                return redirect("cadres:secretary", pk=pk)
    elif request.method == "POST":
        return redirect("cadres:secretary", pk=pk)
    projects = list(projects_of(request.user, row))
    return render(request, "cadres/talents/secretary.html", {
        "secretary": row, "projects": projects, "form": form, "can_edit": can_edit,
        "led": sum(1 for p in projects if p.role == "lead"), "driven": sum(1 for p in projects if p.role == "drive")})


@requires(Perm.EDIT_CADRES)
@require_http_methods(["GET", "POST"])
def secretary_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_secretary_for_user(request.user, pk)
    form = SecretaryEditForm(request.POST or None, user=request.user, initial={"region_code": row.region_id})
    if request.method == "POST" and form.is_valid() and submit(form, lambda: update_secretary(
            actor=request.user, secretary_id=pk, region_code=form.cleaned_data["region_code"])) is not None:
        messages.success(request, "已保存")
        return redirect("cadres:secretary", pk=pk)
    return render(request, "cadres/talents/secretary_form.html", {
        "form": form, "year": row.year, "secretary": row, "title": f"修改项目书记：{row.person.name}"})


@requires(Perm.EDIT_CADRES)
@require_POST
def secretary_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_secretary_for_user(request.user, pk)
    delete_secretary(actor=request.user, secretary_id=pk)
    messages.success(request, f"已删除{row.year}年项目书记{row.person.name}")
    return redirect(f"{reverse('cadres:secretaries')}?year={row.year}")


@requires(Perm.EDIT_CADRES)
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    form = ProjectForm(request.POST or None, user=request.user, initial={
        "name": project.name, "role": project.role, "village_code": project.village_id, "amount": project.amount})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: update_project(actor=request.user, project_id=pk, name=data["name"], role=data["role"],
                                               village_code=data["village_code"], amount=data["amount"])) is not None:
            messages.success(request, "已保存项目")
            return redirect("cadres:secretary", pk=project.secretary_id)
    return render(request, "cadres/talents/project_form.html", {"form": form, "project": project})


@requires(Perm.EDIT_CADRES)
@require_POST
def project_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    project = remove_project(actor=request.user, project_id=pk)
    messages.success(request, f"已删除项目“{project.name}”")
    return redirect("cadres:secretary", pk=project.secretary_id)


urlpatterns = [
    path("talents/", talents, name="talents"),
    path("talents/new/", talent_new, name="talent_new"),
    path("talents/<id:pk>/", talent, name="talent"),
    path("talents/<id:pk>/edit/", talent_edit, name="talent_edit"),
    path("talents/<id:pk>/delete/", talent_delete, name="talent_delete"),
    path("talents/visits/<id:pk>/delete/", visit_delete, name="talent_visit_delete"),
    path("secretaries/", secretaries, name="secretaries"),
    path("secretaries/new/", secretary_new, name="secretary_new"),
    path("secretaries/<id:pk>/", secretary, name="secretary"),
    path("secretaries/<id:pk>/edit/", secretary_edit, name="secretary_edit"),
    path("secretaries/<id:pk>/delete/", secretary_delete, name="secretary_delete"),
    path("secretaries/projects/<id:pk>/edit/", project_edit, name="secretary_project_edit"),
    path("secretaries/projects/<id:pk>/delete/", project_delete, name="secretary_project_delete"),
]
