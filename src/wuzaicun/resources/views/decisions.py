"""Pages of 资金使用决策: the year's decisions, a new proposal, a decision's timeline with the next step's form
and its payments, and the printable 公示 of its resolution and of its result."""

from __future__ import annotations

import datetime as dt
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
from wuzaicun.core.errors import Conflict, DomainError
from wuzaicun.core.forms import submit
from wuzaicun.core.masking import mask_resident_id_public
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.decisions import DecisionForm, PaymentForm, StepForm
from ..models.decisions import DecisionFlow, DecisionStatus, FundKind
from ..rules.decisions import FLOWS, ID_LIKE, STEP_LABELS, Kind, first_payment_day, step_of
from ..selectors.decisions import (
    decision_totals,
    decisions_for,
    get_decision_for_user,
    payable_from,
    payments_of,
    steps_of,
    timeline,
)
from ..services.decisions import (
    StepInput,
    add_payment,
    create_decision,
    delete_decision,
    may_review,
    publicity_minimum,
    record_step,
)


def _year(request: AuthedRequest) -> int:
    return year_param(request.GET.get("year") or request.POST.get("year"), default=working_year())


def _choice(value: str, allowed: list[str]) -> str:
    return value if value in allowed else ""


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def decisions(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    get = request.GET
    filters = {"region": region_param(get.get("region")) or "", "q": get.get("q", "").strip()[:50],
               "status": _choice(get.get("status", ""), list(DecisionStatus.values)),
               "flow": _choice(get.get("flow", ""), list(DecisionFlow.values)),
               "fund_kind": _choice(get.get("fund_kind", ""), list(FundKind.values)),
               "step": _choice(get.get("step", ""), list(STEP_LABELS))}
    region = filters["region"] or None
    context = paginate(request, decisions_for(request.user, year=year, region=region, q=filters["q"],
                                              status=filters["status"], flow=filters["flow"],
                                              fund_kind=filters["fund_kind"], step=filters["step"]))
    context |= year_context(year) | {
        "filters": filters, "totals": decision_totals(request.user, year=year, region=region),
        "statuses": DecisionStatus.choices, "flows": DecisionFlow.choices, "fund_kinds": FundKind.choices,
        "steps": list(STEP_LABELS.items())}
    return render_list(request, "resources/decisions/list.html", context)


def _uploads(request: AuthedRequest) -> list[tuple[Any, str]]:
    return [(f.chunks(), f.name or "") for f in request.FILES.getlist("files")]


@requires(Perm.EDIT_RESOURCES)
@require_http_methods(["GET", "POST"])
def decision_new(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    form = DecisionForm(request.POST or None, user=request.user, initial={"proposed_on": dt.date(year, 1, 1)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = submit(form, lambda: create_decision(
            actor=request.user, village_code=data["village_code"], year=data["proposed_on"].year, title=data["title"],
            fund_kind=data["fund_kind"], amount=data["amount"], flow=data["flow"], proposed_on=data["proposed_on"],
            note=data["note"], files=_uploads(request)))
        if decision is not None:
            messages.success(request, f"已登记村党组织提议“{decision.title}”")
            return redirect(reverse("resources:decision", args=[decision.pk]))
    return render(request, "resources/decisions/form.html", {"form": form, "year": year},
                  status=400 if form.errors else 200)


def _decision_page(request: AuthedRequest, pk: int, *, step_form: StepForm | None = None,
                   payment_form: PaymentForm | None = None, status: int = 200) -> HttpResponse:
    decision = get_decision_for_user(request.user, pk)
    done = steps_of(request.user, decision)
    rows = timeline(decision, done)
    following = next((r.step for r in rows if r.is_next), None)
    minimum = publicity_minimum(decision.year)
    may_edit = request.user.can(Perm.EDIT_RESOURCES)
    may_record = following is not None and may_edit and (following.kind is not Kind.TOWNSHIP
                                                          or may_review(request.user))
    if following is not None and step_form is None and may_record:
        step_form = StepForm(step=following, minimum_days=minimum,
                             initial={"version": decision.version, "held_on": done[-1].held_on if done else None})
    payments = list(payments_of(request.user, decision))
    context: dict[str, Any] = {
        "decision": decision, "rows": rows, "following": following, "step_form": step_form if may_record else None,
        "waits_for_township": following is not None and following.kind is Kind.TOWNSHIP and not may_record,
        "payments": payments, "paid": sum((p.amount for p in payments), start=0),
        "payable_from": payable_from(done), "minimum_days": minimum,
        "payment_form": payment_form or PaymentForm(),
        "has_resolution_notice": any(s.step == "publish" for s in done),
        "has_result_notice": any(s.step == "result" for s in done),
    }
    return render(request, "resources/decisions/detail.html", context, status=status)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def decision(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decision_page(request, pk)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def decision_step(request: AuthedRequest, pk: int) -> HttpResponse:
    found = get_decision_for_user(request.user, pk)
    code = request.POST.get("step", "")
    spec = step_of(found.flow, code)
    if spec is None:
        raise Http404
    form = StepForm(request.POST, step=spec, minimum_days=publicity_minimum(found.year))
    if form.is_valid():
        data = form.cleaned_data
        entry = StepInput(held_on=data["held_on"], meeting_kind=data.get("meeting_kind") or "",
                          eligible=data.get("eligible"), present=data.get("present"),
                          votes_for=data.get("votes_for"), votes_against=data.get("votes_against"),
                          votes_abstain=data.get("votes_abstain"),
                          households_represented=data.get("households_represented"),
                          households_total=data.get("households_total"),
                          publicity_days=data.get("publicity_days"), note=data.get("note") or "")
        try:
            saved = record_step(actor=request.user, decision_id=pk, step=code, data=entry, version=data["version"],
                                files=_uploads(request))
        except Conflict:
            raise
        except DomainError as exc:
            form.add_error(form.field_named(exc.field), exc.message)
        else:
            if saved.status == DecisionStatus.REJECTED:
                messages.warning(request, f"已记录“{spec.label}”，决策未通过")
            else:
                messages.success(request, f"已记录“{spec.label}”")
            return redirect(reverse("resources:decision", args=[pk]))
    return _decision_page(request, pk, step_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def decision_payment(request: AuthedRequest, pk: int) -> HttpResponse:
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_payment(actor=request.user, decision_id=pk, paid_on=data["paid_on"], amount=data["amount"],
                        payee=data["payee"])
        except DomainError as exc:
            labels = {"支付日期": "paid_on", "金额": "amount", "收款方": "payee"}
            form.add_error(labels.get(exc.field or ""), exc.message)
        else:
            messages.success(request, f"已登记支付{data['amount']}元")
            return redirect(reverse("resources:decision", args=[pk]))
    return _decision_page(request, pk, payment_form=form, status=400)


@requires(Perm.EDIT_RESOURCES)
@require_POST
def decision_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    delete_decision(actor=request.user, decision_id=pk)
    messages.success(request, "已撤销该提议")
    return redirect("resources:decisions")


def _public(text: str) -> str:
    """The public notice's masking profile for anything ID-like a clerk typed into a name or a note."""
    return ID_LIKE.sub(lambda m: mask_resident_id_public(m.group(0)), text)


def _notice(request: AuthedRequest, pk: int, which: str) -> HttpResponse:
    decision = get_decision_for_user(request.user, pk)
    done = steps_of(request.user, decision)
    by_code = {s.step: s for s in done}
    publicity = by_code.get("publish" if which == "resolution" else "result")
    if publicity is None:
        raise Http404
    resolution = next((s for s in done for spec in FLOWS[decision.flow] if spec.code == s.step and spec.resolution),
                      None)
    days = publicity.publicity_days or 0
    context = {
        "decision": decision, "which": which, "steps": [(s, _public(s.note)) for s in done if s.pk != publicity.pk],
        "resolution": resolution, "publicity": publicity,
        "publicity_end": first_payment_day(publicity.held_on, days) - dt.timedelta(days=1),
        "payments": [(p, _public(p.payee)) for p in payments_of(request.user, decision)] if which == "result" else [],
        "title": "资金使用决议公示" if which == "resolution" else "资金使用实施结果公示",
        "matter": _public(decision.title),
    }
    return render(request, "resources/decisions/notice.html", context)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def decision_notice_resolution(request: AuthedRequest, pk: int) -> HttpResponse:
    return _notice(request, pk, "resolution")


@requires(Perm.VIEW_REGISTRY)
@require_GET
def decision_notice_result(request: AuthedRequest, pk: int) -> HttpResponse:
    return _notice(request, pk, "result")


urlpatterns = [
    path("decisions/", decisions, name="decisions"),
    path("decisions/new/", decision_new, name="decision_new"),
    path("decisions/<id:pk>/", decision, name="decision"),
    path("decisions/<id:pk>/steps/", decision_step, name="decision_step"),
    path("decisions/<id:pk>/payments/", decision_payment, name="decision_payment"),
    path("decisions/<id:pk>/delete/", decision_delete, name="decision_delete"),
    path("decisions/<id:pk>/notice/resolution/", decision_notice_resolution, name="decision_notice_resolution"),
    path("decisions/<id:pk>/notice/result/", decision_notice_result, name="decision_notice_result"),
]
