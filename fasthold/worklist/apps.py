from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistConfig(AppConfig):
    name = "fasthold.worklist"
    verbose_name = _("Worklist")

    def ready(self):
        from fasthold.notifications import periodic
        from fasthold.worklist import signals, sync

        signals.connect()
        # Every five minutes: what became due with time, and what went away by itself.
        periodic.register("worklist.sync", sync.sync, every=300)
