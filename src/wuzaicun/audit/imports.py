"""The audit views' sheets (登录日志, 操作日志): export-only, the list as filtered, audited like every export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.utils import timezone

from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import Column, ExportContext, ExportOnlySink, Template

from .access import AUDIT_PERM
from .labels import object_label
from .models import Action, AuditEntry, Result
from .selectors import LOG_KINDS, entries_for

_ACTIONS = dict(Action.choices)
_RESULTS = dict(Result.choices)
_FILTERS = (("action", "操作"), ("actor", "操作账号"), ("since", "开始日期"), ("until", "结束日期"), ("result", "结果"))


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _chunks(rows: Iterable[AuditEntry], size: int) -> Iterator[list[AuditEntry]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _rows(entries: Iterable[AuditEntry]) -> Iterator[Sequence[Any]]:
    from wuzaicun.regions.selectors import region_names

    for chunk in _chunks(entries, 2000):
        names = region_names({e.region_code for e in chunk if e.region_code})
        for e in chunk:
            yield (timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.actor_name,
                   str(_ACTIONS.get(e.action, e.action)), object_label(e.object_type),
                   names.get(e.region_code, e.region_code), e.summary, str(_RESULTS.get(e.result, e.result)),
                   e.ip, e.request_id)


def _exporter(kind: str) -> Any:
    def export_rows(ctx: ExportContext) -> Iterable[Sequence[Any]]:
        from wuzaicun.accounts.services import require_perm

        require_perm(ctx.actor, AUDIT_PERM)  # before any row is read
        f = ctx.filters
        queryset = entries_for(ctx.actor, kind=kind, action=f.get("action", ""), actor=f.get("actor", ""),
                               since=_date(f.get("since", "")), until=_date(f.get("until", "")),
                               result=f.get("result", ""), region=ctx.region_code)
        return _rows(queryset.iterator(chunk_size=2000))

    return export_rows


_COLUMNS = (Column("时间", "at", width=20), Column("操作账号", "actor"), Column("操作", "action"),
            Column("对象", "object"), Column("区划", "region", width=16), Column("摘要", "summary", width=48),
            Column("结果", "result", width=8), Column("IP 地址", "ip"), Column("请求编号", "request_id", width=20))

for _kind, _title in LOG_KINDS.items():
    register(Template(
        kind=f"audit_{_kind}", title=_title, object_type="audit_entry", columns=_COLUMNS, sink=ExportOnlySink,
        export_rows=_exporter(_kind), import_perm=AUDIT_PERM.value, export_perm=AUDIT_PERM.value, importable=False,
        filters=_FILTERS,
    ))
