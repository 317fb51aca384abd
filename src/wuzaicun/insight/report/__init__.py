"""The annual report (年度报告) as an official Word document: one entry point, `write_report`, that the command,
the download view and (later) a background job call.

It reads the figures of the overview (`stats_for_user`: the same figures as the page), a few key figures by child
area (`areas.figures_by_area`: the dashboards' breakdown), lays them out in the seed's order (`content.build`),
draws the charts and writes the .docx (`document.write_docx`); then records the export in the audit trail, as every export does.
"""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import code_in_scope
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action, Result
from wuzaicun.audit.services import record
from wuzaicun.core.errors import NotFound
from wuzaicun.regions.models import Region
from wuzaicun.regions.selectors import get_region_for_user, regions_for

from ..selectors import stats_for_user
from .areas import figures_by_area
from .content import build
from .document import write_docx

OBJECT_TYPE = "annual_report"  # its label in the audit trail: 年度报告 (audit/labels.py)
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_area(user: Any, region: str | None) -> Region | None:
    """The area a report is about: the region asked for, else the user's own scope, else (the server's operator,
    whose scope is everything) the one top region there is; None when there is no such single region."""
    if region is not None:
        return get_region_for_user(user, region)
    own = getattr(user, "scope_id", "") or ""
    if own:
        return get_region_for_user(user, own)
    tops = list(regions_for(user).order_by("level", "code")[:2])
    if len(tops) == 1 or (len(tops) == 2 and tops[0].level < tops[1].level):
        return tops[0]
    return None


def report_title(year: int, area: Region | None) -> str:
    return f"{area.name if area else ''}{year}年度党建扶贫“五在村”工作报告"


def check_report_allowed(user: Any, *, year: int, region: str | None) -> None:
    """The export permission, and the region (if any) in the user's scope: a refusal of the region is audited
    under the user's own region, as for any export, and answered as not found."""
    require_perm(user, Perm.EXPORT_DATA)
    if region is not None and not code_in_scope(user, region):
        with transaction.atomic():
            record(actor=user, action=Action.DENIED, object_type=OBJECT_TYPE,
                   region_code=getattr(user, "scope_id", "") or "", result=Result.REFUSED,
                   summary=f"导出{year}年度报告被拒：所选区划不存在或不在管辖范围内")
        raise NotFound()


def write_report(user: Any, *, year: int, region: str | None, out: IO[bytes]) -> None:
    """Write the report of `year` for `region` (a 12-digit code; None: the user's whole scope) to `out`.

    Needs the export permission (a report is an export); a region missing or outside the user's scope is refused
    as not found, and the refusal is audited under the user's own region, as for any export. The document is
    written outside any transaction (on SQLite an atomic block holds the one write lock); the audit row follows in
    its own short transaction, so a report that fails on the way leaves no row.
    """
    check_report_allowed(user, year=year, region=region)
    own_region = getattr(user, "scope_id", "") or ""
    area = report_area(user, region)
    stats = stats_for_user(user, year=year, region=region)
    breakdown = figures_by_area(user, year=year, parent=area) if area is not None else None
    place = area.name if area is not None else "全辖区"
    report = build(stats, place=place, breakdown=breakdown, today=timezone.localdate())
    write_docx(report, out)
    with transaction.atomic():
        record(actor=user, action=Action.EXPORT, object_type=OBJECT_TYPE, object_id=year,
               region_code=region or own_region, summary=f"导出年度报告：{report.title}",
               changes={"year": year, "region": region or own_region or None})
