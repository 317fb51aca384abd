"""Pages of 结对帮扶 (支部结对 and 干群结亲, with the supports they brought) and 企业帮扶 (enterprises, their help
to villages by year)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
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

from ..forms.pairings import BranchPairingForm, EndForm, EnterpriseForm, HelpForm, KinPairingForm, SupportForm
from ..models.pairings import SupportKind
from ..selectors.pairings import (
    branch_pairings,
    enterprise_totals,
    enterprises_for,
    get_branch_for_user,
    get_enterprise_for_user,
    get_kin_for_user,
    helps_of,
    kin_count,
    kin_page_rows,
    kin_pairings,
    org_choices,
    pairing_totals,
    supports_of,
)
from ..services.pairings import (
    add_support,
    create_branch_pairing,
    create_kin_pairing,
    delete_branch_pairing,
    delete_help,
    delete_kin_pairing,
    end_branch_pairing,
    end_kin_pairing,
    record_help,
    remove_support,
    save_enterprise,
)

TABS = ("kin", "branch")


def _year(request: AuthedRequest) -> int:
    return year_param(request.GET.get("year") or request.POST.get("year"), default=working_year())


def _filters(request: AuthedRequest) -> dict[str, str]:
    tab = request.GET.get("tab", "kin")
    return {"region": region_param(request.GET.get("region")) or "", "q": request.GET.get("q", "").strip()[:50],
            "tab": tab if tab in TABS else "kin", "poor": "1" if request.GET.get("poor") == "1" else ""}


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def pairings(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    filters = _filters(request)
    region = filters["region"] or None
    pairs = None
    if filters["tab"] == "kin":
        rows = kin_pairings(request.user, year=year, region=region, q=filters["q"], poor=bool(filters["poor"]))
        count = kin_count(rows)
        pairs = count if not (filters["q"] or filters["poor"]) else None  # the card's figure is the list's count
        context = paginate(request, kin_page_rows(rows), count=count)
    else:
        context = paginate(request, branch_pairings(request.user, year=year, region=region, q=filters["q"]))
    context |= year_context(year) | {"filters": filters,
                                     "totals": pairing_totals(request.user, year=year, region=region, pairs=pairs)}
    return render_list(request, "resources/pairings/list.html", context)


@requires(Perm.VIEW_REGISTRY)
@require_POST
def org_pick(request: AuthedRequest, side: str) -> HttpResponse:
    """Party organisations in scope for the 支部结对 form: villages' (`village`) or units' and townships'."""
    if side not in ("village", "helper"):
        raise Http404
    query = picker_query(request)
    return render_choices(request, org_choices(request.user, query.term, village=side == "village"), query=query)


@requires(Perm.EDIT_RESOURCES)
@require_http_methods(["GET", "POST"])
def branch_new(request: AuthedRequest) -> HttpResponse:
    form = BranchPairingForm(request.POST or None, initial={"since": working_year()}, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = submit(form, lambda: create_branch_pairing(actor=request.user, helper_id=data["helper_id"],
                                                           helped_id=data["helped_id"], since=data["since"]))
        if made is not None:
            messages.success(request, "已登记支部结对")
            return redirect(reverse("resources:branch_pairing", args=[made.pk]))
    return render(request, "resources/pairings/form.html", {"form": form, "title": "新增支部结对"},
                  status=400 if form.errors else 200)


@requires(Perm.EDIT_RESOURCES)
@require_http_methods(["GET", "POST"])
def kin_new(request: AuthedRequest) -> HttpResponse:
    form = KinPairingForm(request.POST or None, initial={"since": working_year()}, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = submit(form, lambda: create_kin_pairing(actor=request.user, person_id=data["person_id"],
                                                        household_id=data["household_id"], since=data["since"]))
        if made is not None:
            messages.success(request, "已登记干群结亲")
            return redirect(reverse("resources:kin_pairing", args=[made.pk]))
    return render(request, "resources/pairings/form.html", {"form": form, "title": "新增干群结亲"},
                  status=400 if form.errors else 200)


def _pairing_page(request: AuthedRequest, pk: int, kind: str, *, support_form: SupportForm | None = None,
                  end_form: EndForm | None = None, status: int = 200) -> HttpResponse:
    if kind == "branch":
        pairing: Any = get_branch_for_user(request.user, pk)
        supports = supports_of(request.user, branch=pairing)
    else:
        pairing = get_kin_for_user(request.user, pk)
        supports = supports_of(request.user, kin=pairing)
    rows = list(supports)
    context = {"pairing": pairing, "kind": kind, "supports": rows, "total": sum(s.amount for s in rows),
               "support_form": support_form or SupportForm(initial={"year": working_year(),
                                                                    "kind": SupportKind.PROJECT, "amount": 0}),
               "end_form": end_form or EndForm(initial={"until": working_year()})}
    return render(request, "resources/pairings/detail.html", context, status=status)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def branch_pairing(request: AuthedRequest, pk: int) -> HttpResponse:
    return _pairing_page(request, pk, "branch")


@requires(Perm.VIEW_REGISTRY)
@require_GET
def kin_pairing(request: AuthedRequest, pk: int) -> HttpResponse:
    return _pairing_page(request, pk, "kin")


def _kind(kind: str) -> None:
    if kind not in TABS:
        raise Http404


def _name(kind: str) -> str:
    return "resources:branch_pairing" if kind == "branch" else "resources:kin_pairing"


@requires(Perm.EDIT_RESOURCES)
@require_POST
def support_add(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    _kind(kind)
    form = SupportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        which = {"branch_pairing_id": pk} if kind == "branch" else {"kin_pairing_id": pk}
        saved = submit(form, lambda: add_support(actor=request.user, year=data["year"], kind=data["kind"],
                                                 description=data["description"], amount=data["amount"], **which))
        if saved is not None:
            messages.success(request, "已登记帮扶")
            return redirect(reverse(_name(kind), args=[pk]))
    return _pairing_page(request, pk, kind, support_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def support_remove(request: AuthedRequest, kind: str, pk: int, support_id: int) -> HttpResponse:
    _kind(kind)
    if kind == "branch":
        supports = supports_of(request.user, branch=get_branch_for_user(request.user, pk))
    else:
        supports = supports_of(request.user, kin=get_kin_for_user(request.user, pk))
    if not supports.filter(pk=support_id).exists():
        raise Http404
    remove_support(actor=request.user, support_id=support_id)
    messages.success(request, "已删除帮扶记录")
    return redirect(reverse(_name(kind), args=[pk]))


@requires(Perm.EDIT_RESOURCES)
@require_POST
def pairing_end(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    _kind(kind)
    form = EndForm(request.POST)
    if form.is_valid():
        until = form.cleaned_data["until"]
        end = end_branch_pairing if kind == "branch" else end_kin_pairing
        if submit(form, lambda: end(actor=request.user, pairing_id=pk, until=until)) is not None:
            messages.success(request, f"已结束，计至{until}年")
            return redirect(reverse(_name(kind), args=[pk]))
    return _pairing_page(request, pk, kind, end_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def pairing_delete(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    _kind(kind)
    (delete_branch_pairing if kind == "branch" else delete_kin_pairing)(actor=request.user, pairing_id=pk)
    messages.success(request, "已删除")
    return redirect(reverse("resources:pairings") + ("?tab=branch" if kind == "branch" else ""))


# --- 企业帮扶 -------------------------------------------------------------------------------------------------

@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def enterprises(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    filters = {"region": region_param(request.GET.get("region")) or "", "q": request.GET.get("q", "").strip()[:50]}
    region = filters["region"] or None
    context = paginate(request, enterprises_for(request.user, year=year, region=region, q=filters["q"]))
    context |= year_context(year) | {"filters": filters,
                                     "totals": enterprise_totals(request.user, year=year, region=region)}
    return render_list(request, "resources/enterprises/list.html", context)


@requires(Perm.EDIT_RESOURCES)
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    found = get_enterprise_for_user(request.user, pk) if pk else None
    initial: dict[str, Any] = ({"name": found.name, "credit_code": found.credit_code, "region_code": found.region_id} if found
               else {"region_code": request.user.scope_id})
    form = EnterpriseForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: save_enterprise(actor=request.user, name=data["name"],
                                                     credit_code=data["credit_code"],
                                                     region_code=data["region_code"], enterprise_id=pk))
        if saved is not None:
            messages.success(request, f"已保存“{saved.name}”")
            return redirect(reverse("resources:enterprise", args=[saved.pk]))
    return render(request, "resources/enterprises/form.html", {"form": form, "enterprise": found},
                  status=400 if form.errors else 200)


def _enterprise_page(request: AuthedRequest, pk: int, *, form: HelpForm | None = None,
                     status: int = 200) -> HttpResponse:
    found = get_enterprise_for_user(request.user, pk)
    helps = list(helps_of(request.user, found))
    years: dict[int, dict[str, Any]] = {}
    for h in helps:
        figures = years.setdefault(h.year, {"year": h.year, "villages": 0, "pledged": 0, "paid": 0})
        figures["villages"] += 1
        figures["pledged"] += h.pledged
        figures["paid"] += h.paid
    context = {"enterprise": found, "helps": helps, "by_year": list(years.values()),
               "form": form or HelpForm(initial={"year": working_year()}, user=request.user)}
    return render(request, "resources/enterprises/detail.html", context, status=status)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def enterprise(request: AuthedRequest, pk: int) -> HttpResponse:
    return _enterprise_page(request, pk)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def help_record(request: AuthedRequest, pk: int) -> HttpResponse:
    form = HelpForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: record_help(actor=request.user, enterprise_id=pk,
                                                 village_code=data["village_code"], year=data["year"],
                                                 pledged=data["pledged"], paid=data["paid"], note=data["note"]))
        if saved is not None:
            messages.success(request, "已登记帮扶" if saved[1] else "已更新该村该年度的帮扶")
            return redirect(reverse("resources:enterprise", args=[pk]))
    return _enterprise_page(request, pk, form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def help_delete(request: AuthedRequest, pk: int, help_id: int) -> HttpResponse:
    if not helps_of(request.user, get_enterprise_for_user(request.user, pk)).filter(pk=help_id).exists():
        raise Http404
    delete_help(actor=request.user, help_id=help_id)
    messages.success(request, "已删除帮扶记录")
    return redirect(reverse("resources:enterprise", args=[pk]))


urlpatterns = [
    path("pairings/", pairings, name="pairings"),
    path("pairings/pick/<str:side>/", org_pick, name="pairing_org_pick"),
    path("pairings/branch/new/", branch_new, name="branch_pairing_new"),
    path("pairings/kin/new/", kin_new, name="kin_pairing_new"),
    path("pairings/branch/<id:pk>/", branch_pairing, name="branch_pairing"),
    path("pairings/kin/<id:pk>/", kin_pairing, name="kin_pairing"),
    path("pairings/<str:kind>/<id:pk>/supports/", support_add, name="pairing_support_add"),
    path("pairings/<str:kind>/<id:pk>/supports/<id:support_id>/remove/", support_remove,
         name="pairing_support_remove"),
    path("pairings/<str:kind>/<id:pk>/end/", pairing_end, name="pairing_end"),
    path("pairings/<str:kind>/<id:pk>/delete/", pairing_delete, name="pairing_delete"),
    path("enterprises/", enterprises, name="enterprises"),
    path("enterprises/new/", enterprise_edit, name="enterprise_new"),
    path("enterprises/<id:pk>/", enterprise, name="enterprise"),
    path("enterprises/<id:pk>/edit/", enterprise_edit, name="enterprise_edit"),
    path("enterprises/<id:pk>/helps/", help_record, name="enterprise_help_record"),
    path("enterprises/<id:pk>/helps/<id:help_id>/delete/", help_delete, name="enterprise_help_delete"),
]
