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
