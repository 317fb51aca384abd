"""The database refuses to change or delete audit rows (docs/security.md, D29).

PostgreSQL: a row trigger refuses UPDATE (except the ON DELETE SET NULL of the user link when an account is
deleted) and DELETE (except by the purge: a transaction-local `wuzaicun.audit_purge` cutoff, and only rows
older than both the cutoff and 180 days); a statement trigger refuses TRUNCATE.
SQLite: the same with triggers; the purge's cutoff is a row of `audit_purge_window` inside its transaction.
"""

from django.db import migrations

PG_INSTALL = r"""
CREATE OR REPLACE FUNCTION wuzaicun_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cutoff text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION '操作日志只能追加，不能清空' USING ERRCODE = '42501';
  ELSIF TG_OP = 'UPDATE' THEN
    IF NEW.actor_id IS NULL AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION '操作日志只能追加，不能修改（编号 %）', OLD.id USING ERRCODE = '42501';
  END IF;
  cutoff := current_setting('wuzaicun.audit_purge', true);
  IF cutoff IS NOT NULL AND cutoff <> '' AND OLD.at < cutoff::timestamptz
     AND OLD.at < now() - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '操作日志只能追加，不能删除（编号 %）：只有清理命令能删除保留期以前的记录', OLD.id
    USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER audit_refuse_row_change BEFORE UPDATE OR DELETE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION wuzaicun_audit_refuse_change();
CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON audit_auditentry
  FOR EACH STATEMENT EXECUTE FUNCTION wuzaicun_audit_refuse_change();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS audit_refuse_row_change ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_refuse_truncate ON audit_auditentry;
DROP FUNCTION IF EXISTS wuzaicun_audit_refuse_change();
"""

_SAME = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in (
    "id", "at", "actor_name", "action", "object_type", "object_id", "region_code", "summary", "changes", "result",
    "request_id", "ip", "prev_hash", "hash"))
SQLITE_INSTALL = [
    "CREATE TABLE IF NOT EXISTS audit_purge_window (cutoff TEXT NOT NULL)",
    f"""CREATE TRIGGER audit_refuse_update BEFORE UPDATE ON audit_auditentry
    WHEN NOT (NEW.actor_id IS NULL AND {_SAME})
    BEGIN SELECT RAISE(ABORT, '操作日志只能追加，不能修改'); END""",
    """CREATE TRIGGER audit_refuse_delete BEFORE DELETE ON audit_auditentry
    WHEN NOT (OLD.at < (SELECT max(cutoff) FROM audit_purge_window)
              AND OLD.at < strftime('%Y-%m-%d %H:%M:%f', 'now', '-180 days'))
    BEGIN SELECT RAISE(ABORT, '操作日志只能追加，不能删除：只有清理命令能删除保留期以前的记录'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_refuse_update",
    "DROP TRIGGER IF EXISTS audit_refuse_delete",
    "DROP TABLE IF EXISTS audit_purge_window",
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement, None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REMOVE, None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement, None)


class Migration(migrations.Migration):

    dependencies = [("audit", "0002_chain")]

    operations = [migrations.RunPython(install, remove)]
