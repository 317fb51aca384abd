"""The five lists exported in the layout of a 责任清单: one sheet per list, a title, numbered rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.tabular.writers import safe_cell

from .duties import WHO, ListKind
from .selectors import list_rows

PROGRESS_EVERY = 2000  # rows between two progress reports of a job

HEADERS = ("序号", "责任人（责任主体）", "职务", "村", "帮扶户数", "职责", "目标", "录入时间")
WIDTHS = (6, 22, 18, 26, 10, 40, 36, 18)


def export_lists(
    *, actor: Any, year: int, region: str | None, area_name: str, target: Path | IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the year's five lists within the actor's scope (narrowed to `region`); audited; returns rows.

    Each list is one query streamed by `iterator()` as plain values (`selectors.list_rows`); `progress(rows)` is
    called every PROGRESS_EVERY rows (a job's progress, which may raise JobCancelled: then no audit row).
    """
    require_perm(actor, Perm.EXPORT_DATA)
    wb = Workbook(write_only=True)
    total = 0
    for kind in ListKind:
        ws = wb.create_sheet(title=f"{kind.label}清单")
        for index, width in enumerate(WIDTHS):
            ws.column_dimensions[chr(65 + index)].width = width
        title = WriteOnlyCell(ws, value=f"{area_name}{year}年度{kind.label}责任清单（{WHO[kind.value]}）")
        title.font = Font(bold=True, size=14)
        ws.append([title])
        header = []
        for text in HEADERS:
            cell = WriteOnlyCell(ws, value=text)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
            header.append(cell)
        ws.append(header)
        rows = list_rows(actor, year=year, kind=kind.value, region=region or "")
        for number, (person, team, stationed_post, person_post, village, households, duties, goal, created_at) in (
                enumerate(rows.iterator(chunk_size=2000), start=1)):
            ws.append([safe_cell(v, sheet=ws) for v in (
                number, person or team or "", stationed_post or person_post or "", village, households or 0,
                "、".join(duties), goal, timezone.localdate(created_at).isoformat(),
            )])
            total += 1
            if progress is not None and total % PROGRESS_EVERY == 0:
                progress(total)
    wb.save(target)
    with transaction.atomic():  # the audit row alone: the long read above holds no write lock (tabular.engine)
        record(actor=actor, action=Action.EXPORT, object_type="assignment", region_code=region or "",
               summary=f"导出{year}年度五张责任清单（{area_name}）{total} 条")
    return total
