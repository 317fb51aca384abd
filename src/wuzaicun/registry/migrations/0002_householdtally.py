import django.db.models.deletion
import django.db.models.manager
from django.db import migrations, models

# The tally starts from what is there (D47); the triggers keep it after (installed after every migrate).
FILL = (
    "INSERT INTO registry_householdtally (village_id, identified_year, exit_year, writer, n)"
    " SELECT region_id, identified_year, COALESCE(exit_year, 0), 0, COUNT(*)"
    " FROM registry_household GROUP BY region_id, identified_year, COALESCE(exit_year, 0)"
)


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('registry', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='HouseholdTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('writer', models.BigIntegerField(default=0, verbose_name='写入事务')),
                ('n', models.BigIntegerField(default=0, verbose_name='行数')),
                ('identified_year', models.PositiveSmallIntegerField(verbose_name='识别年度')),
                ('exit_year', models.PositiveSmallIntegerField(verbose_name='脱贫年度')),
                ('village', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='regions.region', verbose_name='村')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('writer', 0), _negated=True), fields=['writer'], name='householdtally_unfolded')],
                'verbose_name': '农户计数',
                'verbose_name_plural': '农户计数',
                'constraints': [models.UniqueConstraint(fields=('village', 'identified_year', 'exit_year', 'writer'), name='householdtally_key')],
            },
            managers=[
                ('objects_unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
