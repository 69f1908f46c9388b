from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "fasthold.requests"
    label = "requests"
    verbose_name = _("Requests and messages")

    def ready(self):
        # The words of the coordinator's notifications, made at send time (they read models).
        from fasthold.notifications import kinds
        from fasthold.requests import notices

        kinds.register(notices.MEETING_REQUEST, notices.render_meeting_request)
        kinds.register(notices.MESSAGE, notices.render_message)
        # A case given to another coordinator takes its open request and message notifications along.
        from fasthold.cases import hooks

        hooks.on_coordinator_changed(notices.hand_over)
