from django.apps import AppConfig

from fasthold.deadlines import registry


class PlansConfig(AppConfig):
    name = "fasthold.plans"
    label = "plans"

    def ready(self):
        # Selectors import models, which cannot be imported before the app registry is populated.
        from fasthold.plans.selectors import calendar_dates

        registry.register_local_rule(
            "plan_evaluation", "Evaluering af planen", "Evaluation of the plan", legal_ref="Planens evalueringsdato"
        )
        registry.register_source("plans", calendar_dates)

        # The timeline's kinds and their wording (the wording imports models, hence here).
        from fasthold.cases import timeline
        from fasthold.plans import wording

        timeline.register(self.label, wording.KINDS, wording.describe_event)

        # Records that may be marked as entered in error (fasthold.cases.corrections).
        from fasthold.plans import corrections

        corrections.register()

        # The manager's reminder at the evaluation date (fasthold.notifications, run by the task worker).
        from fasthold.notifications import kinds, periodic
        from fasthold.plans import reminders

        kinds.register(reminders.EVALUATION_DUE, reminders.render_evaluation_due)
        periodic.register("plans.evaluation_reminders", reminders.evaluation_reminders, every=3600)
