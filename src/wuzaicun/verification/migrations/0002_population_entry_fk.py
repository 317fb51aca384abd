"""A frozen population's entries are protected from deletion (a real foreign key, PROTECT)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("responsibility", "0001_initial"),
        ("verification", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="populationmember", name="population_unique_entry"),
        migrations.RenameField(model_name="populationmember", old_name="entry_id", new_name="entry"),
        migrations.AlterField(
            model_name="populationmember",
            name="entry",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="responsibility.assignment"),
        ),
        migrations.AddConstraint(
            model_name="populationmember",
            constraint=models.UniqueConstraint(fields=("plan", "entry"), name="population_unique_entry"),
        ),
    ]
