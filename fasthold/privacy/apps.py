from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The data's life: retention and erasure, the employee's own export, backup and restore."""

    name = "fasthold.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
