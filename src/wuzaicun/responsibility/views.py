"""Pages of 责任在村落实: the year's board, the lists, the coverage report with drill-down, the rules."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.regions.codes import PREFIX_LENGTHS
from wuzaicun.regions.models import Level
from wuzaicun.regions.selectors import breadcrumb, children_in_scope, get_region_for_user
from wuzaicun.tabular.services import discard, temp_xlsx
from wuzaicun.tabular.views import file_response

from .coverage import coverage_report, gap_rows
from .duties import STANDARD_DUTIES, WHO, ListKind
from .exports import export_lists
from .forms import EntryEditForm, EntryForm, RuleForm
from .jobs import lists_title, submit_lists_export
from .rules import RULES_BY_CODE, effective_rules
from .selectors import (
    board_counts,
    count_entries,
    count_households,
    due_date,
    entries_for,
    get_entry_for_user,
    in_list_order,
    rule_settings,
    working_year,
    year_context,
    years,
)
from .services import create_entry, delete_entry, open_year, set_working_year, update_entry, update_rule


def _year(request: AuthedRequest) -> int:
    if not years() and not request.GET.get("year"):
        raise NotFound("尚未设立任何年度的责任清单，请由市级管理员设立")
    return year_param(request.GET.get("year"), default=working_year())


@requires(Perm.VIEW_REGISTRY)
@require_GET
def board(request: AuthedRequest) -> HttpResponse:
    known = years()
    if not known:
        return render(request, "responsibility/no_year.html")
    year = _year(request)
    counts = board_counts(request.user, year=year)
    kinds = [{"value": k.value, "label": k.label, "who": WHO[k.value], "duties": STANDARD_DUTIES[k.value],
              **counts[k.value]} for k in ListKind]
    return render(request, "responsibility/board.html", year_context(year) | {"kinds": kinds, "due": due_date(year)})


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def entries(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    filters = {k: request.GET.get(k, "").strip() for k in ("kind", "region", "q")}
    queryset = in_list_order(entries_for(request.user, year=year, household_counts=False, **filters))
    context = paginate(request, queryset) | year_context(year) | {"filters": filters, "kinds": ListKind.choices}
    context["page_obj"].object_list = count_households(request.user, list(context["page_obj"].object_list))
    return render_list(request, "responsibility/entries.html", context)


@requires(Perm.EDIT_LISTS)
@require_http_methods(["GET", "POST"])
def entry_new(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    form = EntryForm(request.POST or None, initial={"kind": request.GET.get("kind", "")}, user=request.user,
                     duties_url=f"{reverse('responsibility:entry_new')}?year={year}")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        del data["duties"], data["other_duties"]
        if submit(form, lambda: create_entry(actor=request.user, year=year, duties=form.chosen_duties(), **data)):
            messages.success(request, "已新增清单条目")
            return redirect(f"/responsibility/entries/?year={year}&kind={data['kind']}")
    return render(request, "responsibility/entry_form.html", {"form": form, "year": year})


@requires(Perm.EDIT_LISTS)
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, pk)
    standard = STANDARD_DUTIES.get(entry.kind, ())
    initial = {"household_ids": [link.household_id for link in entry.household_links.all()],
               "village_code": entry.village_id, "duties": [d for d in entry.duties if d in standard],
               "other_duties": "、".join(d for d in entry.duties if d not in standard), "goal": entry.goal,
               "goal_kind": entry.goal_kind, "stationed_post": entry.stationed_post, "version": entry.version}
    form = EntryEditForm(request.POST or None, initial=initial, user=request.user, kind=entry.kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: update_entry(
                actor=request.user, entry_id=pk, expected_version=data["version"], household_ids=data["household_ids"],
                duties=form.chosen_duties(), goal=data["goal"] or "", goal_kind=data["goal_kind"] or "",
                stationed_post=data["stationed_post"] or "")):
            messages.success(request, "已保存清单条目")
            return redirect(f"/responsibility/entries/?year={entry.year}&kind={entry.kind}")
    return render(request, "responsibility/entry_form.html", {"form": form, "year": entry.year, "entry": entry})


@requires(Perm.EDIT_LISTS)
@require_POST
def entry_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, pk)
    delete_entry(actor=request.user, entry_id=pk)
    messages.success(request, f"已删除{entry.get_kind_display()}清单条目")
    return redirect(f"/responsibility/entries/?year={entry.year}")


@requires(Perm.VIEW_REGISTRY)
@require_GET
@vary_on_headers("HX-Request")
def coverage(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    year = _year(request)
    region = get_region_for_user(request.user, code or request.user.scope_id or "")
    report = coverage_report(request.user, year=year, region=region.code)
    rule = request.GET.get("rule", "")
    shown = [g for g in report.gaps if not rule or g.rule == rule]
    children: list[dict[str, Any]] = []
    if region.level < Level.VILLAGE:
        width = PREFIX_LENGTHS[region.level + 1]
        per_child = Counter(g.region_code[:width] for g in shown)
        children = [{"region": c, "gaps": per_child.get(c.code[:width], 0)} for c in children_in_scope(request.user, region)]
    summary = [{"code": c, "title": RULES_BY_CODE[c].title, **row} for c, row in report.summary.items()]
    context = paginate(request, shown)
    context["rows"] = gap_rows(context["page_obj"].object_list, year=year, user=request.user)
    return render_list(request, "responsibility/coverage.html", year_context(year) | context | {
        "region": region, "trail": breadcrumb(request.user, region), "summary": summary,
        "children": children, "rule": rule, "rule_title": RULES_BY_CODE[rule].title if rule in RULES_BY_CODE else "",
    })


@requires(Perm.VIEW_REGISTRY)
@require_GET
def rules(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    from .models import RuleSetting

    versions = dict(RuleSetting.objects_unscoped.filter(year__year=year).values_list("code", "version"))
    rows = [{"rule": r, "version": versions.get(r.spec.code, 1)} for r in effective_rules(rule_settings(year))]
    return render(request, "responsibility/rules.html", year_context(year) | {"rows": rows})


@requires(Perm.CONFIGURE_RULES)
@require_POST
def rule_update(request: AuthedRequest, code: str) -> HttpResponse:
    year = _year(request)
    form = RuleForm(request.POST)
    if not form.is_valid():
        raise DomainError("阈值须为 1–100 的整数", field="阈值")
    update_rule(actor=request.user, year=year, code=code, enabled=form.cleaned_data["enabled"],
                threshold=form.cleaned_data["threshold"], expected_version=form.cleaned_data["version"])
    messages.success(request, f"已保存规则：{RULES_BY_CODE[code].title}")
    return redirect(f"/responsibility/rules/?year={year}")


def _posted_year(request: AuthedRequest) -> int:
    if not request.POST.get("year", "").strip():
        raise DomainError("请填写年度", field="年度")
    return year_param(request.POST.get("year"), default=0)


@requires(Perm.CONFIGURE_RULES)
@require_POST
def year_open(request: AuthedRequest) -> HttpResponse:
    year = _posted_year(request)
    open_year(actor=request.user, year=year)
    messages.success(request, f"已设立{year}年度责任清单")
    return redirect(f"/responsibility/?year={year}")


@requires(Perm.CONFIGURE_RULES)
@require_POST
def year_working(request: AuthedRequest) -> HttpResponse:
    year = _posted_year(request)
    set_working_year(actor=request.user, year=year)
    messages.success(request, f"已设{year}年为工作年度：各页面和命令默认打开该年度")
    return redirect(f"/responsibility/rules/?year={year}")



@requires(Perm.EXPORT_DATA)
@require_http_methods(["GET", "POST"])
def lists_export(request: AuthedRequest) -> HttpResponseBase:
    """POST (the 导出责任清单 button's form): the workbook, audited once; over JOB_EXPORT_ROWS entries a job of
    下载中心. GET writes nothing: a link that exports is repeated by prefetching and the back button
    (tabular.views.export), so it sends an old link back to the lists, where the button is."""
    if request.method != "POST":
        messages.info(request, "请点击“导出责任清单”按钮导出")
        query = urlencode({k: request.GET[k] for k in ("year", "region") if request.GET.get(k, "").strip()})
        return redirect(reverse("responsibility:entries") + (f"?{query}" if query else ""))
    year = _posted_year(request)
    region = get_region_for_user(request.user, region_param(request.POST.get("region")) or request.user.scope_id or "")
    if count_entries(request.user, year=year, region=region.code) > settings.JOB_EXPORT_ROWS:
        job = submit_lists_export(request.user, year=year, region=region.code)
        messages.info(request, f"“{lists_title(year, region.name)}”数据量较大，已转入下载中心在后台生成，完成后可在此下载")
        return redirect("jobs:detail", job_id=job.pk)
    target = temp_xlsx()
    try:
        export_lists(actor=request.user, year=year, region=region.code, area_name=region.name, target=target)
    except DomainError:
        discard(target)
        raise
    return file_response(target, f"{lists_title(year, region.name)}.xlsx")
