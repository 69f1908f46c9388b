from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "fasthold.screening"
    label = "screening"
