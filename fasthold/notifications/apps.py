from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "fasthold.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # The tasks module registers the outbox's periodic jobs (it imports models, hence here).
        from fasthold.notifications import tasks  # noqa: F401
