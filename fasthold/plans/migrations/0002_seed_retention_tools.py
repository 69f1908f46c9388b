from django.db import migrations


def seed(apps, schema_editor):
    from fasthold.plans.tools_catalogue import TOOLS

    RetentionTool = apps.get_model("plans", "RetentionTool")
    for position, (key, name_da, name_en, desc_da, desc_en, when_da, when_en) in enumerate(TOOLS):
        RetentionTool.objects.update_or_create(key=key, defaults=dict(
            position=position, name_da=name_da, name_en=name_en, description_da=desc_da,
            description_en=desc_en, when_used_da=when_da, when_used_en=when_en, active=True,
        ))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
