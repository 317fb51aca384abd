import django.db.models.deletion
import django.db.models.manager
from django.db import migrations, models

# The tally starts from what is there (D47); the triggers keep it after (installed after every migrate).
FILL = (
    "INSERT INTO resources_kinpairingtally (village_id, since, until, writer, n)"
    " SELECT village_id, since, COALESCE(until, 0), 0, COUNT(*)"
    " FROM resources_kinpairing GROUP BY village_id, since, COALESCE(until, 0)"
)


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('resources', '0002_kinpairing_village'),
    ]

    operations = [
        migrations.CreateModel(
            name='KinPairingTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('writer', models.BigIntegerField(default=0, verbose_name='写入事务')),
                ('n', models.BigIntegerField(default=0, verbose_name='行数')),
                ('since', models.PositiveSmallIntegerField(verbose_name='结亲年度')),
                ('until', models.PositiveSmallIntegerField(verbose_name='结束年度')),
                ('village', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='regions.region', verbose_name='村')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('writer', 0), _negated=True), fields=['writer'], name='kinpairingtally_unfolded')],
                'verbose_name': '干群结亲计数',
                'verbose_name_plural': '干群结亲计数',
                'constraints': [models.UniqueConstraint(fields=('village', 'since', 'until', 'writer'), name='kinpairingtally_key')],
            },
            managers=[
                ('objects_unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
