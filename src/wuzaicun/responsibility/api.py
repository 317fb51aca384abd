"""API for the lists: years, entries and the coverage report, with the pages' scope and rules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Year
from wuzaicun.core.errors import NotFound
from wuzaicun.core.params import region_param

from .coverage import coverage_report
from .ledger_selectors import get_line_for_user, lines_for, visits_for
from .models import Assignment, LedgerLine, Reconciliation, ResponsibilityYear, Visit
from .schemas import (
    CloseIn,
    CoverageOut,
    EntryIn,
    EntryOut,
    LedgerLineIn,
    LedgerLineOut,
    ReconciliationIn,
    ReconciliationOut,
    ReviewIn,
    RuleIn,
    RuleOut,
    VisitIn,
    VisitOut,
    YearIn,
    YearOut,
)
from .selectors import entries_for, get_entry_for_user, get_year, year_rules
from .services import (
    add_line,
    close_line,
    create_entry,
    delete_entry,
    lock_line,
    open_year,
    record_visit,
    review_reconciliation,
    set_working_year,
    submit_reconciliation,
    update_rule,
)

router = Router(tags=["责任在村落实"])


@router.get("/responsibility/years", response=list[YearOut], summary="责任年度")
def list_years(request: HttpRequest) -> list[ResponsibilityYear]:
    return list(ResponsibilityYear.objects_unscoped.order_by("-year"))


@router.post("/responsibility/years", response={201: YearOut}, summary="设立年度责任清单（已设立则修改截止日期）")
def open_list_year(request: HttpRequest, payload: YearIn) -> Status[ResponsibilityYear]:
    return Status(201, open_year(actor=request.user, year=payload.year, due=payload.due_date))


@router.post("/responsibility/years/{year}/working", response=YearOut, summary="设为工作年度")
def make_working_year(request: HttpRequest, year: Year) -> ResponsibilityYear:
    return set_working_year(actor=request.user, year=year)


@router.get("/responsibility/years/{year}/rules", response=list[RuleOut], summary="年度规则（与 wuzaicun year rules --json 相同）")
def list_rules(request: HttpRequest, year: Year) -> list[dict[str, Any]]:
    if get_year(year) is None:
        raise NotFound(f"{year}年度尚未设立责任清单")
    return year_rules(year)


@router.patch("/responsibility/years/{year}/rules/{code}", response=RuleOut, summary="修改年度规则（启用、停用、阈值）")
def change_rule(request: HttpRequest, year: Year, code: str, payload: RuleIn) -> dict[str, Any]:
    update_rule(actor=request.user, year=year, code=code, enabled=payload.enabled, threshold=payload.threshold)
    return next(r for r in year_rules(year) if r["code"] == code)


@router.get("/responsibility/entries", response=Page[EntryOut], summary="清单条目")
def list_entries(
    request: HttpRequest, year: Year, kind: str = "", region: str = "", q: str = "", page: PageNumber = 1,
    page_size: PageSize = 20,
) -> dict[str, Any]:
    queryset = entries_for(request.user, year=year, kind=kind, region=region_param(region) or "", q=q).prefetch_related(
        "household_links").order_by("kind", "village_id", "pk")
    return paged(queryset, page=page, page_size=page_size)


@router.get("/responsibility/entries/{entry_id}", response=EntryOut, summary="清单条目详情")
def get_entry(request: HttpRequest, entry_id: Id) -> Assignment:
    return get_entry_for_user(request.user, entry_id)


@router.post("/responsibility/entries", response={201: EntryOut}, summary="新增清单条目")
def add_entry(request: HttpRequest, payload: EntryIn) -> Status[Assignment]:
    entry = create_entry(actor=request.user, **payload.dict())
    return Status(201, get_entry_for_user(request.user, entry.pk))


@router.delete("/responsibility/entries/{entry_id}", response={204: None}, summary="删除清单条目")
def remove_entry(request: HttpRequest, entry_id: Id) -> Status[None]:
    delete_entry(actor=request.user, entry_id=entry_id)
    return Status(204, None)


@router.get("/responsibility/coverage", response=CoverageOut, summary="覆盖检查（与 wuzaicun coverage --json 相同）")
def coverage(request: HttpRequest, year: Year, region: str = "") -> dict[str, Any]:
    return coverage_report(request.user, year=year, region=region_param(region)).as_json()


@router.get("/responsibility/ledger", response=Page[LedgerLineOut], summary="责任台账")
def list_lines(
    request: HttpRequest, year: Year, region: str = "", person_id: Id | None = None, page: PageNumber = 1,
    page_size: PageSize = 20,
) -> dict[str, Any]:
    queryset = lines_for(request.user, year=year, region=region_param(region), person_id=person_id).prefetch_related(
        "reconciliations__evidence")
    return paged(queryset, page=page, page_size=page_size)


@router.get("/responsibility/ledger/{line_id}", response=LedgerLineOut, summary="台账条目")
def get_line(request: HttpRequest, line_id: Id) -> LedgerLine:
    return get_line_for_user(request.user, line_id)


@router.post("/responsibility/ledger", response={201: LedgerLineOut}, summary="新增台账条目（草稿）")
def create_line(request: HttpRequest, payload: LedgerLineIn) -> Status[LedgerLine]:
    line = add_line(actor=request.user, **payload.dict())
    return Status(201, get_line_for_user(request.user, line.pk))


@router.post("/responsibility/ledger/{line_id}/lock", response=LedgerLineOut, summary="定账")
def lock(request: HttpRequest, line_id: Id) -> LedgerLine:
    lock_line(actor=request.user, line_id=line_id)
    return get_line_for_user(request.user, line_id)


@router.post("/responsibility/ledger/{line_id}/close", response=LedgerLineOut, summary="销账（次年第一季度）")
def close(request: HttpRequest, line_id: Id, payload: CloseIn) -> LedgerLine:
    close_line(actor=request.user, line_id=line_id, fulfilled=payload.fulfilled, note=payload.note)
    return get_line_for_user(request.user, line_id)


@router.post("/responsibility/ledger/{line_id}/reconciliations", response={201: ReconciliationOut},
             summary="季度对账（佐证材料请在页面上传）")
def reconcile(request: HttpRequest, line_id: Id, payload: ReconciliationIn) -> Status[Reconciliation]:
    entry = submit_reconciliation(actor=request.user, line_id=line_id, **payload.dict())
    return Status(201, entry)


@router.post("/responsibility/reconciliations/{reconciliation_id}/review", response=ReconciliationOut,
             summary="审核对账：approved / problem / returned")
def review(request: HttpRequest, reconciliation_id: Id, payload: ReviewIn) -> Reconciliation:
    return review_reconciliation(actor=request.user, reconciliation_id=reconciliation_id, **payload.dict())


@router.get("/responsibility/visits", response=Page[VisitOut], summary="走访记录")
def list_visits(request: HttpRequest, person_id: Id | None = None, household_id: Id | None = None,
                page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    queryset = visits_for(request.user, person_id=person_id, household_id=household_id)
    return paged(queryset, page=page, page_size=page_size)


@router.post("/responsibility/visits", response={201: VisitOut}, summary="记录走访")
def add_visit(request: HttpRequest, payload: VisitIn) -> Status[Visit]:
    return Status(201, record_visit(actor=request.user, **payload.dict()))
