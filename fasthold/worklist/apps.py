from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistConfig(AppConfig):
    name = "fasthold.worklist"
    verbose_name = _("Worklist")

    def ready(self):
        from fasthold.cases import hooks
        from fasthold.notifications import periodic
        from fasthold.worklist import signals, sync

        signals.connect()
        # A handed-over case's rows go to the new coordinator at once.
        hooks.on_coordinator_changed(lambda case_ids, _from, _to: sync.follow_cases(case_ids))
        # Every five minutes: what became due with time, and what went away by itself.
        periodic.register("worklist.sync", sync.sync, every=300)
