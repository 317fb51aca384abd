"""Pages of the ledger (责任台账): village and person boards, 对账 form, the township's review queue, visits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.errors import DomainError
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import quarter_param, year_param
from wuzaicun.regions.selectors import breadcrumb, get_region_for_user

from .forms import LineForm, ReconcileForm, ReviewForm, VisitForm
from .ledger_selectors import (
    get_line_for_user,
    lines_for,
    quarter_of,
    reopen_queue,
    review_queue,
    unvisited,
    visits_in_quarter,
)
from .selectors import get_entry_for_user, get_helper_for_user, working_year, year_context
from .services import (
    add_line,
    approve_reconciliations,
    close_line,
    decide_reopen,
    lock_line,
    record_visit,
    request_reopen,
    review_reconciliation,
    submit_reconciliation,
)


def _year_quarter(request: AuthedRequest) -> tuple[int, int]:
    """The year asked for, else the working year; the quarter asked for, else this quarter in the calendar
    year and the fourth of a year gone by (its ledger is being closed)."""
    today = timezone.localdate()
    year = year_param(request.GET.get("year"), default=working_year())
    quarter = quarter_param(request.GET.get("quarter"), default=quarter_of(today) if year == today.year else 4)
    return year, quarter


def _rows(lines: Any, quarter: int) -> list[dict[str, Any]]:
    rows = []
    for line in lines:
        this = next((r for r in line.reconciliations.all() if r.quarter == quarter), None)
        rows.append({"line": line, "this": this})
    return rows


@requires(Perm.VIEW_REGISTRY)
@require_GET
def village_board(request: AuthedRequest, code: str) -> HttpResponse:
    year, quarter = _year_quarter(request)
    region = get_region_for_user(request.user, code)
    lines = lines_for(request.user, year=year, region=region.code)
    return render(request, "responsibility/ledger_board.html", {
        **year_context(year), "title": f"{region.name} 责任台账", "trail": breadcrumb(request.user, region),
        "quarter": quarter, "rows": _rows(lines, quarter),
        "missed": unvisited(request.user, year=year, quarter=quarter, region=region.code)[:200],
    })


@requires(Perm.VIEW_REGISTRY)
@require_GET
def person_board(request: AuthedRequest, pk: int) -> HttpResponse:
    year, quarter = _year_quarter(request)
    person = get_helper_for_user(request.user, pk)
    lines = lines_for(request.user, year=year, person_id=person.pk)
    return render(request, "responsibility/ledger_board.html", {
        **year_context(year), "title": f"{person.name} 责任台账", "trail": [], "quarter": quarter,
        "rows": _rows(lines, quarter), "person": person,
        "missed": unvisited(request.user, year=year, quarter=quarter, person_id=person.pk)[:200],
    })


@requires(Perm.EDIT_LISTS)
@require_http_methods(["GET", "POST"])
def line_new(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id)
    form = LineForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and submit(form, lambda: add_line(
            actor=request.user, assignment_id=entry.pk, commitment=form.cleaned_data["commitment"],
            target_value=form.cleaned_data["target_value"], target_unit=form.cleaned_data["target_unit"] or "")) is not None:
        messages.success(request, "已新增台账条目（草稿），定账后目标不能修改")
        return redirect("responsibility:ledger_village", code=entry.village_id)
    return render(request, "responsibility/line_form.html", {"form": form, "entry": entry})


@requires(Perm.EDIT_LISTS)
@require_POST
def line_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    line = get_line_for_user(request.user, pk)
    if action == "lock":
        lock_line(actor=request.user, line_id=pk)
        messages.success(request, f"已定账：{line.commitment}")
    elif action == "close":
        fulfilled = request.POST.get("fulfilled") == "1"
        close_line(actor=request.user, line_id=pk, fulfilled=fulfilled, note=request.POST.get("note", ""))
        messages.success(request, f"已销账：{line.commitment}")
    elif action == "reopen":
        request_reopen(actor=request.user, line_id=pk, reason=request.POST.get("reason", ""))
        messages.success(request, "已提交重审申请，待上一级审批")
    else:
        raise DomainError("未知的操作")
    return redirect(f"/responsibility/ledger/village/{line.assignment.village_id}/?year={line.year}")


@requires(Perm.RECONCILE)
@require_http_methods(["GET", "POST"])
def reconcile(request: AuthedRequest, pk: int) -> HttpResponse:
    line = get_line_for_user(request.user, pk)
    _, default_quarter = _year_quarter(request)
    form = ReconcileForm(request.POST or None, request.FILES or None, initial={"quarter": default_quarter})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [(f.chunks(), f.name) for f in data["attachments"]]
        if submit(form, lambda: submit_reconciliation(
                actor=request.user, line_id=pk, quarter=data["quarter"], narrative=data["narrative"],
                progress_value=data["progress_value"], on_track=data["on_track"], files=uploads)):
            messages.success(request, f"第{data['quarter']}季度对账已提交，待乡镇审核")
            return redirect(f"/responsibility/ledger/village/{line.assignment.village_id}/?year={line.year}")
    quarter = quarter_param(str(form["quarter"].value() or ""), default=default_quarter)
    return render(request, "responsibility/reconcile.html", {
        "form": form, "line": line, "quarter": quarter, "visits": visits_in_quarter(request.user, line, quarter),
        "history": line.reconciliations.order_by("quarter"),
    })


@requires(Perm.REVIEW_LEDGER)
@require_GET
@vary_on_headers("HX-Request")
def review(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=working_year())
    quarter = quarter_param(request.GET.get("quarter"), default=0) if request.GET.get("quarter") else None
    text = request.GET.get("q", "").strip()
    queue = review_queue(request.user, year=year, quarter=quarter, q=text)
    filters = {"q": text, "quarter": quarter or ""}
    context = paginate(request, queue) | year_context(year) | {
        "filters": filters, "reopens": reopen_queue(request.user)[:100], "form": ReviewForm()}
    return render_list(request, "responsibility/review.html", context)


@requires(Perm.REVIEW_LEDGER)
@require_POST
def review_batch(request: AuthedRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) < 18]
    count = approve_reconciliations(actor=request.user, reconciliation_ids=ids)
    messages.success(request, f"已批量通过 {count} 条对账")
    year = year_param(request.POST.get("year"), default=working_year())
    return redirect(f"{reverse('responsibility:review')}?year={year}")


@requires(Perm.REVIEW_LEDGER)
@require_POST
def review_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        raise DomainError("请选择审核结论", field="审核结论")
    done = review_reconciliation(actor=request.user, reconciliation_id=pk, decision=form.cleaned_data["decision"],
                                 note=form.cleaned_data["note"] or "")
    if getattr(request, "htmx", False):
        return render(request, "responsibility/_reviewed.html", {"item": done})
    messages.success(request, f"已审核：{done.get_state_display()}")
    return redirect("responsibility:review")


@requires(Perm.REVIEW_LEDGER)
@require_POST
def reopen_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("approve") == "1"
    decide_reopen(actor=request.user, request_id=pk, approve=approve)
    messages.success(request, "已同意重审，台账条目退回草稿" if approve else "已驳回重审申请")
    return redirect("responsibility:review")


@requires(Perm.RECONCILE)
@require_http_methods(["GET", "POST"])
def visit_new(request: AuthedRequest) -> HttpResponse:
    form = VisitForm(request.POST or None, request.FILES or None,
                     initial={k: request.GET.get(k) for k in ("person_id", "household_id")}, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = submit(form, lambda: record_visit(
            actor=request.user, person_id=data["person_id"], household_id=data["household_id"],
            visited_on=data["visited_on"], activity=data["activity"],
            files=[(f.chunks(), f.name) for f in data["attachments"]]))
        if visit is not None:
            messages.success(request, "走访记录已保存")
            return redirect("responsibility:ledger_person", pk=visit.person_id)
    return render(request, "responsibility/visit_form.html", {"form": form})
