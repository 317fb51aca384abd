"""Pages of 成效在村检验: the quarter's plans, a plan (its picks only for those allowed), draw, close, verify."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import narrowed
from wuzaicun.accounts.services import require_perm
from wuzaicun.core.bounds import id_or_none
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.core.indicators import indicators
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.jobs.services import submit
from wuzaicun.regions.codes import prefix_of
from wuzaicun.regions.forms import area_form
from wuzaicun.regions.selectors import region_names
from wuzaicun.responsibility.selectors import working_year, year_context

from .assessment import (
    assessment_subjects,
    county_rollup,
    create_county_variant,
    ensure_scheme,
    run_assessment,
    set_status,
    update_weights,
)
from .models import CHECKLIST, AssessmentScheme, FindingResult, Grade, PlanStatus, ResultStatus, SanctionKind
from .selectors import (
    get_plan_for_user,
    inspectors_for,
    may_see_picks,
    picks_for,
    plan_pick_ids,
    plan_population,
    plan_strata,
    plans_for,
    public_plan,
    public_register,
    quarters_to_draw,
    results_for,
    witnesses_for,
)
from .services import (
    close_plan,
    correct_finding,
    draw_spot_check_plan,
    parse_quarter,
    record_finding,
    record_follow_up,
    verify_plan,
    void_plan,
    witness_plan,
)


@requires(Perm.VIEW_REGISTRY)
@require_GET
@vary_on_headers("HX-Request")
def plans(request: AuthedRequest) -> HttpResponse:
    quarters, quarter = quarters_to_draw(request.user, working_year())
    context = paginate(request, plans_for(request.user)) | {
        "inspectors": inspectors_for(request.user), "witnesses": witnesses_for(request.user),
        "quarters": quarters, "quarter": quarter,
        "area": area_form(request.user, request.user.scope_id)}
    return render_list(request, "verification/plans.html", context)


@requires(Perm.VIEW_REGISTRY)
@require_GET
@vary_on_headers("HX-Request")
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    picks = picks_for(request.user, plan)
    strata = plan_strata(plan)
    context: dict[str, object] = {
        "plan": plan, "strata": strata, "picks": None,
        "verification": verify_plan(plan_id=plan.pk) if plan.is_revealed else None,
        "may_record": may_see_picks(request.user, plan) and plan.status == PlanStatus.DRAWN,
        "is_witness": plan.status == PlanStatus.AWAITING_WITNESS and plan.witness_id == request.user.pk,
        "checklist": CHECKLIST, "results": FindingResult.choices, "sanctions": SanctionKind.choices,
    }
    if picks is not None:
        stratum = request.GET.get("stratum", "")
        labels = {s["code"]: s["label"] for s in strata}
        if stratum in labels:
            picks = picks.filter(stratum=stratum)
        context |= paginate(request, picks.select_related("finding").prefetch_related("finding__sanctions"))
        for pick in context["page_obj"]:  # type: ignore[attr-defined]
            pick.stratum_label = labels.get(pick.stratum, pick.stratum)
        context |= {"picks": True, "stratum": stratum}
    return render_list(request, "verification/plan_detail.html", context)


@requires(Perm.RUN_SPOT_CHECKS)
@require_POST
def draw(request: AuthedRequest) -> HttpResponse:
    year, quarter = parse_quarter(request.POST.get("quarter", ""))
    try:
        rate = Decimal(request.POST.get("rate", "0.10") or "0.10")
    except InvalidOperation:
        raise DomainError("抽查比例须为数字，如 0.10", field="抽查比例") from None
    region = region_param(request.POST.get("region")) or request.user.scope_id or ""
    inspector_ids = [i for i in map(id_or_none, request.POST.getlist("inspectors")) if i is not None]
    witness = id_or_none(request.POST.get("witness", ""))
    plan = draw_spot_check_plan(actor=request.user, year=year, quarter=quarter, rate=rate, region_code=region,
                                exclude_checked=request.POST.get("exclude_checked") == "on",
                                inspector_ids=inspector_ids,
                                witness_id=witness)
    if plan.status == PlanStatus.AWAITING_WITNESS:
        messages.success(request, f"已冻结{plan.label}抽查总体 {plan.population_size} 条并公布种子承诺值；"
                                  f"见证人提交随机数后生成抽中名单（{plan.pick_count} 条，保密）")
    else:
        messages.success(request, f"已抽取{plan.label}抽查计划：总体 {plan.population_size} 条，抽中 {plan.pick_count} 条（名单保密）")
    return redirect("verification:plan", pk=plan.pk)


@requires(Perm.RUN_SPOT_CHECKS)
@require_POST
def void(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = void_plan(actor=request.user, plan_id=pk, reason=request.POST.get("reason", ""))
    messages.success(request, f"已作废{plan.label}抽查计划，种子已公开，作废原因在公开登记簿上可查")
    return redirect("verification:plan", pk=pk)


@requires(Perm.VIEW_REGISTRY)
@require_POST
def witness(request: AuthedRequest, pk: int) -> HttpResponse:
    """The named witness adds a contribution; open to any role, since the witness is whoever was named."""
    plan = witness_plan(actor=request.user, plan_id=pk, contribution=request.POST.get("contribution", ""))
    messages.success(request, f"已提交见证随机数，{plan.label}抽查名单已生成（保密）")
    return redirect("verification:plan", pk=pk)


@requires(Perm.RUN_SPOT_CHECKS)
@require_POST
def close(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = close_plan(actor=request.user, plan_id=pk)
    messages.success(request, f"已结束{plan.label}抽查计划，种子已公开，任何人可据此核验")
    return redirect("verification:plan", pk=pk)


def _finding_input(request: AuthedRequest) -> dict[str, Any]:
    """The finding form's fields, with the dates parsed; the service checks the rest."""
    data = request.POST
    sanction = None
    if data.get("result") == FindingResult.NOT_IN_PLACE:
        sanction = {"kind": data.get("kind", ""), "decision": data.get("decision", ""), "task": data.get("task", ""),
                    "deadline": _date(data.get("deadline", ""), "整改期限")}
    return {
        "visited_on": _date(data.get("visited_on", ""), "检查日期"),
        "checklist": {key: data.get(key) == "on" for key, _ in CHECKLIST}, "result": data.get("result", ""),
        "notes": data.get("notes", ""), "sanction": sanction,
        "files": [(f.chunks(), f.name or "") for f in request.FILES.getlist("attachments")],
    }


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError(f"请填写{field}（如 2016-08-02）", field=field) from None


@requires(Perm.VIEW_REGISTRY)
@require_POST
def finding(request: AuthedRequest, pk: int, pick_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    record_finding(actor=request.user, pick_id=pick_id, inspector_ids=[request.user.pk], **_finding_input(request))
    messages.success(request, "已录入检查结果")
    return redirect("verification:plan", pk=plan.pk)


@requires(Perm.VIEW_REGISTRY)
@require_POST
def correct_finding_page(request: AuthedRequest, pk: int, finding_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    correct_finding(actor=request.user, finding_id=finding_id, **_finding_input(request))
    messages.success(request, "已修改检查结果")
    return redirect("verification:plan", pk=plan.pk)


@requires(Perm.VIEW_REGISTRY)
@require_GET
def results(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=working_year())
    region = region_param(request.GET.get("region"))
    level = request.GET.get("level", "5")
    queryset = narrowed(results_for(request.user, year=year), region).filter(
        subject__level=4 if level == "4" else 5).order_by("-total", "subject_id")
    context = paginate(request, queryset) | year_context(year) | {
        "level": level, "region": region or "", "rollup": county_rollup(request.user, year=year),
        "area": area_form(request.user, region),
        "grades": Grade.choices,
    }
    return render(request, "verification/results.html", context)


@requires(Perm.RUN_SPOT_CHECKS)
@require_POST
def results_action(request: AuthedRequest, action: str) -> HttpResponse:
    year = year_param(request.POST.get("year"), default=working_year())
    region = region_param(request.POST.get("region")) or request.user.scope_id or ""
    if action == "run" and assessment_subjects(request.user, region) > settings.JOB_ASSESS_SUBJECTS:
        # A large region's assessment runs as a job (下载中心) with its page, not in the request.
        job = submit("assessment", user=request.user, params={"year": year, "region": region},
                     label=f"{year}年度考核：{region_names([region]).get(region, '')}", region_code=region)
        return redirect("jobs:detail", job_id=job.pk)
    if action == "run":
        summary = run_assessment(actor=request.user, year=year, region_code=region)
        messages.success(request, f"已计算 {summary.assessed} 个村和乡镇的考核结果（保留已确认 {summary.kept} 个）")
    elif action in ("confirmed", "locked"):
        count = set_status(actor=request.user, year=year, region_code=region, to=action)
        messages.success(request, f"已{ResultStatus(action).label} {count} 个考核结果")
    else:
        raise DomainError("未知的操作")
    return redirect(f"/verification/results/?year={year}")


@requires(Perm.RUN_SPOT_CHECKS)
@require_POST
def follow_up(request: AuthedRequest, pk: int, sanction_id: int) -> HttpResponse:
    text = request.POST.get("completed_on", "").strip()
    try:
        completed = dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise DomainError("整改完成日期无效", field="整改完成日期") from None
    record_follow_up(actor=request.user, sanction_id=sanction_id, follow_up=request.POST.get("follow_up", ""),
                     completed_on=completed)
    messages.success(request, "已记录整改情况")
    return redirect("verification:plan", pk=pk)


@requires(Perm.VIEW_REGISTRY)
@require_http_methods(["GET", "POST"])
def schemes(request: AuthedRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=working_year())
    level = 4 if request.GET.get("level") == "4" else 5
    county = request.user.scope_id if request.user.scope_id and len(prefix_of(request.user.scope_id)) == 6 else None
    if request.method == "POST":
        if request.POST.get("action") == "variant" and county:
            create_county_variant(actor=request.user, year=year, level=level, county_code=county)
            messages.success(request, "已建立本县变体")
        elif request.POST.get("action") == "create":
            require_perm(request.user, Perm.CONFIGURE_RULES)
            ensure_scheme(year=year, level=level)
            messages.success(request, "已按默认指标建立指标体系")
        else:
            weights = {}
            for key in request.POST:
                if key.startswith("w-"):
                    try:
                        weights[id_or_none(key[2:]) or 0] = Decimal(request.POST.get(key, ""))
                    except (ValueError, InvalidOperation):
                        raise DomainError("权重须为数字", field="权重") from None
            update_weights(actor=request.user, scheme_id=id_or_none(request.POST.get("scheme")) or 0, weights=weights)
            messages.success(request, "已保存权重")
        return redirect(f"/verification/schemes/?year={year}&level={level}")
    default = AssessmentScheme.objects_unscoped.filter(year=year, level=level, county__isnull=True).first()
    variant = AssessmentScheme.objects_unscoped.filter(year=year, level=level, county_id=county).first() if county else None
    shown = variant or default
    if shown is None:
        return render(request, "verification/schemes.html", {"year": year, "level": level, "scheme": None})
    return render(request, "verification/schemes.html", {
        "year": year, "level": level, "scheme": shown, "is_variant": variant is not None, "county": county,
        "nodes": list(shown.indicators.order_by("parent_id", "id")), "providers": {p.code: p for p in indicators()},
    })


@login_not_required
@require_GET
@vary_on_headers("HX-Request")
def public_register_page(request: HttpRequest) -> HttpResponse:
    """Every plan ever drawn, for anybody: open ones with their commitment, closed and voided ones with the
    seed. A drawer cannot redraw quietly: each draw is on this list from the moment it is made."""
    return render_list(request, "verification/public_register.html", paginate(request, public_register()))


@login_not_required
@require_GET
def public_plan_page(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One plan, open to anybody. Once revealed: the seed, the frozen population and the picks as entry
    numbers (no names), and the result of redoing the draw; `?download=population` gives the population as
    CSV (entry id, kind, county) so that the draw can be redone elsewhere. Before: the commitment only."""
    plan = public_plan(pk)
    if not plan.is_revealed:
        if request.GET.get("download"):
            raise NotFound()
        return render(request, "verification/public_plan.html", {"plan": plan, "strata": plan_strata(plan)})
    if request.GET.get("download") == "population":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-population.csv"'
        response.write("entry_id,kind,county\n")
        for entry_id, kind, county in plan_population(plan):
            response.write(f"{entry_id},{kind},{county}\n")
        return response
    return render(request, "verification/public_plan.html", {
        "plan": plan, "verification": verify_plan(plan_id=plan.pk), "picks": plan_pick_ids(plan),
        "strata": plan_strata(plan),
    })
