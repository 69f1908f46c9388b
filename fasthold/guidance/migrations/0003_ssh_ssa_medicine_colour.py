"""The social and health care helper's note no longer gives medicine handling a colour: the source names the
profession but gives no colour for the task, and the task examples said otherwise. Only a note still as first
shipped is changed; an administrator's edit is kept."""

from django.db import migrations

CHANGES = {
    "da": ("- Flere borgere med plejebehov\n- Medicinadministration ved assistenter", "- Flere borgere med plejebehov"),
    "en": ("- More citizens with care needs\n- Handing out medicine (assistants)", "- More citizens with care needs"),
}


def forward(apps, schema_editor):
    ProfessionNote = apps.get_model("guidance", "ProfessionNote")
    for language, (old, new) in CHANGES.items():
        ProfessionNote.objects.filter(profession_category="ssh_ssa", language=language, yellow_tasks=old).update(
            yellow_tasks=new
        )


class Migration(migrations.Migration):
    dependencies = [("guidance", "0002_profession_notes")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
