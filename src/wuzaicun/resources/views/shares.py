"""Pages of 三变: the entities with what was put in, an entity's holders, contributions and dividends, the
dividend split (previewed, then saved) and a dividend's parts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.registry.selectors import households_for
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.shares import ContributionForm, DividendForm
from ..selectors.shares import (
    contributions_of,
    dividends_of,
    get_dividend_for_user,
    get_share_entity_for_user,
    holders_of,
    parts_of,
    share_entities,
    totals,
)
from ..services.shares import (
    DividendPlan,
    add_contribution,
    cancel_dividend,
    delete_contribution,
    split_dividend,
)

JOINED = ("yes", "no", "all")


def _year(request: AuthedRequest) -> int:
    return year_param(request.GET.get("year") or request.POST.get("year"), default=working_year())


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def entities(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    joined = request.GET.get("joined", "yes")
    filters = {"region": region_param(request.GET.get("region")) or "", "q": request.GET.get("q", "").strip()[:50],
               "joined": joined if joined in JOINED else "yes"}
    region = filters["region"] or None
    context = paginate(request, share_entities(request.user, year=year, region=region, q=filters["q"],
                                               joined="" if filters["joined"] == "all" else filters["joined"]))
    context |= year_context(year) | {"filters": filters, "totals": totals(request.user, year=year, region=region)}
    return render_list(request, "resources/shares/entities.html", context)


def _entity_page(request: AuthedRequest, pk: int, *, form: ContributionForm | None = None,
                 dividend_form: DividendForm | None = None, preview: DividendPlan | None = None,
                 status: int = 200) -> HttpResponse:
    entity = get_share_entity_for_user(request.user, pk)
    year = _year(request)
    context: dict[str, Any] = paginate(request, holders_of(request.user, entity, year=year))
    context |= year_context(year) | {
        "entity": entity,
        "contributions": contributions_of(request.user, entity)[:50],
        "dividends": dividends_of(request.user, entity),
        "form": form or ContributionForm(initial={"village_code": entity.village_id}, user=request.user),
        "dividend_form": dividend_form or DividendForm(initial={"year": year}),
        "preview": preview,
        "preview_parts": _named(request, preview.parts[:20]) if preview else [],
    }
    if getattr(request, "htmx", False) and request.method == "GET":
        return render(request, "resources/shares/entity.html#list", context)
    return render(request, "resources/shares/entity.html", context, status=status)


def _named(request: AuthedRequest, parts: list[tuple[int | None, Decimal, Decimal]]) -> list[tuple[str, Decimal, Decimal]]:
    names = dict(households_for(request.user).filter(pk__in=[h for h, _, _ in parts if h])
                 .values_list("pk", "head_name"))
    return [(f"{names.get(h, '')}户" if h else "村集体", shares, part) for h, shares, part in parts]


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def entity(request: AuthedRequest, pk: int) -> HttpResponse:
    return _entity_page(request, pk)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def contribution_add(request: AuthedRequest, pk: int) -> HttpResponse:
    form = ContributionForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: add_contribution(
            actor=request.user, entity_id=pk, household_id=data["household_id"], kind=data["kind"],
            shares=data["shares"], contributed_on=data["contributed_on"], land_mu=data["land_mu"],
            property_name=data["property_name"], amount=data["amount"]))
        if saved is not None:
            messages.success(request, "已登记入股")
            return redirect(reverse("resources:shares_entity", args=[pk]))
    return _entity_page(request, pk, form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def contribution_delete(request: AuthedRequest, pk: int, contribution_id: int) -> HttpResponse:
    delete_contribution(actor=request.user, contribution_id=contribution_id)
    messages.success(request, "已删除入股记录")
    return redirect(reverse("resources:shares_entity", args=[pk]))


@requires(Perm.EDIT_RESOURCES)
@require_POST
def dividend_split(request: AuthedRequest, pk: int) -> HttpResponse:
    """“预览” answers the split unsaved; “确认分配” saves it."""
    form = DividendForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        dry_run = request.POST.get("action") != "save"
        plan = submit(form, lambda: split_dividend(actor=request.user, entity_id=pk, year=data["year"],
                                                   total=data["total"], dry_run=dry_run))
        if plan is not None and plan.dividend is not None:
            messages.success(request, f"已按股份分配{plan.year}年度分红，共{plan.holders}个股东")
            return redirect(reverse("resources:dividend", args=[plan.dividend.pk]))
        if plan is not None:
            return _entity_page(request, pk, dividend_form=form, preview=plan)
    return _entity_page(request, pk, dividend_form=form, status=400)


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def dividend(request: AuthedRequest, pk: int) -> HttpResponse:
    found = get_dividend_for_user(request.user, pk)
    context = paginate(request, parts_of(request.user, found)) | {"dividend": found}
    return render_list(request, "resources/shares/dividend.html", context)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def dividend_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    found = get_dividend_for_user(request.user, pk)
    cancel_dividend(actor=request.user, dividend_id=pk)
    messages.success(request, f"已撤销{found.year}年度分红")
    return redirect(reverse("resources:shares_entity", args=[found.entity_id]))


urlpatterns = [
    path("shares/", entities, name="shares"),
    path("shares/<id:pk>/", entity, name="shares_entity"),
    path("shares/<id:pk>/contributions/", contribution_add, name="contribution_add"),
    path("shares/<id:pk>/contributions/<id:contribution_id>/delete/", contribution_delete,
         name="contribution_delete"),
    path("shares/<id:pk>/dividends/", dividend_split, name="dividend_split"),
    path("dividends/<id:pk>/", dividend, name="dividend"),
    path("dividends/<id:pk>/cancel/", dividend_cancel, name="dividend_cancel"),
]
