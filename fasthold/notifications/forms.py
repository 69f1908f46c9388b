from django import forms
from django.utils.translation import gettext_lazy as _

from fasthold.notifications.models import NotificationSettings


class SettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["email_mode"]
        widgets = {"email_mode": forms.RadioSelect}
        labels = {"email_mode": _("E-mail about your notifications")}
        help_texts = {
            "email_mode": _("Notifications always appear in Fasthold at once. The daily e-mail comes in the morning.")
        }
