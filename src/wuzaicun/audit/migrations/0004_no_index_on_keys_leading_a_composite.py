"""The actor's own index goes: `audit_actor_action_at` leads with it (D51).

The index is dropped by name rather than by Django's AlterField, which on SQLite rebuilds the table and with it
would drop the triggers that keep the log append-only (0003_refuse_changes)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_refuse_changes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='auditentry',
                    name='actor',
                    field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
                ),
            ],
            database_operations=[
                migrations.RunSQL("DROP INDEX IF EXISTS audit_auditentry_actor_id_8ab278be",
                                  "CREATE INDEX audit_auditentry_actor_id_8ab278be ON audit_auditentry (actor_id)"),
            ],
        ),
    ]
