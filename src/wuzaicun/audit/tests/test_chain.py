"""The audit trail cannot be cleared or quietly changed: hash chain, verify, database refusal, retention."""

import datetime as dt
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from wuzaicun.audit import chain
from wuzaicun.audit.checks import retention_check
from wuzaicun.audit.models import GENESIS_HASH, AuditEntry
from wuzaicun.audit.services import record
from wuzaicun.audit.testing import triggers_off
from wuzaicun.core.errors import DomainError, PermissionDenied
from wuzaicun.core.operator import OPERATOR

on_pg = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only")


def _rows(world, n, **values):
    return [record(actor=world.users["county_a"], action="update", region_code="520302001001",
                   summary=f"第{i}次修改", changes={"名称": ["旧", f"新{i}"], "人数": [1, 2.0]}, **values)
            for i in range(n)]


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _aged(monkeypatch, days):
    """Rows recorded meanwhile carry a database time `days` ago (as if written then)."""
    original = chain.lock_and_read_head

    def older():
        next_id, prev, now = original()
        return next_id, prev, now - dt.timedelta(days=days)

    monkeypatch.setattr(chain, "lock_and_read_head", older)
    return lambda: monkeypatch.setattr(chain, "lock_and_read_head", original)


def _verify(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue() + err.getvalue()


def test_each_row_links_to_the_one_before_and_verify_counts_them(world):
    rows = _rows(world, 3)
    assert [r.id for r in rows] == list(range(rows[0].id, rows[0].id + 3))
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    first = AuditEntry.objects_unscoped.order_by("id").first()
    assert first.prev_hash == GENESIS_HASH
    total = AuditEntry.objects_unscoped.count()
    code, text = _verify()
    assert code == 0 and f"检查了 {total} 行" in text and rows[2].hash in text
    code, text = _verify("--json")
    assert json.loads(text)["ok"] is True and json.loads(text)["checked"] == total


def test_a_row_changed_in_the_database_is_named_by_verify(world):
    rows = _rows(world, 4)
    with triggers_off():
        _raw("UPDATE audit_auditentry SET summary = %s WHERE id = %s", ["悄悄改过", rows[2].id])
    code, text = _verify()
    assert code == 1 and f"编号 {rows[2].id} 的记录" in text and "内容被修改" in text
    data = json.loads(_verify("--json")[1])
    assert data["ok"] is False and data["broken_id"] == rows[2].id


def test_a_row_rehashed_after_a_change_breaks_the_next_link(world):
    rows = _rows(world, 3)
    forged = AuditEntry.objects_unscoped.get(pk=rows[1].id)
    forged.summary = "伪造"
    with triggers_off():
        _raw("UPDATE audit_auditentry SET summary = %s, hash = %s WHERE id = %s",
             ["伪造", chain.entry_hash(forged), rows[1].id])
    code, text = _verify()
    assert code == 1 and f"编号 {rows[2].id} 的记录" in text and f"上一条记录（编号 {rows[1].id}）" in text


def test_a_deleted_row_is_named_as_missing(world):
    rows = _rows(world, 4)
    with triggers_off():
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [rows[1].id])
    code, text = _verify()
    assert code == 1 and f"编号 {rows[2].id} 的记录" in text and f"记录缺失：编号 {rows[1].id} 的记录被删除" in text


def test_verify_from_a_date_checks_the_link_to_the_row_before(world, monkeypatch):
    restore = _aged(monkeypatch, 10)
    old = _rows(world, 2)
    restore()
    new = _rows(world, 2)
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    code, text = _verify("--from", since)
    assert code == 0 and "检查了" in text and f"编号 {new[0].id}–" in text
    with triggers_off():
        _raw("UPDATE audit_auditentry SET hash = %s WHERE id = %s", ["0" * 64, old[-1].id])
    code, text = _verify("--from", since)
    assert code == 1 and f"编号 {new[0].id} 的记录" in text


def test_the_database_refuses_to_change_or_delete_a_row(world):
    row = _rows(world, 1)[0]
    for sql in ("UPDATE audit_auditentry SET summary = 'x' WHERE id = %s", "DELETE FROM audit_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="操作日志只能追加"), transaction.atomic():
            _raw(sql, [row.id])
    assert AuditEntry.objects_unscoped.get(pk=row.id).summary == row.summary
    assert _verify()[0] == 0


@on_pg
def test_postgresql_refuses_truncate_and_a_purge_setting_inside_the_window(world):
    row = _rows(world, 1)[0]
    _raw("SET CONSTRAINTS ALL IMMEDIATE")  # the test's inserts leave deferred checks that TRUNCATE would name
    with pytest.raises(DatabaseError, match="不能清空"), transaction.atomic():
        _raw("TRUNCATE audit_auditentry")
    with pytest.raises(DatabaseError, match="不能删除"), transaction.atomic():
        _raw("SELECT set_config('wuzaicun.audit_purge', %s, true)", [timezone.now().isoformat()])
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [row.id])


def test_deleting_an_account_only_unlinks_its_rows_and_keeps_the_chain(world):
    row = _rows(world, 1)[0]
    _raw("UPDATE audit_auditentry SET actor_id = NULL WHERE id = %s", [row.id])
    assert AuditEntry.objects_unscoped.get(pk=row.id).actor_id is None
    assert _verify()[0] == 0


def test_purge_is_refused_inside_the_retention_window(world):
    _rows(world, 2)
    before = AuditEntry.objects_unscoped.count()
    recent = timezone.localdate() - dt.timedelta(days=100)
    with pytest.raises(DomainError, match="不能清理保留期内的操作日志：保留期为 180 天"):
        chain.purge_before(actor=OPERATOR, before=recent)
    err = io.StringIO()
    with pytest.raises(Exception, match="保留期"):
        call_command("audit", "purge", "--before", recent.isoformat(), stderr=err)
    assert AuditEntry.objects_unscoped.count() == before


def test_purge_deletes_old_rows_audits_itself_and_verify_starts_from_the_first_kept_row(world, monkeypatch):
    with triggers_off():  # the world's rows are recent: start a chain with an old prefix
        _raw("DELETE FROM audit_auditentry")
    restore = _aged(monkeypatch, 400)
    old = _rows(world, 3)
    restore()
    kept = _rows(world, 2)
    before = (timezone.localdate() - dt.timedelta(days=200)).isoformat()
    out = io.StringIO()
    call_command("audit", "purge", "--before", before, "--dry-run", stdout=out)
    assert "将删除" in out.getvalue() and "3 条" in out.getvalue()
    assert AuditEntry.objects_unscoped.filter(id__in=[r.id for r in old]).count() == 3
    call_command("audit", "purge", "--before", before, stdout=out)
    assert not AuditEntry.objects_unscoped.filter(id__in=[r.id for r in old]).exists()
    purge = AuditEntry.objects_unscoped.get(action="purge")
    assert purge.changes["rows"] == 3 and purge.changes["last_purged_hash"] == old[-1].hash
    assert purge.actor_name == "系统" and "清理" in purge.summary
    code, text = _verify()
    assert code == 0 and f"编号 {kept[0].id}–{purge.id}" in text
    with triggers_off():  # a prefix deleted without the purge command is named
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [kept[0].id])
    code, text = _verify()
    assert code == 1 and f"编号 {kept[1].id} 的记录" in text and "没有清理命令" in text


def test_a_retention_below_180_days_stops_the_server(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    errors = retention_check()
    assert errors and "低于等保三级要求的 180 天" in errors[0].msg
    settings.AUDIT_RETENTION_DAYS = 180
    assert retention_check() == []


def test_record_costs_one_extra_query(world, django_assert_num_queries):
    record(actor=world.users["county_a"], action="update", summary="热身")
    with django_assert_num_queries(2):  # the chain's head (PostgreSQL: lock and read in one round trip), the insert
        record(actor=world.users["county_a"], action="update", summary="一次")


@on_pg
@pytest.mark.django_db(transaction=True)
def test_two_threads_appending_at_once_do_not_fork_the_chain():
    from wuzaicun.testing.world import build_world

    world = build_world()
    actor = world.users["county_a"]
    barrier = threading.Barrier(2)
    failures = []

    def append(name):
        try:
            barrier.wait()
            for i in range(15):
                with transaction.atomic():
                    record(actor=actor, action="update", summary=f"{name}{i}")
        except Exception as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    rows = list(AuditEntry.objects_unscoped.order_by("id").values_list("id", "prev_hash", "hash"))
    assert len({prev for _, prev, _ in rows}) == len(rows)  # no two rows link to the same one
    assert _verify()[0] == 0


def test_a_purge_of_every_row_continues_the_numbering_and_the_chain(world, monkeypatch):
    with triggers_off():
        _raw("DELETE FROM audit_auditentry")
    restore = _aged(monkeypatch, 400)
    old = _rows(world, 2)
    restore()
    with pytest.raises(PermissionDenied):  # nobody signed in purges, not even the audit administrator
        chain.purge_before(actor=world.users["auditor"], before=timezone.localdate() - dt.timedelta(days=200))
    result = chain.purge_before(actor=OPERATOR, before=timezone.localdate() - dt.timedelta(days=200))
    assert result.rows == 2 and result.entry.id == old[-1].id + 1 and result.entry.prev_hash == old[-1].hash
    assert list(AuditEntry.objects_unscoped.values_list("action", flat=True)) == ["purge"]
    assert _verify()[0] == 0
