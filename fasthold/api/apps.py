from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fasthold.api"
    label = "api"

    def ready(self):
        from fasthold.api import services
        from fasthold.notifications import periodic

        # Once a day: the record of API calls older than FASTHOLD_API_CALL_DAYS goes.
        periodic.register("api.prune_calls", services.prune_calls, every=24 * 60 * 60)
