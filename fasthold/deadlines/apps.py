from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fasthold.deadlines"
    label = "deadlines"
