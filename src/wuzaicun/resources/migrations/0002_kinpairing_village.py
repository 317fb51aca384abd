"""干群结亲 keep their household's village (D46): added empty, filled from the households in one statement,
then required."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE resources_kinpairing SET village_id = (
    SELECT h.region_id FROM registry_household h WHERE h.id = resources_kinpairing.household_id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('registry', '0001_initial'),
        ('resources', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='kinpairing',
            name='village',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='regions.region', verbose_name='所在村', db_index=False),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='kinpairing',
            name='village',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='regions.region', verbose_name='所在村', db_index=False),
        ),
        migrations.AddIndex(
            model_name='kinpairing',
            index=models.Index(fields=['village', 'household', 'since', 'until'], name='kinpairing_village'),
        ),
    ]
