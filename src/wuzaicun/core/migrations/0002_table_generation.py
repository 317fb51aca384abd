"""Each business table's own generation counter rows (docs/insight.md, I47). The triggers move to them after this
`migrate` (`core.generation.after_migrate` replaces the PostgreSQL function and SQLite's triggers)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("core", "0001_data_generation")]

    operations = [
        migrations.CreateModel(
            name="TableGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="表名")),
                ("slot", models.PositiveSmallIntegerField(verbose_name="槽位")),
                ("n", models.BigIntegerField(default=0, verbose_name="计数")),
            ],
            options={
                "verbose_name": "表代次",
                "verbose_name_plural": "表代次",
                "constraints": [models.UniqueConstraint(fields=("name", "slot"), name="core_tablegeneration_name_slot")],
            },
        ),
    ]
