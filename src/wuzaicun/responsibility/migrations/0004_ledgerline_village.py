"""A ledger line keeps its entry's village (D50): added empty, filled from the entries in one statement, then
required and indexed with the year."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE responsibility_ledgerline SET village_id = (
    SELECT a.village_id FROM responsibility_assignment a WHERE a.id = responsibility_ledgerline.assignment_id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('responsibility', '0003_household_helpers'),
    ]

    operations = [
        migrations.AddField(
            model_name='ledgerline',
            name='village',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='regions.region', verbose_name='村', db_index=False),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='ledgerline',
            name='village',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='regions.region', verbose_name='村', db_index=False),
        ),
        migrations.AddIndex(
            model_name='ledgerline',
            index=models.Index(fields=['village', 'year'], name='ledgerline_village_year'),
        ),
    ]
