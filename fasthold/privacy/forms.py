from django import forms
from django.utils.translation import gettext_lazy as _

from fasthold.privacy.retention import MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS

# The bounds written out: MIN_RETENTION_MONTHS and MAX_RETENTION_MONTHS (a test holds them together).
_BOUNDS = _("Choose a period from 12 to 240 months (1 to 20 years).")


class RetentionForm(forms.Form):
    months = forms.IntegerField(
        label=_("Storage period in months after closure"),
        min_value=MIN_RETENTION_MONTHS,
        max_value=MAX_RETENTION_MONTHS,
        help_text=_("A closed case is erased with everything on it when this period has passed. 60 months is 5 years."),
        error_messages={
            "min_value": _BOUNDS,
            "max_value": _BOUNDS,
            "invalid": _BOUNDS,
            "required": _("Write the number of months."),
        },
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Why the cases are kept this long: the rules and your organisation's own records management rules."
        ),
        error_messages={"required": _("Write the legal basis for the period.")},
    )

    def clean_legal_basis(self):
        return self.cleaned_data["legal_basis"].strip()
