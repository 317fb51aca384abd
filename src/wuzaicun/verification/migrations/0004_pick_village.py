"""A spot-check pick keeps its entry's village (D49): added empty, filled from the entries in one statement, then
required."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE verification_spotcheckpick SET village_id = (
    SELECT a.village_id FROM responsibility_assignment a WHERE a.id = verification_spotcheckpick.assignment_id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('responsibility', '0003_household_helpers'),
        ('verification', '0003_plan_witness_void'),
    ]

    operations = [
        migrations.AddField(
            model_name='spotcheckpick',
            name='village',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='regions.region', verbose_name='村'),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='spotcheckpick',
            name='village',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='regions.region', verbose_name='村'),
        ),
    ]
