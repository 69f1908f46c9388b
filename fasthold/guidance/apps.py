from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "fasthold.guidance"
    label = "guidance"
