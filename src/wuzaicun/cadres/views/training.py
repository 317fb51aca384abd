"""Pages of 干部培训: sessions (list with the year's figures, form, detail with attendance) and the coverage of
each target group with its untrained members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wuzaicun.accounts.decorators import requires
from wuzaicun.accounts.http import AuthedRequest
from wuzaicun.accounts.roles import Perm
from wuzaicun.core.forms import submit
from wuzaicun.core.paging import paginate, render_list
from wuzaicun.core.params import region_param, year_param
from wuzaicun.responsibility.selectors import working_year, year_context

from ..forms.training import AttendeesForm, SessionForm
from ..models.training import TargetGroup, TrainingLevel
from ..rules.training import group_labels
from ..selectors.training import (
    attendance_of,
    figures_of,
    get_session_for_user,
    group_coverage,
    sessions_for,
    training_figures,
    untrained,
)
from ..services.training import add_attendees, delete_session, remove_attendee, save_session


def _filters(request: AuthedRequest, *keys: str) -> dict[str, str]:
    values = {k: request.GET.get(k, "").strip()[:100] for k in keys}
    if "region" in values:
        values["region"] = region_param(values["region"]) or ""
    return values


def _year(request: AuthedRequest) -> int:
    return year_param(request.GET.get("year"), default=working_year())


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def trainings(request: AuthedRequest) -> HttpResponse:
    filters = _filters(request, "q", "level", "region")
    year = _year(request)
    level = filters["level"] if filters["level"] in TrainingLevel.values else ""
    queryset = sessions_for(request.user, year=year, level=level, region=filters["region"], q=filters["q"])
    trend = training_figures(request.user, region=filters["region"])
    context = paginate(request, queryset) | year_context(year) | {
        "filters": filters, "levels": TrainingLevel.choices, "tab": "sessions",
        "figures": figures_of(trend, year), "trend": trend[:5]}
    return render_list(request, "cadres/training/list.html", context)


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def coverage(request: AuthedRequest) -> HttpResponse:
    filters = _filters(request, "group", "region")
    year = _year(request)
    group = filters["group"] if filters["group"] in TargetGroup.values else TargetGroup.COUNTY_LEADERS
    filters["group"] = group
    queryset = untrained(request.user, year=year, group=group, region=filters["region"])
    context = paginate(request, queryset) | year_context(year) | {
        "filters": filters, "tab": "coverage", "group_label": TargetGroup(group).label,
        "coverage": group_coverage(request.user, year=year, region=filters["region"])}
    return render_list(request, "cadres/training/coverage.html", context)


@requires(Perm.EDIT_CADRES)
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    session = get_session_for_user(request.user, pk) if pk else None
    scope = request.user.scope  # a city or county administrator holds sessions of their own region
    level = scope.level if scope is not None else 0
    initial: dict[str, Any] = {
        "region_code": request.user.scope_id, "level": TrainingLevel.CITY if level == 2 else TrainingLevel.COUNTY,
        "organiser": f"中共{scope.name}委组织部" if scope is not None and level in (2, 3) else "",
        "target_groups": list(TargetGroup.values)}
    if session is not None:
        initial = {"name": session.name, "level": session.level, "region_code": session.region_id,
                   "organiser": session.organiser, "topic": session.topic, "start": session.start,
                   "end": session.end, "target_groups": session.target_groups}
    form = SessionForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: save_session(actor=request.user, session_id=pk, **data))
        if saved is not None:
            messages.success(request, f"已保存培训班“{saved.name}”")
            return redirect("cadres:training", pk=saved.pk)
    return render(request, "cadres/training/form.html", {"form": form, "session": session})


def _session_page(request: AuthedRequest, pk: int, *, form: AttendeesForm | None = None,
                  status: int = 200) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    context = paginate(request, attendance_of(request.user, session)) | {
        "session": session, "groups": group_labels(session.target_groups),
        "form": form or AttendeesForm(user=request.user)}
    response = render_list(request, "cadres/training/detail.html", context)
    response.status_code = status
    return response


@requires(Perm.VIEW_REGISTRY)
@vary_on_headers("HX-Request")
@require_GET
def session_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _session_page(request, pk)


@requires(Perm.EDIT_CADRES)
@require_POST
def session_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    delete_session(actor=request.user, session_id=pk)
    messages.success(request, "删除成功")
    return redirect("cadres:trainings")


@requires(Perm.EDIT_CADRES)
@require_POST
def attendees_add(request: AuthedRequest, pk: int) -> HttpResponse:
    get_session_for_user(request.user, pk)  # out of scope: 404 before the form is read
    form = AttendeesForm(request.POST, user=request.user)
    if form.is_valid():
        added = submit(form, lambda: add_attendees(actor=request.user, session_id=pk,
                                                   person_ids=form.cleaned_data["person_ids"]))
        if added is not None:
            messages.success(request, f"已登记参训 {added} 人")
            return redirect("cadres:training", pk=pk)
    return _session_page(request, pk, form=form, status=400)


@requires(Perm.EDIT_CADRES)
@require_POST
def attendee_remove(request: AuthedRequest, pk: int, person_id: int) -> HttpResponse:
    remove_attendee(actor=request.user, session_id=pk, person_id=person_id)
    messages.success(request, "已移出该参训人员")
    return redirect("cadres:training", pk=pk)


urlpatterns = [
    path("trainings/", trainings, name="trainings"),
    path("trainings/coverage/", coverage, name="training_coverage"),
    path("trainings/new/", session_edit, name="training_new"),
    path("trainings/<id:pk>/", session_detail, name="training"),
    path("trainings/<id:pk>/edit/", session_edit, name="training_edit"),
    path("trainings/<id:pk>/delete/", session_delete, name="training_delete"),
    path("trainings/<id:pk>/attendees/", attendees_add, name="training_attendees"),
    path("trainings/<id:pk>/attendees/<id:person_id>/remove/", attendee_remove, name="training_attendee_remove"),
]
