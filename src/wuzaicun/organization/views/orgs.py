"""Pages of the orgs area: party organisations (list, tree, members), supervisory committees (and the
villages without one), social organisations, e-commerce stations and their services to poor households."""

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
from wuzaicun.core.pickers import picker_query, render_choices
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.orgs import (
    CommitteeForm,
    CommitteeMembersForm,
    DutiesForm,
    MembersForm,
    OrganisationForm,
    ServiceForm,
    SocialOrgForm,
    StationForm,
)
from ..models.orgs import OrgCategory, OrgType, ServiceKind, SocialOrgKind
from ..rules.orgs import COMMITTEE_DUTIES
from ..selectors.orgs import (
    committee_duties,
    committee_members,
    committees_for,
    get_committee_for_user,
    get_organisation_for_user,
    get_social_org_for_user,
    get_station_for_user,
    organisation_tree,
    organisations_for,
    parent_picker_choices,
    service_counts,
    services_for,
    social_orgs_for,
    stations_for,
    villages_without_committee,
)
from ..services.orgs import (
    add_members,
    create_committee,
    delete_committee,
    delete_organisation,
    delete_provider,
    delete_service,
    record_duties,
    record_service,
    remove_member,
    save_organisation,
    save_social_org,
    save_station,
    set_committee_members,
)


def _filters(request: AuthedRequest, *keys: str) -> dict[str, str]:
    values = {k: request.GET.get(k, "").strip()[:100] for k in keys}
    if "region" in values:
        values["region"] = region_param(values["region"]) or ""
    return values


def _year(request: AuthedRequest) -> int:
    return year_param(request.GET.get("year"), default=working_year())


# --- party organisations ----------------------------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def orgs(request: AuthedRequest) -> HttpResponse:
    filters = _filters(request, "q", "category", "org_type", "region")
    queryset = organisations_for(request.user, **filters).order_by("region_id", "name", "pk")
    context = paginate(request, queryset) | {
        "filters": filters, "categories": OrgCategory.choices, "types": OrgType.choices}
    return render_list(request, "organization/orgs/list.html", context)


@requires(Perm.VIEW_REGISTRY)
@require_POST
def org_pick(request: AuthedRequest) -> HttpResponse:
    """党委 and 党总支 in scope matching the typed name, for the 上级组织 picker (POST: D22)."""
    query = picker_query(request)
    return render_choices(request, parent_picker_choices(request.user, query.term), query=query)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def org_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_user(request.user, pk)
    return render(request, "organization/orgs/detail.html", {
        "org": org, "tree": organisation_tree(request.user, org), "members_form": MembersForm(user=request.user)})


@requires(Perm.EDIT_ORGANIZATION)
@require_http_methods(["GET", "POST"])
def org_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    org = get_organisation_for_user(request.user, pk) if pk else None
    initial: dict[str, Any] = {"region_code": request.user.scope_id, "category": OrgCategory.VILLAGE,
                               "org_type": OrgType.BRANCH}
    if org is not None:
        initial = {"name": org.name, "org_type": org.org_type, "category": org.category, "product": org.product,
                   "region_code": org.region_id, "parent_id": org.parent_id, "secretary_id": org.secretary_id,
                   "founded_on": org.founded_on, "version": org.version}
    form = OrganisationForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved = submit(form, lambda: save_organisation(actor=request.user, org_id=pk, expected_version=version,
                                                       **data))
        if saved is not None:
            messages.success(request, f"已保存党组织“{saved.name}”")
            return redirect("organization:org", pk=saved.pk)
    return render(request, "organization/orgs/form.html", {"form": form, "org": org})


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def org_members_add(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_user(request.user, pk)
    form = MembersForm(request.POST, user=request.user)
    if form.is_valid():
        added = submit(form, lambda: add_members(actor=request.user, org_id=pk,
                                                 person_ids=form.cleaned_data["person_ids"],
                                                 joined_on=form.cleaned_data["joined_on"]))
        if added is not None:
            messages.success(request, f"已加入 {added} 名党员")
            return redirect("organization:org", pk=pk)
    return render(request, "organization/orgs/detail.html", {
        "org": org, "tree": organisation_tree(request.user, org), "members_form": form}, status=400)


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def org_member_remove(request: AuthedRequest, pk: int, person_id: int) -> HttpResponse:
    remove_member(actor=request.user, org_id=pk, person_id=person_id)
    messages.success(request, "已移出该党员")
    return redirect("organization:org", pk=pk)


# --- supervisory committees -------------------------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def committees(request: AuthedRequest) -> HttpResponse:
    filters = _filters(request, "q", "region", "tab")
    year = _year(request)
    without = filters["tab"] == "without"
    if without:
        queryset: Any = villages_without_committee(request.user, region=filters["region"], q=filters["q"])
    else:
        queryset = committees_for(request.user, year=year, region=filters["region"], q=filters["q"])
    context = paginate(request, queryset) | year_context(year) | {
        "filters": filters, "without": without, "duty_total": len(COMMITTEE_DUTIES)}
    return render_list(request, "organization/orgs/committees.html", context)


@requires(Perm.EDIT_ORGANIZATION)
@require_http_methods(["GET", "POST"])
def committee_new(request: AuthedRequest) -> HttpResponse:
    form = CommitteeForm(request.POST or None, initial={"village_code": request.GET.get("village", "")},
                         user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        committee = submit(form, lambda: create_committee(actor=request.user, village_code=data["village_code"],
                                                          founded_on=data["founded_on"], members=form.members()))
        if committee is not None:
            messages.success(request, "已新建村务监督委员会")
            return redirect("organization:committee", pk=committee.pk)
    return render(request, "organization/orgs/committee_form.html", {"form": form})


def _committee_page(request: AuthedRequest, pk: int, *, members_form: CommitteeMembersForm | None = None,
                    duties_form: DutiesForm | None = None, status: int = 200) -> HttpResponse:
    committee = get_committee_for_user(request.user, pk)
    year = _year(request)
    members = list(committee_members(request.user, committee))
    duties = committee_duties(request.user, committee, year)
    if members_form is None:
        chair = next((m.person_id for m in members if m.post == "chair"), None)
        members_form = CommitteeMembersForm(user=request.user, initial={
            "chair_id": chair, "member_ids": [m.person_id for m in members if m.post != "chair"],
            "version": committee.version})
    if duties_form is None:
        duties_form = DutiesForm(initial={"done": [d for d, row in duties.items() if row.done]})
    return render(request, "organization/orgs/committee_detail.html", year_context(year) | {
        "committee": committee, "members": members, "members_form": members_form, "duties_form": duties_form,
        "duties": [(d, duties.get(d)) for d in COMMITTEE_DUTIES]}, status=status)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def committee_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _committee_page(request, pk)


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def committee_members_save(request: AuthedRequest, pk: int) -> HttpResponse:
    form = CommitteeMembersForm(request.POST, user=request.user)
    if form.is_valid():
        saved = submit(form, lambda: set_committee_members(actor=request.user, committee_id=pk, members=form.members(),
                                                           expected_version=form.cleaned_data["version"]))
        if saved is not None:
            messages.success(request, "已保存监委会成员")
            return redirect("organization:committee", pk=pk)
    return _committee_page(request, pk, members_form=form, status=400)


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def committee_duties_save(request: AuthedRequest, pk: int) -> HttpResponse:
    year = year_param(request.POST.get("year"), default=working_year())
    form = DutiesForm(request.POST)
    if form.is_valid():
        done = submit(form, lambda: record_duties(actor=request.user, committee_id=pk, year=year,
                                                  done=form.cleaned_data["done"]))
        if done is not None:
            messages.success(request, f"已保存{year}年履职情况（{done}/{len(COMMITTEE_DUTIES)} 项）")
            return redirect(f"{reverse('organization:committee', args=[pk])}?year={year}")
    return _committee_page(request, pk, duties_form=form, status=400)


# --- social organisations, stations, services -------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def social(request: AuthedRequest) -> HttpResponse:
    filters = _filters(request, "q", "kind", "region", "tab")
    year = _year(request)
    tab = filters["tab"] if filters["tab"] in ("stations", "services") else "orgs"
    queryset: Any
    if tab == "stations":
        queryset = stations_for(request.user, q=filters["q"], region=filters["region"], year=year)
    elif tab == "services":
        queryset = services_for(request.user, year=year, region=filters["region"],
                                kind=filters["kind"] if filters["kind"] in ServiceKind.values else "")
    else:
        queryset = social_orgs_for(request.user, q=filters["q"], region=filters["region"], year=year,
                                   kind=filters["kind"] if filters["kind"] in SocialOrgKind.values else "")
    context = paginate(request, queryset) | year_context(year) | {
        "filters": filters, "tab": tab, "kinds": SocialOrgKind.choices, "service_kinds": ServiceKind.choices,
        "counts": service_counts(request.user, year=year, region=filters["region"])}
    return render_list(request, "organization/orgs/social.html", context)


@requires(Perm.EDIT_ORGANIZATION)
@require_http_methods(["GET", "POST"])
def social_org_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    obj = get_social_org_for_user(request.user, pk) if pk else None
    initial: dict[str, Any] = {"region_code": request.user.scope_id}
    if obj is not None:
        initial = {"name": obj.name, "kind": obj.kind, "region_code": obj.region_id, "founded_on": obj.founded_on,
                   "version": obj.version}
    form = SocialOrgForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved = submit(form, lambda: save_social_org(actor=request.user, social_org_id=pk,
                                                     expected_version=version, **data))
        if saved is not None:
            messages.success(request, f"已保存社会组织“{saved.name}”")
            return redirect("organization:social_org", pk=saved.pk)
    return render(request, "organization/orgs/simple_form.html", {
        "form": form, "title": "修改社会组织" if obj else "新增社会组织", "back": "organization:social"})


@requires(Perm.EDIT_ORGANIZATION)
@require_http_methods(["GET", "POST"])
def station_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    obj = get_station_for_user(request.user, pk) if pk else None
    initial: dict[str, Any] = {"region_code": request.user.scope_id}
    if obj is not None:
        initial = {"name": obj.name, "region_code": obj.region_id, "operator": obj.operator,
                   "opened_on": obj.opened_on, "version": obj.version}
    form = StationForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved = submit(form, lambda: save_station(actor=request.user, station_id=pk, expected_version=version,
                                                  **data))
        if saved is not None:
            messages.success(request, f"已保存电商服务站点“{saved.name}”")
            return redirect("organization:station", pk=saved.pk)
    return render(request, "organization/orgs/simple_form.html", {
        "form": form, "title": "修改电商服务站点" if obj else "新增电商服务站点", "back": "organization:social"})


def _provider_page(request: AuthedRequest, provider: Any, *, kind: str, form: ServiceForm | None = None,
                   status: int = 200) -> HttpResponse:
    year = _year(request)
    key = {"social_org": provider.pk} if kind == "social_org" else {"station": provider.pk}
    records = services_for(request.user, year=year, **key)
    context = paginate(request, records) | year_context(year) | {
        "provider": provider, "kind": kind, "form": form or ServiceForm(user=request.user),
        "provider_label": "社会组织" if kind == "social_org" else "电商服务站点"}
    response = render_list(request, "organization/orgs/provider.html", context)
    response.status_code = status
    return response


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def social_org_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _provider_page(request, get_social_org_for_user(request.user, pk), kind="social_org")


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def station_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _provider_page(request, get_station_for_user(request.user, pk), kind="station")


def _service_add(request: AuthedRequest, provider: Any, kind: str) -> HttpResponse:
    form = ServiceForm(request.POST, user=request.user)
    if form.is_valid():
        key = {"social_org_id": provider.pk} if kind == "social_org" else {"station_id": provider.pk}
        saved = submit(form, lambda: record_service(actor=request.user, **form.cleaned_data, **key))
        if saved is not None:
            messages.success(request, "已登记服务记录")
            return redirect(f"organization:{'social_org' if kind == 'social_org' else 'station'}", pk=provider.pk)
    return _provider_page(request, provider, kind=kind, form=form, status=400)


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def social_org_service_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _service_add(request, get_social_org_for_user(request.user, pk), "social_org")


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def station_service_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _service_add(request, get_station_for_user(request.user, pk), "station")


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def org_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_user(request.user, pk)
    delete_organisation(actor=request.user, org_id=pk)
    messages.success(request, f"已删除“{org.name}”")
    return redirect("organization:orgs")


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def committee_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    delete_committee(actor=request.user, committee_id=pk)
    messages.success(request, "已撤销村务监督委员会")
    return redirect("organization:committees")


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def provider_delete(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    delete_provider(actor=request.user, kind=kind, provider_id=pk)
    messages.success(request, "删除成功")
    return redirect(f"{reverse('organization:social')}{'?tab=stations' if kind == 'station' else ''}")


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def service_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    delete_service(actor=request.user, service_id=pk)
    messages.success(request, "删除成功")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/organization/") else "organization:social")


urlpatterns = [
    path("orgs/", orgs, name="orgs"),
    path("orgs/new/", org_edit, name="org_new"),
    path("orgs/pick/", org_pick, name="org_pick"),
    path("orgs/<id:pk>/", org_detail, name="org"),
    path("orgs/<id:pk>/edit/", org_edit, name="org_edit"),
    path("orgs/<id:pk>/delete/", org_delete, name="org_delete"),
    path("orgs/<id:pk>/members/", org_members_add, name="org_members_add"),
    path("orgs/<id:pk>/members/<id:person_id>/remove/", org_member_remove, name="org_member_remove"),
    path("committees/", committees, name="committees"),
    path("committees/new/", committee_new, name="committee_new"),
    path("committees/<id:pk>/", committee_detail, name="committee"),
    path("committees/<id:pk>/delete/", committee_delete, name="committee_delete"),
    path("committees/<id:pk>/members/", committee_members_save, name="committee_members"),
    path("committees/<id:pk>/duties/", committee_duties_save, name="committee_duties"),
    path("social/", social, name="social"),
    path("social/orgs/new/", social_org_edit, name="social_org_new"),
    path("social/orgs/<id:pk>/", social_org_detail, name="social_org"),
    path("social/orgs/<id:pk>/edit/", social_org_edit, name="social_org_edit"),
    path("social/orgs/<id:pk>/delete/", provider_delete, {"kind": "social_org"}, name="social_org_delete"),
    path("social/orgs/<id:pk>/services/", social_org_service_add, name="social_org_service_add"),
    path("social/stations/new/", station_edit, name="station_new"),
    path("social/stations/<id:pk>/", station_detail, name="station"),
    path("social/stations/<id:pk>/edit/", station_edit, name="station_edit"),
    path("social/stations/<id:pk>/delete/", provider_delete, {"kind": "station"}, name="station_delete"),
    path("social/stations/<id:pk>/services/", station_service_add, name="station_service_add"),
    path("social/services/<id:pk>/delete/", service_delete, name="service_delete"),
]
