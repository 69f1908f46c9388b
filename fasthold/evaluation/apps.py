from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "fasthold.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        # The follow-ups after closure are dates on the case calendar (deadlines collects, never imports).
        from fasthold.deadlines import registry
        from fasthold.evaluation.outcomes import FOLLOW_UP_MONTHS
        from fasthold.evaluation.selectors import calendar_dates, follow_up_key

        for months in FOLLOW_UP_MONTHS:
            registry.register_local_rule(
                follow_up_key(months),
                f"Opfølgning {months} måneder efter afslutning: er personen i arbejde?",
                f"Follow-up {months} months after closure: is the person at work?",
                source="Fasthold: vedvarende tilbagevenden",
                employer_hidden=True,
                after_closure=True,
            )
        registry.register_source("evaluation", calendar_dates)
