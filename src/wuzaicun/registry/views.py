"""Registry pages: the region tree with counts, people and households lists, household detail, pickers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts import policy
from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate
from wuzaicun.core.pickers import picker_query, render_choices
from wuzaicun.regions.models import Level
from wuzaicun.regions.selectors import breadcrumb, get_region_for_user, latest_year

from .forms import HouseholdForm, PersonEditForm, PersonForm, RevealForm
from .models import PovertyCause, PovertyStatus, Rank
from .pickers import SEARCHES
from .selectors import get_household_for_user, get_person_for_user, households_for, people_for, tree_children
from .services import create_person, delete_household, reveal_household_id, save_household, update_person


def _list_page(request: AuthedRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The whole page, or only its #list partial for an htmx request (Vary: HX-Request is set)."""
    name = f"{template}#list" if getattr(request, "htmx", False) else template
    return render(request, name, context)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def tree(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    user = request.user
    region = get_region_for_user(user, code or user.scope_id or "")
    year = latest_year(user)
    context: dict[str, Any] = {"region": region, "trail": breadcrumb(user, region), "year": year}
    if region.level == Level.VILLAGE:
        context.update(paginate(request, households_for(user, region=region.code).order_by("id")))
        context["is_village"] = True
    else:
        context["rows"] = tree_children(user, region, year=year)
    return render(request, "registry/tree.html", context)


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def households(request: AuthedRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "status", "region", "cause")}
    queryset = households_for(request.user, **filters).order_by("region_id", "id")
    context = paginate(request, queryset) | {
        "filters": filters, "statuses": PovertyStatus.choices, "causes": PovertyCause.choices,
    }
    return _list_page(request, "registry/households.html", context)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def household_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk)
    return render(request, "registry/household_detail.html", {
        "household": household, "trail": breadcrumb(request.user, household.region),
        "reveal_form": RevealForm(),
    })


@requires(Perm.REVEAL_ID)
@require_http_methods(["GET", "POST"])
def household_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """Break-glass unmasking: GET (htmx) asks the reason in a small form; POST shows the number, audited.
    A refusal (no reason, the daily limit) comes back in the form for htmx, as an error page otherwise."""
    household = get_household_for_user(request.user, pk)
    form = RevealForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"household": household, "form": form, "limit": policy.current().reveal_daily_limit}
    if request.method == "GET":
        if not getattr(request, "htmx", False):  # the form is a fragment of the household's page
            return redirect("registry:household", pk=household.pk)
        return render(request, "registry/_reveal_form.html", context)
    try:
        if not form.is_valid():
            raise DomainError("请填写查看原因（至少4个字），该原因将记入操作日志", field="查看原因")
        number = reveal_household_id(actor=request.user, household_id=pk, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        if not getattr(request, "htmx", False):
            raise
        return render(request, "registry/_reveal_form.html", context | {"error": exc.message})
    return render(request, "registry/_revealed.html", {"number": number})


@requires(Perm.EDIT_REGISTRY)
@require_http_methods(["GET", "POST"])
def household_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    household = get_household_for_user(request.user, pk) if pk else None
    initial = {}
    if household is not None:
        initial = {"region_code": household.region_id, "head_name": household.head_name,
                   "members": household.members, "status": household.status,
                   "identified_year": household.identified_year, "exit_year": household.exit_year,
                   "cause": household.cause, "income_per_head": household.income_per_head,
                   "version": household.version}
    form = HouseholdForm(request.POST or None, initial=initial, user=request.user)
    if household is None:
        form.fields["resident_id"].required = True
        form.fields["resident_id"].help_text = ""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["resident_id"] = data["resident_id"] or None
        saved = submit(form, lambda: save_household(actor=request.user, household_id=pk, expected_version=version,
                                                    **data))
        if saved is not None:
            messages.success(request, "保存成功")
            return redirect("registry:household", pk=saved.pk)
    return render(request, "registry/household_form.html", {"form": form, "household": household})


@requires(Perm.EDIT_REGISTRY)
@require_POST
def household_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk)
    delete_household(actor=request.user, household_id=pk)
    messages.success(request, f"已删除农户“{household.head_name}”")
    return redirect("registry:households")


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def people(request: AuthedRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "rank", "region", "party")}
    queryset = people_for(request.user, **filters).order_by("region_id", "id")
    context = paginate(request, queryset) | {"filters": filters, "ranks": Rank.choices}
    return _list_page(request, "registry/people.html", context)


@requires(Perm.EDIT_REGISTRY)
@require_http_methods(["GET", "POST"])
def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, initial={"region_code": request.user.scope_id}, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = submit(form, lambda: create_person(actor=request.user, **form.cleaned_data))
        if person is not None:
            messages.success(request, f"已新增人员“{person.name}”")
            return redirect("registry:people")
    return render(request, "registry/person_form.html", {"form": form})


@requires(Perm.EDIT_REGISTRY)
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_user(request.user, person_id)
    initial = {"region_code": person.region_id, "name": person.name, "sex": person.sex,
               "ethnicity": person.ethnicity, "political_status": person.political_status, "post": person.post,
               "rank": person.rank, "version": person.version}
    form = PersonEditForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["resident_id"] = data["resident_id"] or None
        data["phone"] = data["phone"] or None
        saved = submit(form, lambda: update_person(actor=request.user, person_id=person_id,
                                                   expected_version=version, **data))
        if saved is not None:
            messages.success(request, f"已保存人员“{saved.name}”")
            return redirect("registry:people")
    return render(request, "registry/person_form.html", {"form": form, "person": person})


@requires(Perm.VIEW_REGISTRY)
@require_POST
def pick(request: AuthedRequest, kind: str) -> HttpResponse:
    """People, leadership teams or households in scope matching the typed term, for a picker (POST: D22)."""
    search = SEARCHES.get(kind)
    if search is None:
        raise NotFound()
    query = picker_query(request)
    return render_choices(request, search(request.user, query.term, within=query.within), query=query)
