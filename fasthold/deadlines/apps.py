from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fasthold.deadlines"
    label = "deadlines"

    def ready(self):
        # Cases sits below the calendar: a case's workflows tell it through cases.hooks (services import
        # models, hence here).
        from fasthold.cases import hooks
        from fasthold.deadlines.services import calendar_refresh, calendar_refresh_many

        hooks.on_dates_changed(calendar_refresh, many=calendar_refresh_many)

        # The timeline's kinds and their wording (the wording imports models, hence here).
        from fasthold.cases import timeline
        from fasthold.deadlines import wording

        timeline.register_marked(self.label, "calendar_event", wording.describe_calendar_event)
        timeline.register_marked(self.label, "deadline_done", wording.describe_deadline_done)

        # The reminder digests run as a periodic job on the task worker (fasthold.notifications.tasks.tick).
        from fasthold.deadlines import reminders
        from fasthold.notifications import periodic

        periodic.register("deadlines.reminders", reminders.run_once, every=reminders.INTERVAL_SECONDS)
