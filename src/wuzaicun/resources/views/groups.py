"""Pages of 十户一体: the groups with their size, a new group, a group's members and tied business entities."""

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
from wuzaicun.core.params import region_param
from wuzaicun.responsibility.selectors import working_year

from ..forms.groups import GroupEntityForm, GroupForm, MembersForm
from ..rules.groups import TARGET_SIZE
from ..selectors.groups import (
    entities_of,
    get_group_for_user,
    group_size_tolerance,
    group_totals,
    groups_for,
    members_of,
)
from ..services.groups import (
    add_entity,
    add_members,
    create_group,
    delete_group,
    remove_entity,
    remove_member,
)


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def groups(request: AuthedRequest) -> HttpResponse:
    size = request.GET.get("size", "")
    filters = {"region": region_param(request.GET.get("region")) or "", "q": request.GET.get("q", "").strip()[:50],
               "size": size if size in ("", "far") else ""}
    tolerance = group_size_tolerance(working_year())
    region = filters["region"] or None
    context = paginate(request, groups_for(request.user, region=region, q=filters["q"], size=filters["size"],
                                           tolerance=tolerance))
    context |= {"filters": filters, "totals": group_totals(request.user, region=region),
                "low": max(TARGET_SIZE - tolerance, 1), "high": TARGET_SIZE + tolerance}
    return render_list(request, "resources/groups/list.html", context)


@requires(Perm.EDIT_RESOURCES)
@require_http_methods(["GET", "POST"])
def group_new(request: AuthedRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = submit(form, lambda: create_group(
            actor=request.user, village_code=data["village_code"], name=data["name"], head_id=data["head_id"],
            formed_on=data["formed_on"], household_ids=data["household_ids"] or []))
        if group is not None:
            messages.success(request, f"已成立“{group.name}”")
            return redirect(reverse("resources:group", args=[group.pk]))
    return render(request, "resources/groups/form.html", {"form": form}, status=400 if form.errors else 200)


def _group_page(request: AuthedRequest, pk: int, *, members_form: MembersForm | None = None,
                entity_form: GroupEntityForm | None = None, status: int = 200) -> HttpResponse:
    group = get_group_for_user(request.user, pk)
    members = list(members_of(request.user, group))
    context: dict[str, Any] = {
        "group": group, "members": members, "entities": entities_of(request.user, group),
        "members_form": members_form or MembersForm(initial={"village_code": group.village_id}, user=request.user),
        "entity_form": entity_form or GroupEntityForm(),
    }
    return render(request, "resources/groups/detail.html", context, status=status)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def group(request: AuthedRequest, pk: int) -> HttpResponse:
    return _group_page(request, pk)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def group_members_add(request: AuthedRequest, pk: int) -> HttpResponse:
    form = MembersForm(request.POST, user=request.user)
    if form.is_valid():
        added = submit(form, lambda: add_members(actor=request.user, group_id=pk,
                                                 household_ids=form.cleaned_data["household_ids"]))
        if added is not None:
            messages.success(request, f"已加入 {added} 户")
            return redirect(reverse("resources:group", args=[pk]))
    return _group_page(request, pk, members_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def group_member_remove(request: AuthedRequest, pk: int, household_id: int) -> HttpResponse:
    remove_member(actor=request.user, group_id=pk, household_id=household_id)
    messages.success(request, "已移出")
    return redirect(reverse("resources:group", args=[pk]))


@requires(Perm.EDIT_RESOURCES)
@require_POST
def group_entity_add(request: AuthedRequest, pk: int) -> HttpResponse:
    form = GroupEntityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: add_entity(actor=request.user, group_id=pk, name=data["name"], kind=data["kind"],
                                                credit_code=data["credit_code"]))
        if saved is not None:
            messages.success(request, f"已联结“{saved.name}”")
            return redirect(reverse("resources:group", args=[pk]))
    return _group_page(request, pk, entity_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def group_entity_remove(request: AuthedRequest, pk: int, entity_id: int) -> HttpResponse:
    remove_entity(actor=request.user, group_id=pk, entity_id=entity_id)
    messages.success(request, "已解除联结")
    return redirect(reverse("resources:group", args=[pk]))


@requires(Perm.EDIT_RESOURCES)
@require_POST
def group_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    delete_group(actor=request.user, group_id=pk)
    messages.success(request, "已撤销小组")
    return redirect("resources:groups")


urlpatterns = [
    path("groups/", groups, name="groups"),
    path("groups/new/", group_new, name="group_new"),
    path("groups/<id:pk>/", group, name="group"),
    path("groups/<id:pk>/members/", group_members_add, name="group_members_add"),
    path("groups/<id:pk>/members/<id:household_id>/remove/", group_member_remove, name="group_member_remove"),
    path("groups/<id:pk>/entities/", group_entity_add, name="group_entity_add"),
    path("groups/<id:pk>/entities/<id:entity_id>/remove/", group_entity_remove, name="group_entity_remove"),
    path("groups/<id:pk>/delete/", group_delete, name="group_delete"),
]
