"""Pages of 村级集体经济: entities with a year's income, the entity form, 空壳村 and their trend."""

from __future__ import annotations

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

from ..forms.economy import EntityEditForm, EntityForm, IncomeForm
from ..models.economy import EntityKind
from ..rules.economy import shell_reason
from ..selectors.economy import economy_summary, entities_for, get_entity_for_user, incomes_of, shell_villages
from ..services.economy import create_entity, delete_entity, set_income, update_entity


def _filters(request: AuthedRequest) -> tuple[int, str | None, dict[str, str]]:
    year = year_param(request.GET.get("year"), default=working_year())
    region = region_param(request.GET.get("region"))
    kind = request.GET.get("kind", "").strip()
    filters = {"region": request.GET.get("region", "").strip(), "q": request.GET.get("q", "").strip()[:50],
               "kind": kind if kind in EntityKind.values else ""}
    return year, region, filters


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def entities(request: AuthedRequest) -> HttpResponse:
    year, region, filters = _filters(request)
    rows = entities_for(request.user, year=year, region=region, q=filters["q"], kind=filters["kind"])
    context = paginate(request, rows) | year_context(year) | {"filters": filters, "kinds": EntityKind.choices}
    if not getattr(request, "htmx", False):
        context["summary"] = economy_summary(request.user, year=year, region=region)
    return render_list(request, "organization/economy/entities.html", context)


@requires(Perm.EDIT_ORGANIZATION)
@require_http_methods(["GET", "POST"])
def entity_new(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=working_year())
    form = EntityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entity = submit(form, lambda: create_entity(
            actor=request.user, village_code=data["village_code"], name=data["name"], kind=data["kind"],
            credit_code=data["credit_code"] or "", founded_on=data["founded_on"]))
        if entity is not None:
            messages.success(request, f"已登记“{entity.name}”，请填报年度收入")
            return redirect(f"{reverse('organization:entity', args=[entity.pk])}?year={year}")
    return render(request, "organization/economy/entity_form.html", {"form": form, "year": year})


@requires(Perm.VIEW_REGISTRY)
@require_http_methods(["GET", "POST"])
def entity(request: AuthedRequest, pk: int) -> HttpResponse:
    """An entity: its fields (editable) and its income year by year (a year's income recorded here)."""
    found = get_entity_for_user(request.user, pk)
    year = year_param(request.GET.get("year"), default=working_year())
    can_edit = request.user.can(Perm.EDIT_ORGANIZATION)
    form = EntityEditForm(initial={"name": found.name, "kind": found.kind, "credit_code": found.credit_code or "",
                                  "founded_on": found.founded_on, "version": found.version})
    income_form = IncomeForm(initial={"year": year})
    if request.method == "POST":
        from wuzaicun.accounts.services import require_perm

        require_perm(request.user, Perm.EDIT_ORGANIZATION)
        if "save_income" in request.POST:
            income_form = IncomeForm(request.POST)
            if income_form.is_valid():
                d = income_form.cleaned_data
                if submit(income_form, lambda: set_income(actor=request.user, entity_id=pk, year=d["year"],
                                                          operating_income=d["operating_income"],
                                                          collective_income=d["collective_income"])):
                    messages.success(request, f"已保存{d['year']}年收入")
                    return redirect(f"{reverse('organization:entity', args=[pk])}?year={d['year']}")
        else:
            form = EntityEditForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                if submit(form, lambda: update_entity(
                        actor=request.user, entity_id=pk, name=d["name"], kind=d["kind"],
                        credit_code=d["credit_code"] or "", founded_on=d["founded_on"],
                        expected_version=d["version"])):
                    messages.success(request, "已保存实体信息")
                    return redirect(f"{reverse('organization:entity', args=[pk])}?year={year}")
    return render(request, "organization/economy/entity.html", {
        "entity": found, "form": form, "income_form": income_form, "incomes": incomes_of(request.user, found),
        "year": year, "can_edit": can_edit})


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def entity_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    found = get_entity_for_user(request.user, pk)
    delete_entity(actor=request.user, entity_id=pk)
    messages.success(request, f"已删除“{found.name}”")
    return redirect(reverse("organization:entities"))


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def shells(request: AuthedRequest) -> HttpResponse:
    """空壳村 of the year (no entity, or no collective income), and the count year by year."""
    year, region, filters = _filters(request)
    context = paginate(request, shell_villages(request.user, year=year, region=region, q=filters["q"]))
    context["rows"] = [{"v": v, "reason": shell_reason(entities=1 if v.has_entity else 0,
                                                       collective_income=v.collective)}
                       for v in context["page_obj"]]
    context |= year_context(year) | {"filters": filters}
    if not getattr(request, "htmx", False):
        context["summary"] = economy_summary(request.user, year=year, region=region)
    return render_list(request, "organization/economy/shells.html", context)


urlpatterns = [
    path("entities/", entities, name="entities"),
    path("entities/new/", entity_new, name="entity_new"),
    path("entities/<id:pk>/", entity, name="entity"),
    path("entities/<id:pk>/delete/", entity_delete, name="entity_delete"),
    path("entities/shells/", shells, name="shells"),
]
