"""Pages of 倒排整顿: the year's ranking (propose, adjust, confirm), its weights, 民主评议 scores, the cases and a
case's page (plan, progress with evidence, submit, the township's and the county's sign-off)."""

from __future__ import annotations

from decimal import Decimal
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
from wuzaicun.core.errors import DomainError
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.core.review import ReviewState
from wuzaicun.regions.forms import area_form
from wuzaicun.registry.selectors import people_for
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.rectification import (
    AdjustForm,
    CaseForm,
    DemocraticScoreForm,
    ProgressForm,
    ProposeForm,
    ReviewForm,
)
from ..models.rectification import CaseStatus, RoundStatus
from ..rules.rectification import (
    DEFAULT_COUNT,
    INDICATORS_BY_CODE,
    MISSING_RULE,
    RANKING_INDICATORS,
    TIE_RULE,
)
from ..rules.rectification import parse_weights as parse_weight_pairs
from ..selectors.rectification import (
    cases_for,
    democratic_scores_for,
    get_case_for_user,
    get_round_for_user,
    picks_of,
    progress_of,
    round_counts,
    round_for_page,
    today,
    weight_rows,
    weights_customised,
)
from ..services.rectification import (
    add_progress,
    adjust_pick,
    confirm_round,
    may_review,
    propose_round,
    review_case,
    set_democratic_score,
    set_weights,
    submit_case,
    update_case,
)


def _year(request: AuthedRequest) -> int:
    return year_param(request.GET.get("year") or request.POST.get("year"), default=working_year())


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def ranking(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    filters = {k: request.GET.get(k, "").strip() for k in ("round_region", "only", "q", "region")}
    round_ = round_for_page(request.user, year=year, region=region_param(filters["round_region"]))
    context: dict[str, Any] = year_context(year) | {
        "filters": filters, "round": round_, "tie_rule": TIE_RULE, "missing_rule": MISSING_RULE,
        "propose_form": ProposeForm(user=request.user, initial={"count": round_.count if round_ else DEFAULT_COUNT}),
        "adjust_form": AdjustForm(user=request.user), "area": area_form(request.user, filters["region"]),
    }
    if round_ is not None:
        used = [c for c in (i.code for i in RANKING_INDICATORS) if c in round_.weights]
        context |= paginate(request, picks_of(request.user, round_, only=filters["only"], q=filters["q"],
                                              region=region_param(filters["region"])))
        context |= {"counts": round_counts(request.user, round_), "confirmed": round_.status == RoundStatus.CONFIRMED,
                    "columns": [(c, INDICATORS_BY_CODE[c].title, round_.weights[c]) for c in used]}
        for pick in context["page_obj"]:
            pick.cells = [pick.values.get(c) for c in used]
    return render_list(request, "organization/rectification/ranking.html", context)


@requires(Perm.RANK_ORGANIZATIONS)
@require_POST
def propose(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    form = ProposeForm(request.POST, user=request.user)
    if form.is_valid():
        region = form.cleaned_data["region_code"] or request.user.scope_id or ""
        round_ = submit(form, lambda: propose_round(actor=request.user, year=year, region_code=region,
                                                    count=form.cleaned_data["count"]))
        if round_ is not None:
            messages.success(request, f"已提出{year}年度倒排名单：倒排 {round_.count} 个村党组织，待调整后确认")
            return redirect(f"{reverse('organization:ranking')}?year={year}&round_region={round_.region_id}")
    messages.error(request, "；".join(_errors(form)))
    return redirect(f"{reverse('organization:ranking')}?year={year}")


def _errors(form: Any) -> list[str]:
    out = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        out += [f"{label}：{e}" if label else str(e) for e in errors]
    return out or ["提交的内容有误"]


@requires(Perm.RANK_ORGANIZATIONS)
@require_POST
def adjust(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    form = AdjustForm(request.POST, user=request.user)
    if form.is_valid():
        selected = form.cleaned_data["action"] == "add"
        pick = submit(form, lambda: adjust_pick(actor=request.user, round_id=round_.pk,
                                                village_code=form.cleaned_data["village_code"], selected=selected,
                                                reason=form.cleaned_data["reason"]))
        if pick is not None:
            messages.success(request, f"已将{pick.village.name}{'列入' if selected else '移出'}整顿名单")
            return _back_to_round(round_)
    messages.error(request, "；".join(_errors(form)))
    return _back_to_round(round_)


def _back_to_round(round_: Any) -> HttpResponse:
    return redirect(f"{reverse('organization:ranking')}?year={round_.year}&round_region={round_.region_id}")


@requires(Perm.RANK_ORGANIZATIONS)
@require_POST
def confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    made = confirm_round(actor=request.user, round_id=round_.pk)
    messages.success(request, f"已确认{round_.year}年度整顿名单，新建整顿案例 {made} 个")
    return _back_to_round(round_)


@requires(Perm.VIEW_REGISTRY)
@require_http_methods(["GET", "POST"])
def weights(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    error = ""
    if request.method == "POST":
        pairs = [(i.code, request.POST.get(f"w-{i.code}", ""), request.POST.get(f"on-{i.code}") == "on")
                 for i in RANKING_INDICATORS]
        parsed, problems = parse_weight_pairs(pairs)
        try:
            if problems:
                raise DomainError("；".join(m for _, m in problems))
            set_weights(actor=request.user, year=year, weights=parsed)
        except DomainError as exc:
            if exc.status != 400:
                raise
            error = exc.message
        else:
            messages.success(request, f"已保存{year}年度倒排指标权重")
            return redirect(f"{reverse('organization:ranking_weights')}?year={year}")
    return render(request, "organization/rectification/weights.html", year_context(year) | {
        "rows": weight_rows(year), "customised": weights_customised(year), "error": error,
        "tie_rule": TIE_RULE, "missing_rule": MISSING_RULE})


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def democratic_scores(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    form = DemocraticScoreForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        score: Decimal = form.cleaned_data["score"]
        row = submit(form, lambda: set_democratic_score(actor=request.user, year=year,
                                                        village_code=form.cleaned_data["village_code"], score=score))
        if row is not None:
            messages.success(request, f"已录入{year}年度民主评议得分 {score}")
            return redirect(f"{reverse('organization:democratic_scores')}?year={year}")
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "region")}
    rows = democratic_scores_for(request.user, year=year, region=region_param(filters["region"]), q=filters["q"])
    return render_list(request, "organization/rectification/democratic.html",
                       paginate(request, rows) | year_context(year)
                       | {"form": form, "filters": filters, "area": area_form(request.user, filters["region"])})


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def cases(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    filters = {k: request.GET.get(k, "").strip() for k in ("status", "q", "region", "overdue")}
    rows = cases_for(request.user, year=year, region=region_param(filters["region"]), status=filters["status"],
                     q=filters["q"], overdue=filters["overdue"] == "1")
    on = today()
    context = paginate(request, rows) | year_context(year) | {"filters": filters, "statuses": CaseStatus.choices,
                                                           "area": area_form(request.user, filters["region"])}
    for case in context["page_obj"]:
        case.overdue = case.deadline is not None and case.deadline < on and case.status != CaseStatus.TRANSFORMED
    return render_list(request, "organization/rectification/cases.html", context)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    return _case_page(request, case)


def _case_page(request: AuthedRequest, case: Any, *, form: CaseForm | None = None,
               progress_form: ProgressForm | None = None, review_form: ReviewForm | None = None,
               status: int = 200) -> HttpResponse:
    progress = progress_of(request.user, case)
    form = form or CaseForm(user=request.user, initial={
        "problems": case.problems, "plan": case.plan, "measures": case.measures, "leader_id": case.leader_id,
        "deadline": case.deadline, "version": case.version})
    on = today()
    level = "township" if case.township_state == ReviewState.PENDING else (
        "county" if case.county_state == ReviewState.PENDING else "")
    return render(request, "organization/rectification/case.html", {
        "case": case, "form": form, "progress": progress, "progress_form": progress_form or ProgressForm(
            initial={"reported_on": on}),
        "review_form": review_form or ReviewForm(), "editable": case.status == CaseStatus.IN_PROGRESS,
        "evidence": sum(len(p.evidence.all()) for p in progress),
        "overdue": case.deadline is not None and case.deadline < on and case.status != CaseStatus.TRANSFORMED,
        "review_level": level if level and may_review(request.user, level) else "",
    }, status=status)


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def case_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    form = CaseForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        leader = data["leader_id"]
        if leader is None and case.leader_id and not people_for(request.user).filter(pk=case.leader_id).exists():
            leader = case.leader_id  # a village user cannot see the county's leader: the picker posts none, keep it
        saved = submit(form, lambda: update_case(
            actor=request.user, case_id=case.pk, problems=data["problems"], plan=data["plan"],
            measures=data["measures"], leader_id=leader, deadline=data["deadline"], version=data["version"]))
        if saved is not None:
            messages.success(request, "已保存整顿案例")
            return redirect("organization:case", pk=case.pk)
    return _case_page(request, case, form=form, status=400)


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def case_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        files = [(f.chunks(), f.name or "") for f in request.FILES.getlist("files")]
        saved = submit(form, lambda: add_progress(actor=request.user, case_id=case.pk,
                                                  reported_on=form.cleaned_data["reported_on"],
                                                  narrative=form.cleaned_data["narrative"], files=files))
        if saved is not None:
            messages.success(request, f"已录入整顿进展（佐证材料 {len(files)} 份）")
            return redirect("organization:case", pk=case.pk)
    return _case_page(request, case, progress_form=form, status=400)


@requires(Perm.EDIT_ORGANIZATION)
@require_POST
def case_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    submit_case(actor=request.user, case_id=case.pk)
    messages.success(request, "已提交乡镇验收")
    return redirect("organization:case", pk=case.pk)


@requires(Perm.REVIEW_RECTIFICATION)
@require_POST
def case_review(request: AuthedRequest, pk: int, level: str) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        done = submit(form, lambda: review_case(actor=request.user, case_id=case.pk, level=level,
                                                decision=form.cleaned_data["decision"], note=form.cleaned_data["note"]))
        if done is not None:
            label = "乡镇" if level == "township" else "县级"
            messages.success(request, f"已完成{label}验收：{ReviewState(form.cleaned_data['decision']).label}"
                             + ("，该村党组织已转化" if done.status == CaseStatus.TRANSFORMED else ""))
            return redirect("organization:case", pk=case.pk)
    return _case_page(request, get_case_for_user(request.user, pk), review_form=form, status=400)


urlpatterns = [
    path("rectification/", ranking, name="ranking"),
    path("rectification/propose/", propose, name="ranking_propose"),
    path("rectification/rounds/<id:pk>/adjust/", adjust, name="ranking_adjust"),
    path("rectification/rounds/<id:pk>/confirm/", confirm, name="ranking_confirm"),
    path("rectification/weights/", weights, name="ranking_weights"),
    path("rectification/democratic/", democratic_scores, name="democratic_scores"),
    path("rectification/cases/", cases, name="cases"),
    path("rectification/cases/<id:pk>/", case_detail, name="case"),
    path("rectification/cases/<id:pk>/edit/", case_edit, name="case_edit"),
    path("rectification/cases/<id:pk>/progress/", case_progress, name="case_progress"),
    path("rectification/cases/<id:pk>/submit/", case_submit, name="case_submit"),
    path("rectification/cases/<id:pk>/review/<str:level>/", case_review, name="case_review"),
]
