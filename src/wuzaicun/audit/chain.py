"""The audit trail's hash chain: how a row is hashed, how an append is serialised, how the chain is checked.

h_i = SHA-256(h_{i-1} ‖ canonical(row_i)), hex; the first row ever links to GENESIS_HASH. Rows are numbered
without gaps (id = previous id + 1, taken under the append lock), so a missing row shows as a gap even where
its neighbours were re-hashed. A purge (`purge_before`) deletes a prefix of the chain and writes a row naming
the last purged row's id and hash: verification then starts from the first kept row's `prev_hash`, accepted
because the purge row vouches for it (docs/security.md, D28–D30).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import GENESIS_HASH, Action, AuditEntry

# The audit chain's pg_advisory_xact_lock key is 7245301914 (written into the query below).
MIN_RETENTION_DAYS = 180


def _plain_json(value: Any) -> Any:
    """JSON as the database gives it back: a float that is a whole number reads back as an int on PostgreSQL."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _plain_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_json(v) for v in value]
    return value


def normalised_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes as they will read back from the database (tuples become lists, and so on)."""
    result: dict[str, Any] = _plain_json(json.loads(json.dumps(dict(changes), default=str)))
    return result


def utc_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(*, id: int, at: dt.datetime, actor_name: str, action: str, object_type: str, object_id: str,
              region_code: str, summary: str, changes: Any, result: str, request_id: str, ip: str) -> bytes:
    """The content a row's hash covers, as one sorted-key JSON text. The actor is the account name stored
    on the row: the user link (`actor_id`) is set to NULL when an account is deleted, which must not break
    the chain (the database triggers allow exactly that change and no other)."""
    content = {"id": id, "at": utc_text(at), "actor": actor_name, "action": action, "object_type": object_type,
               "object_id": object_id, "region": region_code, "summary": summary,
               "changes": _plain_json(changes or {}), "result": result, "request_id": request_id, "ip": ip}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + content).hexdigest()


def entry_hash(entry: Any) -> str:
    """The hash a row (a model instance, the historical model's included) should carry."""
    return row_hash(entry.prev_hash, canonical(
        id=entry.id, at=entry.at, actor_name=entry.actor_name, action=entry.action, object_type=entry.object_type,
        object_id=entry.object_id, region_code=entry.region_code, summary=entry.summary, changes=entry.changes,
        result=entry.result, request_id=entry.request_id, ip=entry.ip))


def lock_chain() -> None:
    """Take the append lock early, inside a transaction (a count that a following append depends on)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7245301914)")


def lock_and_read_head() -> tuple[int, str, dt.datetime]:
    """Take the chain's append lock and read its head: (next id, previous hash, database time).

    Call inside a transaction. PostgreSQL: a transaction-scoped advisory lock, then a fresh read of the last
    row (a new statement, so it sees what the previous holder committed) — sent as one round trip.
    SQLite: the project's transactions begin IMMEDIATE, so the write lock is already held."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_advisory_xact_lock(7245301914); "
                "SELECT e.id, e.hash, STATEMENT_TIMESTAMP() FROM (SELECT 1) AS one "
                "LEFT JOIN (SELECT id, hash FROM audit_auditentry ORDER BY id DESC LIMIT 1) AS e ON TRUE")
            cursor.nextset()
            last_id, last_hash, now = cursor.fetchone()
        else:
            cursor.execute("SELECT id, hash FROM audit_auditentry ORDER BY id DESC LIMIT 1")
            row = cursor.fetchone()
            last_id, last_hash = row if row else (None, None)
            now = timezone.now()
    if last_id is None:
        return 1, GENESIS_HASH, now
    return int(last_id) + 1, str(last_hash), now


def append(values: dict[str, Any]) -> AuditEntry:
    """Insert one chained row; `values` are the model's content fields (no id, time or hashes)."""
    with transaction.atomic(savepoint=False):
        next_id, prev_hash, now = lock_and_read_head()
        entry = AuditEntry(id=next_id, at=now, prev_hash=prev_hash, **values)
        entry.changes = normalised_changes(values.get("changes") or {})
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
    return entry


# --- verification -----------------------------------------------------------------------------------------

_FIELDS = ("id", "at", "actor_name", "action", "object_type", "object_id", "region_code", "summary", "changes",
           "result", "request_id", "ip", "prev_hash", "hash")


@dataclass
class Verdict:
    checked: int = 0
    first_id: int | None = None
    last_id: int | None = None
    head_hash: str = ""
    broken_id: int | None = None
    broken_at: str = ""
    problem: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken_id is None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "first_id": self.first_id, "last_id": self.last_id,
                "head_hash": self.head_hash, "broken_id": self.broken_id, "broken_at": self.broken_at,
                "problem": self.problem, "notes": self.notes}

    def message(self) -> str:
        if self.ok:
            if not self.checked:
                return "操作日志为空，没有可检查的记录"
            return (f"操作日志哈希链完好：检查了 {self.checked} 行（编号 {self.first_id}–{self.last_id}），"
                    f"最后一行的哈希为 {self.head_hash}")
        return f"操作日志哈希链在编号 {self.broken_id} 的记录（{self.broken_at}）处断开：{self.problem}"


def _local(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")


def _purge_vouches_for(first_id: int, prev_hash: str) -> bool:
    """Whether a purge row says that the rows before `first_id` were purged, the last with hash `prev_hash`."""
    for changes in AuditEntry.objects_unscoped.filter(action=Action.PURGE).values_list("changes", flat=True):
        if (isinstance(changes, dict) and changes.get("last_purged_hash") == prev_hash
                and changes.get("last_purged_id") == first_id - 1):
            return True
    return False


def _rows(since: dt.date | None) -> Iterator[tuple[Any, ...]]:
    queryset = AuditEntry.objects_unscoped.order_by("id")
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        queryset = queryset.filter(at__gte=start)
    yield from queryset.values_list(*_FIELDS).iterator(chunk_size=2000)


def verify(since: dt.date | None = None) -> Verdict:
    """Walk the chain in id order (streamed: memory stays flat) and stop at the first broken row."""
    verdict = Verdict()
    previous: tuple[int, str] | None = None  # (id, hash) of the row before
    for values in _rows(since):
        row = dict(zip(_FIELDS, values, strict=True))
        row_id, prev_hash, stored = row["id"], row["prev_hash"], row["hash"]
        problem = ""
        if previous is None:
            verdict.first_id = row_id
            earlier = AuditEntry.objects_unscoped.filter(id__lt=row_id).order_by("-id").values_list(
                "id", "hash").first() if since is not None else None
            if earlier is not None:  # verification from a date: link to the row before it
                previous = (int(earlier[0]), str(earlier[1]))
            elif prev_hash != GENESIS_HASH and not _purge_vouches_for(row_id, prev_hash):
                problem = f"记录缺失：编号 {row_id} 之前的记录被删除，且没有清理命令留下的记录为此作证"
        content = {k: row[k] for k in _FIELDS if k not in ("prev_hash", "hash")}
        if not problem and row_hash(prev_hash, canonical(**content)) != stored:
            problem = "内容被修改（重新计算的哈希与保存的哈希不符）"
        if not problem and previous is not None and prev_hash != previous[1]:
            if row_id != previous[0] + 1:
                missing = (f"编号 {previous[0] + 1}" if row_id == previous[0] + 2
                           else f"编号 {previous[0] + 1}–{row_id - 1}")
                problem = f"记录缺失：{missing} 的记录被删除"
            else:
                problem = f"链接断开：上一条记录（编号 {previous[0]}）的内容或哈希被改动过"
        if not problem and previous is not None and row_id != previous[0] + 1:
            missing = f"编号 {previous[0] + 1}" if row_id == previous[0] + 2 else f"编号 {previous[0] + 1}–{row_id - 1}"
            problem = f"记录缺失：{missing} 的记录被删除"
        if problem:
            verdict.broken_id, verdict.broken_at, verdict.problem = row_id, _local(row["at"]), problem
            return verdict
        verdict.checked += 1
        verdict.last_id, verdict.head_hash = row_id, stored
        previous = (row_id, stored)
    return verdict


# --- retention ---------------------------------------------------------------------------------------------

def retention_days() -> int:
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))


@dataclass
class PurgeResult:
    cutoff: dt.datetime
    rows: int
    last_purged_id: int | None
    last_purged_hash: str
    entry: AuditEntry | None = None


def purge_before(*, actor: Any, before: dt.date, dry_run: bool = False) -> PurgeResult:
    """Delete the rows older than `before` (a prefix of the chain), refused inside the retention window;
    one audit row records the purge and vouches for the first kept row's link."""
    from wuzaicun.core.errors import DomainError, PermissionDenied
    from wuzaicun.core.operator import OPERATOR

    from .services import record

    if actor is not OPERATOR:  # 三员分立: the audit administrator reads and exports, nobody signed in deletes
        raise PermissionDenied("超过保留期的操作日志只能由服务器操作员在命令行清理（wuzaicun audit purge）")

    cutoff = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    window_start = timezone.now() - dt.timedelta(days=retention_days())
    if cutoff > window_start:
        raise DomainError(
            f"不能清理保留期内的操作日志：保留期为 {retention_days()} 天，只能清理 "
            f"{timezone.localtime(window_start).date().isoformat()} 之前的记录", field="清理日期")
    with transaction.atomic():
        lock_and_read_head()
        first_kept = AuditEntry.objects_unscoped.filter(at__gte=cutoff).order_by("id").values_list(
            "id", flat=True).first()
        doomed = AuditEntry.objects_unscoped.all()
        if first_kept is not None:
            doomed = doomed.filter(id__lt=first_kept)
        last = doomed.order_by("-id").values_list("id", "hash").first()
        count = doomed.count()
        result = PurgeResult(cutoff=cutoff, rows=count, last_purged_id=last[0] if last else None,
                             last_purged_hash=last[1] if last else "")
        if dry_run or not count:
            return result
        # The purge row is appended first, linked to the head as any row; then the prefix goes. It is always
        # the newest row, so the chain keeps growing from it and no id is ever used twice.
        result.entry = record(
            actor=actor, action=Action.PURGE, object_type="audit_entry",
            summary=f"清理 {before.isoformat()} 之前的操作日志 {count} 条（保留期 {retention_days()} 天）",
            changes={"rows": count, "cutoff": cutoff.isoformat(), "last_purged_id": result.last_purged_id,
                     "last_purged_hash": result.last_purged_hash})
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('wuzaicun.audit_purge', %s, true)", [cutoff.isoformat()])
                cursor.execute("DELETE FROM audit_auditentry WHERE id <= %s", [result.last_purged_id])
            else:
                stamp = str(cutoff.astimezone(dt.UTC).replace(tzinfo=None))
                cursor.execute("INSERT INTO audit_purge_window (cutoff) VALUES (%s)", [stamp])
                cursor.execute("DELETE FROM audit_auditentry WHERE id <= %s", [result.last_purged_id])
                cursor.execute("DELETE FROM audit_purge_window")
    return result
