"""Pages of 组织保障: the year's list, the edit form, the compliance report and the standards."""

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
from wuzaicun.accounts.services import require_perm
from wuzaicun.core.errors import PermissionDenied
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.guarantees import GuaranteeForm, StandardsForm
from ..rules.guarantees import STANDARDS, STANDARDS_BY_CODE, shortfalls
from ..selectors.guarantees import (
    MISSING,
    compliance_counts,
    get_guarantee_for_user,
    guarantees_for,
    shortfall_rows,
    standard_rows,
    standard_values,
    values_of,
    villages_without_record,
)
from ..services.guarantees import (
    EVERY_VILLAGE,
    delete_guarantee,
    may_set_standards,
    save_guarantee,
    set_standards,
    update_guarantee,
)


def _filters(request: AuthedRequest) -> tuple[int, str | None, dict[str, str]]:
    year = year_param(request.GET.get("year"), default=working_year())
    region = region_param(request.GET.get("region"))
    filters = {"region": request.GET.get("region", "").strip(), "q": request.GET.get("q", "").strip()[:50]}
    return year, region, filters


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def guarantees(request: AuthedRequest) -> HttpResponse:
    year, region, filters = _filters(request)
    thresholds = standard_values(year)
    context = paginate(request, guarantees_for(request.user, year=year, region=region, q=filters["q"]))
    context["rows"] = [{"g": g, "shortfalls": shortfalls(values_of(g), thresholds)} for g in context["page_obj"]]
    context |= year_context(year) | {"filters": filters, "standards": STANDARDS, "thresholds": thresholds}
    return render_list(request, "organization/guarantees/list.html", context)


@requires(Perm.EDIT_ORGANIZATION)
@require_http_methods(["GET", "POST"])
def guarantee_new(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=working_year())
    form = GuaranteeForm(request.POST or None, initial={"year": year}, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: save_guarantee(actor=request.user, village_code=data["village_code"],
                                               year=data["year"], values=form.values())):
            messages.success(request, "已保存组织保障")
            return redirect(f"{reverse('organization:guarantees')}?year={data['year']}")
    return render(request, "organization/guarantees/form.html", {"form": form, "year": year})


@requires(Perm.EDIT_ORGANIZATION)
@require_http_methods(["GET", "POST"])
def guarantee_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_guarantee_for_user(request.user, pk)
    form = GuaranteeForm(request.POST or None, initial={**values_of(row), "version": row.version}, user=request.user,
                         editing=True)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: update_guarantee(actor=request.user, guarantee_id=pk, values=form.values(),
                                                      expected_version=form.cleaned_data["version"]))
        if saved is not None:
            messages.success(request, "已保存组织保障")
            return redirect(f"{reverse('organization:guarantees')}?year={row.year}")
    return render(request, "organization/guarantees/form.html", {"form": form, "year": row.year, "row": row})


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def guarantee_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_guarantee_for_user(request.user, pk)
    delete_guarantee(actor=request.user, guarantee_id=pk)
    messages.success(request, f"已删除{row.village.name}{row.year}年组织保障")
    return redirect(f"{reverse('organization:guarantees')}?year={row.year}")


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def compliance(request: AuthedRequest) -> HttpResponse:
    """Every village below a standard (filter by one), with the count below each standard."""
    year, region, filters = _filters(request)
    standard = request.GET.get("standard", "").strip()
    if standard not in STANDARDS_BY_CODE and standard != MISSING:
        standard = ""
    filters["standard"] = standard
    thresholds = standard_values(year)
    if standard == MISSING:
        context = paginate(request, villages_without_record(request.user, year=year, region=region))
        context["rows"] = [{"code": v.code, "name": v.name, "place": v.parent.name if v.parent else "",
                            "messages": [f"未填报{year}年组织保障"], "pk": None} for v in context["page_obj"]]
    else:
        context = paginate(request, shortfall_rows(request.user, year=year, region=region, standard=standard,
                                                   q=filters["q"]))
        rows = []
        for g in context["page_obj"]:
            found = [s for s in shortfalls(values_of(g), thresholds) if not standard or s.code == standard]
            rows.append({"code": g.village_id, "name": g.village.name,
                         "place": g.village.parent.name if g.village.parent else "",
                         "messages": [s.message for s in found], "pk": g.pk})
        context["rows"] = rows
    context |= year_context(year) | {"filters": filters, "counts": compliance_counts(request.user, year=year, region=region),
                                     "missing_code": MISSING}
    return render_list(request, "organization/guarantees/compliance.html", context)


@requires(Perm.VIEW_REGISTRY)
@require_http_methods(["GET", "POST"])
def standards(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=working_year())
    rows = standard_rows(year)
    form: Any = None
    if may_set_standards(request.user):
        form = StandardsForm(request.POST or None, initial={r["code"]: r["value"] for r in rows})
        if request.method == "POST" and form.is_valid() and submit(form, lambda: set_standards(
                actor=request.user, year=year, values=dict(form.cleaned_data))) is not None:
            messages.success(request, f"已保存{year}年组织保障标准")
            return redirect(f"{reverse('organization:guarantee_standards')}?year={year}")
    elif request.method == "POST":
        require_perm(request.user, Perm.RANK_ORGANIZATIONS)
        raise PermissionDenied(EVERY_VILLAGE)
    return render(request, "organization/guarantees/standards.html", year_context(year) | {"rows": rows, "form": form})


urlpatterns = [
    path("guarantees/", guarantees, name="guarantees"),
    path("guarantees/new/", guarantee_new, name="guarantee_new"),
    path("guarantees/<id:pk>/edit/", guarantee_edit, name="guarantee_edit"),
    path("guarantees/<id:pk>/delete/", guarantee_delete, name="guarantee_delete"),
    path("guarantees/compliance/", compliance, name="guarantee_compliance"),
    path("guarantees/standards/", standards, name="guarantee_standards"),
]
