"""Pages of 选派与驻村工作组: dispatches, working groups and placements (list, new, detail with edit and end),
and the pickers of sending units and working groups."""

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
from wuzaicun.accounts.services import require_perm
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.core.pickers import picker_query, render_choices
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.dispatch import DispatchEditForm, DispatchForm, EndForm, GroupEditForm, GroupForm, PlacementForm
from ..models.dispatch import DispatchKind, PlacementKind
from ..selectors.dispatch import (
    STATUSES,
    dispatches_for,
    get_dispatch_for_user,
    get_group_for_user,
    group_choices,
    groups_for,
    members_of,
    placements_for,
    successor_candidates,
    unit_choices,
)
from ..services.dispatch import (
    create_dispatch,
    create_group,
    create_placement,
    end_dispatch,
    update_dispatch,
    update_group,
)


def _filters(request: AuthedRequest, kinds: list[str]) -> tuple[int, str | None, dict[str, str]]:
    year = year_param(request.GET.get("year"), default=working_year())
    region = region_param(request.GET.get("region"))
    kind = request.GET.get("kind", "").strip()
    status = request.GET.get("status", "").strip()
    return year, region, {
        "region": request.GET.get("region", "").strip(), "q": request.GET.get("q", "").strip()[:50],
        "kind": kind if kind in kinds else "", "status": status if status in dict(STATUSES) else ""}


def _list_context(year: int, filters: dict[str, str], kinds: Any) -> dict[str, Any]:
    return year_context(year) | {"filters": filters, "kinds": kinds, "statuses": STATUSES}


# --- dispatches --------------------------------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def dispatches(request: AuthedRequest) -> HttpResponse:
    year, region, filters = _filters(request, DispatchKind.values)
    rows = dispatches_for(request.user, year=year, region=region, q=filters["q"], kind=filters["kind"],
                          status=filters["status"], today=timezone.localdate())
    context = paginate(request, rows) | _list_context(year, filters, DispatchKind.choices)
    return render_list(request, "cadres/dispatch/dispatches.html", context)


@requires(Perm.EDIT_CADRES)
@require_http_methods(["GET", "POST"])
def dispatch_new(request: AuthedRequest) -> HttpResponse:
    initial = {"village_code": request.GET.get("village", "").strip()[:12]}
    form = DispatchForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        made = submit(form, lambda: create_dispatch(
            actor=request.user, person_id=d["person_id"], kind=d["kind"], unit_id=d["unit_id"],
            village_code=d["village_code"], start=d["start"], end=d["end"], group_id=d["group_id"]))
        if made is not None:
            messages.success(request, "已登记选派")
            return redirect(reverse("cadres:dispatch", args=[made.pk]))
    return render(request, "cadres/dispatch/form.html", {"form": form, "title": "新增选派", "section": "选派管理",
                                                         "back": reverse("cadres:dispatches")})


def _successor_options(request: AuthedRequest, found: Any) -> list[tuple[int, str]]:
    candidates = successor_candidates(request.user, [(found.village_id, found.kind)])[(found.village_id, found.kind)]
    later = [c for c in candidates if c.key != found.pk and c.start > found.start]
    people = {d.pk: d.person.name for d in dispatches_for(request.user, region=found.village_id).filter(
        pk__in=[c.key for c in later])}
    return [(int(str(c.key)), f"{people.get(int(str(c.key)), '')}（{c.start.isoformat()}到岗）") for c in later
            if int(str(c.key)) in people]


@requires(Perm.VIEW_REGISTRY)
@require_http_methods(["GET", "POST"])
def dispatch(request: AuthedRequest, pk: int) -> HttpResponse:
    """A dispatch: its fields (editable), ending it (不脱钩 checked), its successor."""
    found = get_dispatch_for_user(request.user, pk)
    can_edit = request.user.can(Perm.EDIT_CADRES)
    form = DispatchEditForm(user=request.user, initial={
        "kind": found.kind, "unit_id": found.unit_id, "group_id": found.group_id, "start": found.start,
        "end": found.end})
    end_form = EndForm(successors=_successor_options(request, found) if can_edit else [],
                       initial={"end": found.end})
    if request.method == "POST":
        require_perm(request.user, Perm.EDIT_CADRES)
        if "end_dispatch" in request.POST:
            end_form = EndForm(request.POST, successors=_successor_options(request, found))
            if end_form.is_valid():
                d = end_form.cleaned_data
                if submit(end_form, lambda: end_dispatch(actor=request.user, dispatch_id=pk, end=d["end"],
                                                         successor_id=d["successor_id"])):
                    messages.success(request, f"已结束选派（{d['end'].isoformat()}）")
                    return redirect(reverse("cadres:dispatch", args=[pk]))
        else:
            form = DispatchEditForm(request.POST, user=request.user)
            if form.is_valid():
                d = form.cleaned_data
                if submit(form, lambda: update_dispatch(
                        actor=request.user, dispatch_id=pk, kind=d["kind"], unit_id=d["unit_id"], start=d["start"],
                        end=d["end"], group_id=d["group_id"])):
                    messages.success(request, "已保存选派")
                    return redirect(reverse("cadres:dispatch", args=[pk]))
    return render(request, "cadres/dispatch/dispatch.html", {
        "d": found, "form": form, "end_form": end_form, "can_edit": can_edit})


# --- working groups ----------------------------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def groups(request: AuthedRequest) -> HttpResponse:
    year, region, filters = _filters(request, [])
    rows = groups_for(request.user, year=year, region=region, q=filters["q"], status=filters["status"],
                      today=timezone.localdate())
    context = paginate(request, rows) | _list_context(year, filters, [])
    return render_list(request, "cadres/dispatch/groups.html", context)


@requires(Perm.EDIT_CADRES)
@require_http_methods(["GET", "POST"])
def group_new(request: AuthedRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, user=request.user,
                     initial={"village_code": request.GET.get("village", "").strip()[:12]})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        made = submit(form, lambda: create_group(actor=request.user, village_code=d["village_code"],
                                                 unit_id=d["unit_id"], leader_id=d["leader_id"], start=d["start"],
                                                 end=d["end"]))
        if made is not None:
            messages.success(request, "已组建驻村工作组，请登记其成员的选派")
            return redirect(reverse("cadres:group", args=[made.pk]))
    return render(request, "cadres/dispatch/form.html", {"form": form, "title": "新增驻村工作组", "section": "驻村工作组",
                                                         "back": reverse("cadres:groups")})


@requires(Perm.VIEW_REGISTRY)
@require_http_methods(["GET", "POST"])
def group(request: AuthedRequest, pk: int) -> HttpResponse:
    found = get_group_for_user(request.user, pk)
    can_edit = request.user.can(Perm.EDIT_CADRES)
    form = GroupEditForm(user=request.user, initial={"unit_id": found.unit_id, "leader_id": found.leader_id,
                                                     "start": found.start, "end": found.end})
    if request.method == "POST":
        require_perm(request.user, Perm.EDIT_CADRES)
        form = GroupEditForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            if submit(form, lambda: update_group(actor=request.user, group_id=pk, unit_id=d["unit_id"],
                                                 leader_id=d["leader_id"], start=d["start"], end=d["end"])):
                messages.success(request, "已保存驻村工作组")
                return redirect(reverse("cadres:group", args=[pk]))
    today = timezone.localdate()
    members = [(m, m.start <= today and (m.end is None or m.end >= today)) for m in members_of(request.user, found)]
    return render(request, "cadres/dispatch/group.html", {"g": found, "form": form, "members": members,
                                                          "can_edit": can_edit})


# --- placements --------------------------------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def placements(request: AuthedRequest) -> HttpResponse:
    year, region, filters = _filters(request, PlacementKind.values)
    rows = placements_for(request.user, year=year, region=region, q=filters["q"], kind=filters["kind"],
                          status=filters["status"], today=timezone.localdate())
    context = paginate(request, rows) | _list_context(year, filters, PlacementKind.choices)
    return render_list(request, "cadres/dispatch/placements.html", context)


@requires(Perm.EDIT_CADRES)
@require_http_methods(["GET", "POST"])
def placement_new(request: AuthedRequest) -> HttpResponse:
    form = PlacementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        made = submit(form, lambda: create_placement(
            actor=request.user, person_id=d["person_id"], kind=d["kind"], region_code=d["region_code"],
            post=d["post"] or "", start=d["start"], end=d["end"], note=d["note"] or ""))
        if made is not None:
            messages.success(request, "已登记")
            return redirect(reverse("cadres:placements"))
    return render(request, "cadres/dispatch/form.html", {"form": form, "title": "新增上管一级或后备干部",
                                                         "section": "上管一级与后备干部", "back": reverse("cadres:placements")})


# --- pickers (POST: D22) ------------------------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@require_POST
def unit_pick(request: AuthedRequest) -> HttpResponse:
    query = picker_query(request)
    return render_choices(request, unit_choices(request.user, query.term), query=query)


@requires(Perm.VIEW_REGISTRY)
@require_POST
def group_pick(request: AuthedRequest) -> HttpResponse:
    query = picker_query(request)
    choices = group_choices(request.user, query.term, within=query.within)
    return render_choices(request, choices, query=query, hint="" if query.within else "请先选择村")


urlpatterns = [
    path("dispatches/", dispatches, name="dispatches"),
    path("dispatches/new/", dispatch_new, name="dispatch_new"),
    path("dispatches/<id:pk>/", dispatch, name="dispatch"),
    path("groups/", groups, name="groups"),
    path("groups/new/", group_new, name="group_new"),
    path("groups/<id:pk>/", group, name="group"),
    path("placements/", placements, name="placements"),
    path("placements/new/", placement_new, name="placement_new"),
    path("pick/units/", unit_pick, name="unit_pick"),
    path("pick/groups/", group_pick, name="group_pick"),
]
