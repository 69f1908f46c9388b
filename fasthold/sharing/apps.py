from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "fasthold.sharing"
    verbose_name = _("Consent and sharing")

    def ready(self):
        # The timeline's kinds and their wording (the wording imports models, hence here).
        from fasthold.cases import timeline
        from fasthold.sharing import wording

        timeline.register(self.label, wording.KINDS, wording.describe_event)
