from django import forms
from django.utils.translation import gettext_lazy as _

from fasthold.accounts import totp


class CodeForm(forms.Form):
    """Six digits from the authenticator app; spaces are forgiven (many apps show "123 456")."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits. A new code appears every 30 seconds."),
        max_length=20,
        error_messages={"required": _("Enter the six digits that your app shows now.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "size": 8,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self):
        code = totp.normalise_code(self.cleaned_data["code"])
        if len(code) != totp.DIGITS or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("The code is six digits, for example 123456."), code="format")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        help_text=_(
            "One of the codes you saved when you turned on two-factor login, for example ABCDE-23456. Each code works once."
        ),
        max_length=40,
        error_messages={"required": _("Enter one of your recovery codes.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self):
        code = totp.normalise_recovery_code(self.cleaned_data["code"])
        if len(code) != totp.RECOVERY_LENGTH:
            raise forms.ValidationError(
                _("A recovery code is ten letters and digits, for example ABCDE-23456."), code="format"
            )
        return code
