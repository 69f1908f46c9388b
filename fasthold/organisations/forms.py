from django import forms
from django.utils.translation import gettext_lazy as _

from fasthold.organisations.models import Organisation


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "cvr", "address", "postcode", "city", "size_band", "industry"]
        help_texts = {"cvr": _("8 digits.")}
        widgets = {"postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"})}
