from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "fasthold.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        # The timeline's kinds and their wording (the wording imports models, hence here).
        from fasthold.cases import timeline, wording

        timeline.register(self.label, wording.KINDS, wording.describe_event)

        # A note on the timeline may be marked as entered in error.
        from django.urls import reverse

        from fasthold.cases import corrections
        from fasthold.cases.models import EventKind, TimelineEvent

        def load_note(case, item):  # item: an int (the route's converter)
            # A note someone wrote (its text in params), not an app's own record under the note kind.
            notes = TimelineEvent.objects.filter(case=case, kind=EventKind.NOTE, params__has_key="text")
            return notes.filter(pk=item).first()

        corrections.register(
            corrections.Correctable(
                kind="note",
                label=_("note"),
                load=load_note,
                back_url=lambda case, obj: reverse("cases:detail", args=[case.public_id]),
            )
        )
