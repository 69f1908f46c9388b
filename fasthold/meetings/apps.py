from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fasthold.deadlines import registry


class MeetingsConfig(AppConfig):
    name = "fasthold.meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Selectors import models, which cannot be imported before the app registry is populated.
        from fasthold.meetings.selectors import calendar_dates

        # Hidden from the employer: the next meeting may be one without them (their own meetings are on
        # the meeting pages).
        registry.register_local_rule(
            "next_meeting", "Næste møde", "Next meeting", legal_ref="Planlagt møde", employer_hidden=True
        )
        registry.register_source("meetings", calendar_dates)

        # The timeline's kinds and their wording (the wording imports models, hence here).
        from fasthold.cases import timeline
        from fasthold.meetings import wording

        timeline.register(self.label, wording.KINDS, wording.describe_event)

        # Records that may be marked as entered in error (fasthold.cases.corrections).
        from fasthold.meetings import corrections

        corrections.register()
