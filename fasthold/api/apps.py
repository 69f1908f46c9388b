from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fasthold.api"
    label = "api"
