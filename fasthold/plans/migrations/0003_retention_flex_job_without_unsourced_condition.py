"""The retention flex job's "when used" no longer claims a 12-month employment condition, which no source
of Fasthold supports. Only a text still as first seeded is changed; an administrator's edit is kept."""

from django.db import migrations

OLD = {
    "when_used_da": "Når medarbejderen har været ansat mindst 12 måneder på ordinære vilkår (eller efter de sociale "
    "kapitler) og ikke kan fastholdes på anden måde.",
    "when_used_en": "When the employee has been employed for at least 12 months on ordinary terms (or under a social "
    "chapter) and cannot be kept on in any other way.",
}
NEW = {
    "when_used_da": "Når medarbejderens arbejdsevne er varigt og væsentligt nedsat, og medarbejderen ikke kan "
    "fastholdes på anden måde. Kommunen vurderer, om betingelserne er opfyldt.",
    "when_used_en": "When the employee's work capacity is permanently and substantially reduced and they cannot be "
    "kept on in any other way. The municipality decides whether the conditions are met.",
}


def forward(apps, schema_editor):
    RetentionTool = apps.get_model("plans", "RetentionTool")
    for field, old in OLD.items():
        RetentionTool.objects.filter(key="retention_flex_job", **{field: old}).update(**{field: NEW[field]})


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_seed_retention_tools")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
