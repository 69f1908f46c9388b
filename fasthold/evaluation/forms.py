from django import forms
from django.utils.translation import gettext_lazy as _

from fasthold.cases.forms import DateInput
from fasthold.evaluation.models import CaseReturn, FollowUp, FollowUpStatus

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ReturnForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CaseReturn
        fields = ["full_return_on", "partial_return_on"]
        widgets = {"full_return_on": DateInput(), "partial_return_on": DateInput()}
        help_texts = {
            "full_return_on": _(
                "The first day back at normal hours. Prefilled from the graded schedule when it reached them."
            ),
            "partial_return_on": _("The first day back at reduced hours, if there was one."),
        }

    def clean(self):
        data = super().clean()
        full, partial = data.get("full_return_on"), data.get("partial_return_on")
        if full and partial and partial > full:
            self.add_error("partial_return_on", _("A partial return comes before the full return."))
        return data


class FollowUpForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FollowUp
        fields = ["status", "absence_from", "absence_to"]
        widgets = {"status": forms.RadioSelect, "absence_from": DateInput(), "absence_to": DateInput()}

    def __init__(self, *args, months: int, **kwargs):
        super().__init__(*args, prefix=f"m{months}", **kwargs)
        self.months = months

    def clean(self):
        data = super().clean()
        if data.get("status") == FollowUpStatus.NEW_ABSENCE and not data.get("absence_from"):
            self.add_error("absence_from", _("Give the day the new absence began."))
        if data.get("status") != FollowUpStatus.NEW_ABSENCE:
            data["absence_from"] = data["absence_to"] = None
        start, end = data.get("absence_from"), data.get("absence_to")
        if start and end and end < start:
            self.add_error("absence_to", _("The absence cannot end before it began."))
        return data


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (CSV)"),
        help_text=_("Columns case, week and status; one line per case and ISO week (2026-W05)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB. Split it into several files."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is not a text file (UTF-8 or Windows-1252)."))
