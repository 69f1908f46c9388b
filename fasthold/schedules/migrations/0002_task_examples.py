from django.db import migrations


def seed(apps, schema_editor):
    from fasthold.schedules.task_examples import EXAMPLES

    TaskTemplate = apps.get_model("schedules", "TaskTemplate")
    TaskTemplate.objects.filter(organisation__isnull=True).delete()
    rows = []
    for profession, tasks in EXAMPLES.items():
        for position, (colour, da, en) in enumerate(tasks):
            for language, text in (("da", da), ("en", en)):
                rows.append(TaskTemplate(profession_category=profession, language=language, colour=colour,
                                         text=text, position=position))
    TaskTemplate.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("schedules", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
