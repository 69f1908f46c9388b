from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "fasthold.plans"
    label = "plans"
