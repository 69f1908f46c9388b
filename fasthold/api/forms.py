from django import forms
from django.utils.translation import gettext_lazy as _

from fasthold.api.models import Scope
from fasthold.api.services import DEFAULT_DAYS, MAX_DAYS


class ClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the system"),
        max_length=100,
        help_text=_("The system that will call the API, for example the jobcentre's case system."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the system may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Give only what the system needs. Health information is a scope of its own."),
    )
    days = forms.IntegerField(
        label=_("The token is valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )


class RotateForm(forms.Form):
    days = forms.IntegerField(
        label=_("The new token is valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )
