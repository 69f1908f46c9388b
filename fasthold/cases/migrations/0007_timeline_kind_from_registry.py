# The apps register their timeline kinds (fasthold/cases/timeline.py); the field no longer lists them as choices.

from django.db import migrations, models

import fasthold.cases.timeline


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_employment_end_and_health_agreement"),
    ]

    operations = [
        migrations.AlterField(
            model_name="timelineevent",
            name="kind",
            field=models.CharField(max_length=32, validators=[fasthold.cases.timeline.validate_kind]),
        ),
    ]
