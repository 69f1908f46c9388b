from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.cases.forms import DateInput
from fasthold.deadlines.models import CalendarSettings, EventKey, Responsible


class _CaseForm(forms.Form):
    """A form about one case."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case


def _day_in_case(name: str, too_early, too_late):
    """A clean_<name> method: the day falls between the case's first sick day and today."""

    def clean(self):
        day = self.cleaned_data[name]
        if day < self.case.first_sick_day:
            raise forms.ValidationError(too_early)
        if day > timezone.localdate():
            raise forms.ValidationError(too_late)
        return day

    return clean


class EventForm(_CaseForm):
    key = forms.ChoiceField(label=_("Event"), choices=EventKey.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    clean_occurred_on = _day_in_case(
        "occurred_on", _("The event cannot be before the first sick day."), _("The event cannot be in the future.")
    )

    def clean(self):
        data = super().clean()
        if data.get("key") == EventKey.RELAPSE and data.get("occurred_on"):
            back = self.case.calendar_events.filter(key=EventKey.FULL_RETURN).values_list("occurred_on", flat=True)
            if not back or data["occurred_on"] <= back[0]:
                self.add_error(
                    "occurred_on",
                    _(
                        "A relapse comes after a full return to work: record the full return first, with an earlier date."
                    ),
                )
        return data


class DoneForm(_CaseForm):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    clean_done_on = _day_in_case(
        "done_on", _("The date cannot be before the first sick day."), _("The date cannot be in the future.")
    )


class DashboardFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Cases"),
        required=False,
        choices=[("mine", _("My cases")), ("organisation", _("All of my organisation"))],
    )
    responsible = forms.ChoiceField(
        label=_("Responsible"), required=False, choices=[("", _("All")), *Responsible.choices]
    )
    days = forms.TypedChoiceField(
        label=_("Look ahead"),
        required=False,
        coerce=int,
        empty_value=14,
        choices=[(7, _("7 days")), (14, _("14 days")), (30, _("30 days"))],
        initial=14,
    )

    def __init__(self, *args, is_staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_staff:
            del self.fields["scope"]


class CalendarSettingsForm(forms.ModelForm):
    """The organisation's choice of rules: the country's law packs, and good practice on or off."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = CalendarSettings
        fields = ["jurisdiction", "good_practice"]
        labels = {
            "good_practice": _(
                "Show good-practice deadlines (early contact, contact every third week, follow-up after return) "
                "besides the legal ones"
            )
        }
        help_texts = {
            "jurisdiction": _(
                "The law in force for each case's first sick day is then chosen from that country's packs."
            )
        }
