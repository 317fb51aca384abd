"""The data generation's counter rows (docs/insight.md, I40). Its triggers are installed after every `migrate`
(`core.generation.after_migrate`), on every business table that exists then."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="DataGeneration",
            fields=[
                ("slot", models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name="槽位")),
                ("n", models.BigIntegerField(default=0, verbose_name="计数")),
            ],
            options={"verbose_name": "数据代次", "verbose_name_plural": "数据代次"},
        ),
    ]
