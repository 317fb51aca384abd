"""The five lists exported in the layout of a 责任清单: one sheet per list, a title, numbered rows."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.db import transaction
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.tabular.writers import safe_cell

from .duties import WHO, ListKind
from .selectors import entries_for

HEADERS = ("序号", "责任人（责任主体）", "职务", "村", "帮扶户数", "职责", "目标", "录入时间")
WIDTHS = (6, 22, 18, 26, 10, 40, 36, 18)


def export_lists(*, actor: Any, year: int, region: str | None, area_name: str, target: Path | IO[bytes]) -> int:
    """Write the year's five lists within the actor's scope (narrowed to `region`); audited; returns rows."""
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
        rows = entries_for(actor, year=year, kind=kind.value, region=region or "").order_by("village_id", "pk")
        for number, entry in enumerate(rows.iterator(chunk_size=2000), start=1):
            who = entry.person.name if entry.person else (entry.team.name if entry.team else "")
            post = entry.stationed_post or (entry.person.post if entry.person else "")
            ws.append([safe_cell(v, sheet=ws) for v in (
                number, who, post, entry.village.name, getattr(entry, "household_count", 0), "、".join(entry.duties), entry.goal,
                entry.created_at.strftime("%Y-%m-%d"),
            )])
            total += 1
    wb.save(target)
    with transaction.atomic():  # the audit row alone: the long read above holds no write lock (tabular.engine)
        record(actor=actor, action=Action.EXPORT, object_type="assignment", region_code=region or "",
               summary=f"导出{year}年度五张责任清单（{area_name}）{total} 条")
    return total
