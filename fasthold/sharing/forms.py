"""Every input rule of consents and the colleague information."""

import datetime as dt

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.cases.forms import DateInput
from fasthold.sharing.models import ALLOWED, TEXT_CATEGORIES, Category, Channel, ColleagueMessage, Recipient

TEXT_MAX = 1000
ON_BEHALF = [(Channel.ORAL, Channel.ORAL.label), (Channel.PAPER, Channel.PAPER.label)]

WORDING_HELP = {
    Category.ILLNESS: _(
        'Write it the way you want it said, for example: "I am ill with stress and need peace '
        'for a while." Only what you write here is shown – never your diagnosis.'
    ),
    Category.TREATMENT: _('For example: "I go to a psychologist every other week." Only what you write here is shown.'),
    Category.MESSAGE: _("A few words in your own way. Your manager sees exactly this text."),
}


class GiveConsentForm(forms.Form):
    category = forms.ChoiceField(choices=Category.choices, widget=forms.HiddenInput)
    recipients = forms.MultipleChoiceField(
        label=_("Who may know it"),
        choices=Recipient.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose who may know it."),
            "invalid_choice": _("That recipient is not one you can choose here."),
        },
    )
    text = forms.CharField(
        label=_("In your own words"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    instruments = forms.MultipleChoiceField(
        label=_("Which questionnaires"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to share all of them, also the ones you answer later."),
        error_messages={"invalid_choice": _("That questionnaire is not one of yours.")},
    )
    channel = forms.ChoiceField(label=_("How did the employee give consent?"), choices=ON_BEHALF)

    def __init__(self, *args, category: str, on_behalf: bool, instruments=(), **kwargs):
        kwargs.setdefault("auto_id", f"id_{category}_%s")
        super().__init__(*args, initial={"category": category}, **kwargs)
        self.category_key = category
        allowed = ALLOWED.get(category, ())
        self.fields["recipients"].choices = [(r.value, r.label) for r in allowed]
        self.fields["instruments"].choices = list(instruments)
        if category not in TEXT_CATEGORIES:
            del self.fields["text"]
        else:
            self.fields["text"].help_text = WORDING_HELP[category]
        if category != Category.QUESTIONNAIRES:
            del self.fields["instruments"]
        if not on_behalf:
            del self.fields["channel"]

    def clean_category(self):
        value = self.cleaned_data["category"]
        if value != self.category_key:
            raise forms.ValidationError(_("That kind of information does not exist."))
        return value

    def clean(self):
        data = super().clean()
        if self.category_key in TEXT_CATEGORIES and not (data.get("text") or "").strip() and "text" not in self.errors:
            self.add_error("text", _("Write what they may know, in your own words."))
        return data


class WithdrawForm(forms.Form):
    channel = forms.ChoiceField(label=_("How did the employee ask to withdraw?"), choices=ON_BEHALF, required=False)


class ColleagueMessageForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ColleagueMessage
        fields = list(ColleagueMessage.PARTS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ColleagueMessage.PARTS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ColleagueMessage.PARTS:
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX))
        self.fields["what_happened"].required = True


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("How did the employee approve?"), choices=ON_BEHALF)

    def __init__(self, *args, on_behalf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not on_behalf:
            del self.fields["channel"]


class ShareForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    shared_on = forms.DateField(label=_("Shared with colleagues on"), widget=DateInput())

    def clean_shared_on(self):
        value = self.cleaned_data["shared_on"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        if value < today - dt.timedelta(days=366):
            raise forms.ValidationError(_("The date is more than a year ago. Check it."))
        return value
