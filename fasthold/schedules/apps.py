from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "fasthold.schedules"
    label = "schedules"
