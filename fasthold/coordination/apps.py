from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fasthold.deadlines import registry


class CoordinationConfig(AppConfig):
    name = "fasthold.coordination"
    verbose_name = _("Coordination")

    def ready(self):
        # Selectors import models, which cannot be imported before the app registry is populated.
        from fasthold.coordination.selectors import calendar_dates

        registry.register_local_rule(
            "contact_due",
            "Næste kontakt efter kontaktaftalen",
            "Next contact under the contact agreement",
            legal_ref="Kontaktaftalen",
        )
        registry.register_source("coordination", calendar_dates)

        # The timeline's kinds and their wording (the wording imports models, hence here).
        from fasthold.cases import timeline
        from fasthold.coordination import wording

        timeline.register(self.label, wording.KINDS, wording.describe_event)

        # Records that may be marked as entered in error (fasthold.cases.corrections).
        from fasthold.coordination import corrections

        corrections.register()

        # The manager's reminder when contact is overdue (fasthold.notifications, run by the task worker).
        from fasthold.coordination import reminders
        from fasthold.notifications import kinds, periodic

        kinds.register(reminders.CONTACT_OVERDUE, reminders.render_contact_overdue)
        periodic.register("coordination.contact_reminders", reminders.contact_reminders, every=3600)
