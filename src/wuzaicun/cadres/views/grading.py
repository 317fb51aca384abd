"""Pages of 六定一化考核: the grades (compute, confirm, lock), a grade's indicators with their sources, the year's
indicator set and grade policy, entered scores, and the outcomes with their approval one level up."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
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
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.grading import DecideForm, OutcomeForm, PolicyForm, ScoreForm
from ..models.grading import CadreRole, GradeStatus, OutcomeKind
from ..rules.grading import GRADES, MISSING_RULE, OUTCOME_RULE, QUOTA_RULE, TIE_RULE, VETO_RULE, Policy
from ..selectors.grading import (
    available,
    default_rows,
    detail_rows,
    entered_scores_of,
    get_grade_for_user,
    get_outcome_for_user,
    grade_counts,
    grades_for,
    indicator_set,
    outcomes_for,
    outcomes_of,
    policy_of,
    role_label,
    scores_for,
)
from ..services.grading import (
    confirm_grades,
    decide_outcome,
    enter_score,
    grade_cadres,
    lock_grades,
    may_decide,
    outcome_kinds_for,
    propose_outcome,
    set_policy,
    set_weights,
    unconfirm_grades,
)


def _year(request: AuthedRequest) -> int:
    return year_param(request.GET.get("year") or request.POST.get("year"), default=working_year())


def _role(request: AuthedRequest) -> str:
    role = (request.GET.get("role") or request.POST.get("role") or "").strip()
    return role if role in CadreRole.values else CadreRole.FIRST_SECRETARY


def cadre_url(person_id: int) -> str:
    """The cadre's page (talents area) when it exists on this build, else nothing to link."""
    try:
        return reverse("cadres:cadre", args=[person_id])
    except NoReverseMatch:
        return ""


def _grades_url(year: int, role: str, region: str | None = None) -> str:
    return f"{reverse('cadres:grades')}?year={year}&role={role}" + (f"&region={region}" if region else "")


def _common(year: int, role: str) -> dict[str, Any]:
    return year_context(year) | {"role": role, "role_label": role_label(role), "roles": CadreRole.choices}


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def grades(request: AuthedRequest) -> HttpResponse:
    year, role = _year(request), _role(request)
    filters = {k: request.GET.get(k, "").strip() for k in ("grade", "missing", "status", "q", "region")}
    region = region_param(filters["region"])
    rows = grades_for(request.user, year=year, role=role, region=region, grade=filters["grade"],
                      missing=filters["missing"] == "1", status=filters["status"], q=filters["q"])
    context = paginate(request, rows) | _common(year, role) | {
        "filters": filters, "grades": GRADES, "statuses": GradeStatus.choices,
        "counts": grade_counts(request.user, year=year, role=role, region=region), "policy": policy_of(year, role),
        "tie_rule": TIE_RULE, "missing_rule": MISSING_RULE, "quota_rule": QUOTA_RULE, "veto_rule": VETO_RULE,
    }
    titles = {r.code: r.title for r in (indicator_set(year, role) or default_rows(role))}
    for g in context["page_obj"]:
        g.person_url = cadre_url(g.person_id)
        g.missing_titles = "、".join(titles.get(c, c) for c in g.missing)
    return render_list(request, "cadres/grading/grades.html", context)


def _act(request: AuthedRequest, call: Callable[[], Any], done: Callable[[Any], str]) -> HttpResponse:
    year, role = _year(request), _role(request)
    region = region_param(request.POST.get("region"))
    try:
        result = call()
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, done(result))
    return redirect(_grades_url(year, role, region))


@requires(Perm.GRADE_CADRES)
@require_POST
def compute(request: AuthedRequest) -> HttpResponse:
    year, role, region = _year(request), _role(request), region_param(request.POST.get("region"))

    def done(run: Any) -> str:
        counts = "，".join(f"{g} {run.counts[g]} 人" for g in GRADES if run.counts.get(g))
        text = f"已计算{year}年度{role_label(role)}考核等次：{run.graded} 人（{counts or '无等次'}）"
        if run.missing:
            text += f"，缺数据 {run.missing} 人"
        if run.kept:
            text += f"，已确认 {run.kept} 人保持不变"
        if run.skipped:
            text += f"；未启用的指标：{'、'.join(run.skipped)}"
        return text

    return _act(request, lambda: grade_cadres(actor=request.user, year=year, role=role, region=region), done)


@requires(Perm.GRADE_CADRES)
@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    year, role, region = _year(request), _role(request), region_param(request.POST.get("region"))
    return _act(request, lambda: confirm_grades(actor=request.user, year=year, role=role, region=region),
                lambda n: f"已确认{year}年度{role_label(role)}考核等次 {n} 人")


@requires(Perm.GRADE_CADRES)
@require_POST
def unconfirm(request: AuthedRequest) -> HttpResponse:
    year, role, region = _year(request), _role(request), region_param(request.POST.get("region"))
    return _act(request, lambda: unconfirm_grades(actor=request.user, year=year, role=role, region=region),
                lambda n: f"已撤销确认 {n} 人")


@requires(Perm.GRADE_CADRES)
@require_POST
def lock(request: AuthedRequest) -> HttpResponse:
    year, role, region = _year(request), _role(request), region_param(request.POST.get("region"))
    return _act(request, lambda: lock_grades(actor=request.user, year=year, role=role, region=region),
                lambda n: f"已锁定{year}年度{role_label(role)}考核等次 {n} 人")


@requires(Perm.VIEW_REGISTRY)
@require_GET
def grade_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    grade = get_grade_for_user(request.user, pk)
    outcomes = outcomes_of(request.user, grade)
    for o in outcomes:
        o.may_decide = may_decide(request.user, o)  # type: ignore[attr-defined]
    kinds = outcome_kinds_for(grade.grade) if grade.status != GradeStatus.DRAFT else []
    form = OutcomeForm()
    form.fields["kind"].choices = kinds  # type: ignore[attr-defined]
    return render(request, "cadres/grading/grade.html", _common(grade.year, grade.role) | {
        "grade": grade, "rows": detail_rows(request.user, grade), "entered": entered_scores_of(request.user, grade),
        "person_url": cadre_url(grade.person_id), "basis": grade.basis if isinstance(grade.basis, dict) else {},
        "outcomes": outcomes, "outcome_form": form, "kinds": kinds, "decide_form": DecideForm(),
        "tie_rule": TIE_RULE, "quota_rule": QUOTA_RULE, "missing_rule": MISSING_RULE, "outcome_rule": OUTCOME_RULE,
        "missing_titles": _missing_titles(grade)})


def _missing_titles(grade: Any) -> str:
    titles = {r.code: r.title for r in indicator_set(grade.year, grade.role)}
    return "、".join(titles.get(c, c) for c in grade.missing)


@requires(Perm.GRADE_CADRES)
@require_POST
def outcome_propose(request: AuthedRequest, pk: int) -> HttpResponse:
    grade = get_grade_for_user(request.user, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            outcome = propose_outcome(actor=request.user, grade_id=grade.pk, kind=form.cleaned_data["kind"],
                                      reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.status == 403:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已提出结果运用：{outcome.get_kind_display()}，待上一级审批")
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cadres:grade", pk=grade.pk)


@requires(Perm.APPROVE_OUTCOMES)
@require_POST
def outcome_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    outcome = get_outcome_for_user(request.user, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            decide_outcome(actor=request.user, outcome_id=outcome.pk, decision=form.cleaned_data["decision"],
                           note=form.cleaned_data["note"])
        except DomainError as exc:
            if exc.status == 403:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已审批：{ReviewState(form.cleaned_data['decision']).label}")
    else:
        messages.error(request, "审批结论无效")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/cadres/") else reverse("cadres:grade", args=[outcome.grade_id]))


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def outcomes(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    filters = {k: request.GET.get(k, "").strip() for k in ("kind", "state", "q", "region")}
    rows = outcomes_for(request.user, year=year, region=region_param(filters["region"]), kind=filters["kind"],
                        state=filters["state"], q=filters["q"])
    context = paginate(request, rows) | year_context(year) | {
        "filters": filters, "kinds": OutcomeKind.choices, "states": ReviewState.choices, "outcome_rule": OUTCOME_RULE,
        "decide_form": DecideForm()}
    for o in context["page_obj"]:
        o.may_decide = may_decide(request.user, o)
    return render_list(request, "cadres/grading/outcomes.html", context)


@requires(Perm.VIEW_REGISTRY)
@require_http_methods(["GET", "POST"])
def config(request: AuthedRequest) -> HttpResponse:
    year, role = _year(request), _role(request)
    rows = indicator_set(year, role) or default_rows(role)
    policy = policy_of(year, role)
    error = ""
    policy_form = PolicyForm(initial={"excellent": policy.excellent, "good": policy.good, "passing": policy.passing,
                                      "excellent_quota": policy.excellent_quota, "good_quota": policy.good_quota,
                                      "veto": policy.veto})
    if request.method == "POST":
        try:
            if request.POST.get("part") == "policy":
                policy_form = PolicyForm(request.POST)
                if not policy_form.is_valid():
                    raise DomainError("；".join(f"{policy_form.fields[f].label}：{e}" for f, errs in policy_form.errors.items()
                                               if f in policy_form.fields for e in errs) or "提交的内容有误")
                d = policy_form.cleaned_data
                set_policy(actor=request.user, year=year, role=role, policy=Policy(
                    excellent=d["excellent"], good=d["good"], passing=d["passing"],
                    excellent_quota=d["excellent_quota"], good_quota=d["good_quota"], veto=d["veto"]))
                messages.success(request, f"已保存{year}年度{role_label(role)}等次规则")
            else:
                set_weights(actor=request.user, year=year, role=role,
                            weights={r.code: _weight(request.POST.get(f"w-{r.code}", ""), r.title) for r in rows})
                messages.success(request, f"已保存{year}年度{role_label(role)}考核指标权重")
        except DomainError as exc:
            if exc.status == 403:
                raise
            error = exc.message
        else:
            return redirect(f"{reverse('cadres:grade_config')}?year={year}&role={role}")
    for r in rows:
        r.available = available(r)  # type: ignore[attr-defined]
    return render(request, "cadres/grading/config.html", _common(year, role) | {
        "rows": rows, "stored": bool(rows and rows[0].pk), "policy_form": policy_form, "error": error,
        "weight_sum": sum((r.weight for r in rows), Decimal(0)), "tie_rule": TIE_RULE, "quota_rule": QUOTA_RULE,
        "missing_rule": MISSING_RULE, "veto_rule": VETO_RULE})


def _weight(text: str, title: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{title}的权重“{text}”不是数字", field=title) from None
    if not value.is_finite():
        raise DomainError(f"{title}的权重“{text}”不是数字", field=title)
    return value


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def scores(request: AuthedRequest) -> HttpResponse:
    year, role = _year(request), _role(request)
    entered = [(r.code, r.title) for r in (indicator_set(year, role) or default_rows(role)) if not r.provider]
    form = ScoreForm(request.POST or None, user=request.user, indicators=entered, initial={"role": role})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = submit(form, lambda: enter_score(actor=request.user, year=year, role=d["role"], person_id=d["person_id"],
                                                 code=d["code"], score=d["score"]))
        if saved is not None:
            messages.success(request, f"已录入{year}年度{saved.indicator.title}得分 {d['score']}")
            return redirect(f"{reverse('cadres:grade_scores')}?year={year}&role={d['role']}")
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "region")}
    rows = scores_for(request.user, year=year, role=role, region=region_param(filters["region"]), q=filters["q"])
    return render_list(request, "cadres/grading/scores.html",
                       paginate(request, rows) | _common(year, role) | {"form": form, "filters": filters})


urlpatterns = [
    path("grades/", grades, name="grades"),
    path("grades/compute/", compute, name="grades_compute"),
    path("grades/confirm/", confirm, name="grades_confirm"),
    path("grades/unconfirm/", unconfirm, name="grades_unconfirm"),
    path("grades/lock/", lock, name="grades_lock"),
    path("grades/config/", config, name="grade_config"),
    path("grades/scores/", scores, name="grade_scores"),
    path("grades/<id:pk>/", grade_detail, name="grade"),
    path("grades/<id:pk>/outcomes/", outcome_propose, name="outcome_propose"),
    path("outcomes/", outcomes, name="outcomes"),
    path("outcomes/<id:pk>/decide/", outcome_decide, name="outcome_decide"),
]
