from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "fasthold.schedules"
    label = "schedules"

    def ready(self):
        # Plans sits below schedules: the schedule travels with a revised plan version and its summary
        # goes into the plan's PDF through plans' hooks (services and selectors import models, hence here).
        from fasthold.plans import hooks
        from fasthold.schedules import selectors, services

        hooks.on_version_copied(services.copy_schedule)
        hooks.register_pdf_section("schedule_summary", selectors.summary)

        # The timeline's kinds and their wording (the wording imports models, hence here).
        from fasthold.cases import timeline
        from fasthold.schedules import events

        timeline.register_marked(self.label, "schedule", events.describe)
