"""Every input rule of contact agreements and the contact log, at the field, in the user's language."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.cases.forms import DateInput
from fasthold.cases.models import Audience, Case
from fasthold.coordination import cadence
from fasthold.coordination.models import Channel, ContactResponsible

# The messages for the services' error codes, for callers that reach a service without a form.
ERROR_MESSAGES = {
    "future": _("The date cannot be in the future."),
    "before_first_sick_day": _("The date cannot be before the first sick day."),
    "bad_channel": _("Choose a channel from the list."),
    "bad_audience": _("Choose who may read the note."),
    "bad_responsible": _("Choose who takes the initiative."),
    "note_too_long": _("Keep the note short: at most 1,000 characters."),
    "description_too_long": _("Keep the description short: at most 300 characters."),
    "name_too_long": _("The name can be at most 200 characters."),
    "with_whom_missing": _("Choose whom the contact was with, or write a name."),
    "not_on_case": _("That person does not take part in this case. Choose someone from the list."),
    "no_coordinator": _("The case has no coordinator yet. Choose someone else, or write a name."),
    # The limits are cadence.MAX_CADENCE_DAYS and MAX_START_WEEKS (a test holds them together).
    "cadence_range": _("Contact must be agreed every 1 to 90 days."),
    "start_incomplete": _("For a different start, give both the number of weeks and how often to be in contact."),
    "start_weeks_range": _("The start period can be 1 to 26 weeks."),
    "start_cadence_range": _("Contact in the start period must be every 1 to 90 days."),
}


class AgreementForm(forms.Form):
    cadence_days = forms.IntegerField(
        label=_("Days between contacts"),
        min_value=cadence.MIN_CADENCE_DAYS,
        max_value=cadence.MAX_CADENCE_DAYS,
        help_text=_(
            "For example 7 for once a week or 14 for every other week. Advice: at least every third week (21)."
        ),
        error_messages={"min_value": ERROR_MESSAGES["cadence_range"], "max_value": ERROR_MESSAGES["cadence_range"]},
    )
    responsible = forms.ChoiceField(label=_("Who takes the initiative"), choices=ContactResponsible.choices)
    channel = forms.ChoiceField(label=_("Usually by"), choices=Channel.choices)
    description = forms.CharField(
        label=_("Who calls whom"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "In a few words, for example: “Susanne calls Bodil on Tuesday mornings.” Everyone on the "
            "case can read this, the employer included – write no health information."
        ),
    )
    lighter_start_weeks = forms.IntegerField(
        label=_("For the first … weeks"),
        required=False,
        min_value=1,
        max_value=cadence.MAX_START_WEEKS,
        help_text=_(
            "For a mental-health absence the contact may start lighter, for example every "
            "14 days in the first 2 weeks. Counted from the first sick day."
        ),
        error_messages={
            "min_value": ERROR_MESSAGES["start_weeks_range"],
            "max_value": ERROR_MESSAGES["start_weeks_range"],
        },
    )
    lighter_cadence_days = forms.IntegerField(
        label=_("… days between contacts"),
        required=False,
        min_value=cadence.MIN_CADENCE_DAYS,
        max_value=cadence.MAX_CADENCE_DAYS,
        error_messages={
            "min_value": ERROR_MESSAGES["start_cadence_range"],
            "max_value": ERROR_MESSAGES["start_cadence_range"],
        },
    )
    # The agreement version the edit started from; 0 when the case had none.
    lock = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        # Both forms share the contact page: distinct ids, so every label points at its own field.
        kwargs.setdefault("auto_id", "id_agreement_%s")
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(agreement) -> dict:
        if agreement is None:
            return {"cadence_days": 14, "responsible": ContactResponsible.EMPLOYER, "channel": Channel.PHONE, "lock": 0}
        return {
            "cadence_days": agreement.cadence_days,
            "responsible": agreement.responsible,
            "channel": agreement.channel,
            "description": agreement.description,
            "lighter_start_weeks": agreement.lighter_start_weeks,
            "lighter_cadence_days": agreement.lighter_cadence_days,
            "lock": agreement.version,
        }

    def clean(self):
        data = super().clean()
        weeks, days = data.get("lighter_start_weeks"), data.get("lighter_cadence_days")
        if "lighter_start_weeks" in data and "lighter_cadence_days" in data and (weeks is None) != (days is None):
            field = "lighter_cadence_days" if days is None else "lighter_start_weeks"
            self.add_error(field, ERROR_MESSAGES["start_incomplete"])
        return data


OTHER = "other"
COORDINATOR = "coordinator"


class ContactForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date of the contact"), widget=DateInput())
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices)
    with_whom = forms.ChoiceField(label=_("With whom"))
    with_name = forms.CharField(
        label=_("Name, if not in the list"),
        required=False,
        max_length=200,
        help_text=_("Only when you chose “Someone else” above."),
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you talked about and agreed, in a few lines."),
    )
    audience = forms.ChoiceField(
        label=_("Who may read the note"),
        widget=forms.RadioSelect,
        choices=[
            (Audience.ALL, _("Everyone on the case, the employer (manager, HR) included")),
            (
                Audience.PROFESSIONALS,
                _("Not the employer: only the coordinator, the employee and the health professionals on the case"),
            ),
        ],
        help_text=_(
            "The date, the channel and the person are shown to the same people as the note. Choose "
            "“Not the employer” if the note says anything about health."
        ),
    )

    def __init__(self, *args, case: Case, participants, can_choose_audience: bool, coordinator_choice: bool, **kwargs):
        kwargs.setdefault("auto_id", "id_contact_%s")
        super().__init__(*args, **kwargs)
        self.case = case
        self.participants = {str(p.public_id): p for p in participants}
        choices = [("", _("Choose …"))]
        if coordinator_choice:
            choices.append((COORDINATOR, _("%(name)s (coordinator)") % {"name": case.coordinator.display_name}))
        choices += [(key, f"{p.display_name} – {p.get_role_display()}") for key, p in self.participants.items()]
        choices.append((OTHER, _("Someone else (write the name below)")))
        self.fields["with_whom"].choices = choices
        if not can_choose_audience:
            del self.fields["audience"]
        if not self.is_bound:
            self.initial.setdefault("occurred_on", timezone.localdate())
            # Privacy first: a note is kept from the employer unless the writer chooses otherwise.
            self.initial.setdefault("audience", Audience.PROFESSIONALS)

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(ERROR_MESSAGES["future"], code="future")
        if day < self.case.first_sick_day:
            raise forms.ValidationError(ERROR_MESSAGES["before_first_sick_day"], code="before")
        return day

    def clean(self):
        data = super().clean()
        if data.get("with_whom") == OTHER and not (data.get("with_name") or "").strip():
            self.add_error("with_name", _("Write the name of the person you were in contact with."))
        return data

    def service_kwargs(self) -> dict:
        """The cleaned data as contact_log's keyword arguments."""
        data = self.cleaned_data
        choice = data["with_whom"]
        kwargs = {
            "occurred_on": data["occurred_on"],
            "channel": data["channel"],
            "note": data["note"],
            "audience": data.get("audience") or Audience.ALL,
        }
        if choice == COORDINATOR:
            kwargs["with_coordinator"] = True
        elif choice == OTHER:
            kwargs["with_name"] = data["with_name"]
        else:
            kwargs["with_participant"] = self.participants[choice]
        return kwargs


# ---------------------------------------------------------------------------------------------------
# The fitness-for-work statement (mulighedserklæring). The services check the same rules; a code they
# raise is put on its field here (STATEMENT_ERROR_FIELDS), so nothing reaches the user as a bare code.

STATEMENT_ERRORS = {
    "future": _("The date cannot be in the future."),
    "conversation_on_too_early": _("The conversation cannot be before the statement was asked for."),
    "sent_on_too_early": _("It cannot be sent to the doctor before it was asked for or before the conversation."),
    "received_on_too_early": _("It cannot come back from the doctor before it was asked for or sent."),
    "name_missing": _("Write who asked for the statement."),
    "name_too_long": _("The name can be at most 200 characters."),
    "part1_missing": _("Write what the job is, what can be adapted, or both."),
    "dates_missing": _("Give the date it was sent to the doctor, the date it came back, or both."),
    "assessment_missing": _("Write what the doctor assesses."),
    "agreed_missing": _("Write what was agreed."),
    "text_too_long": _("Keep it shorter: at most 2,000 characters."),
    "no_channel": _("Say how the employee gave their answer."),
}
STATEMENT_ERROR_FIELDS = {
    "conversation_on_too_early": "conversation_on",
    "sent_on_too_early": "sent_on",
    "received_on_too_early": "received_on",
    "name_missing": "requested_by_name",
    "name_too_long": "requested_by_name",
    "part1_missing": "job_description",
    "dates_missing": "sent_on",
    "assessment_missing": "doctor_assessment",
    "agreed_missing": "agreed",
}

_TEXT_MAX = 2000
_TOO_LONG = {"max_length": STATEMENT_ERRORS["text_too_long"]}


def _not_future(day):
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(STATEMENT_ERRORS["future"], code="future")
    return day


class StatementForm(forms.Form):
    """The base of the statement's forms: the version the edit started from, and dates not in the future."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    dates: tuple[str, ...] = ()

    def __init__(self, *args, statement=None, **kwargs):
        if statement is not None:
            initial = {name: getattr(statement, name) for name in self.base_fields if name != "version"}
            kwargs["initial"] = {**initial, "version": statement.version, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        for name in self.dates:
            if name in data:
                try:
                    _not_future(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data

    def service_error(self, code: str) -> None:
        """Put a service's refusal on its field (or on the form), in the user's language."""
        self.add_error(STATEMENT_ERROR_FIELDS.get(code), STATEMENT_ERRORS.get(code, STATEMENT_ERRORS["future"]))


class StatementRequestForm(StatementForm):
    requested_on = forms.DateField(label=_("Asked for on"), widget=DateInput())
    requested_by_name = forms.CharField(
        label=_("Asked for by"),
        max_length=200,
        help_text=_("Usually the manager. The employer can ask for a statement at any time during the absence."),
        error_messages={"required": STATEMENT_ERRORS["name_missing"]},
    )
    dates = ("requested_on",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]  # a new statement has no version to lock yet


class StatementPart1Form(StatementForm):
    conversation_on = forms.DateField(label=_("Conversation held on"), widget=DateInput())
    job_description = forms.CharField(
        label=_("The job"),
        required=False,
        max_length=_TEXT_MAX,
        error_messages=_TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The tasks and the working conditions, as the employer and the employee describe them."),
    )
    adaptations = forms.CharField(
        label=_("What can be adapted"),
        required=False,
        max_length=_TEXT_MAX,
        error_messages=_TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Hours, tasks, pace, place, aids: what the workplace can offer while the employee recovers. "
            "Everyone on the case reads this, the employer included – write nothing about health."
        ),
    )
    dates = ("conversation_on",)


class StatementDatesForm(StatementForm):
    sent_on = forms.DateField(label=_("Sent to the doctor on"), required=False, widget=DateInput())
    received_on = forms.DateField(label=_("Received back on"), required=False, widget=DateInput())
    dates = ("sent_on", "received_on")


class StatementAssessmentForm(StatementForm):
    received_on = forms.DateField(label=_("Received back on"), widget=DateInput())
    doctor_assessment = forms.CharField(
        label=_("The doctor's assessment (part 2)"),
        max_length=_TEXT_MAX,
        error_messages={**_TOO_LONG, "required": STATEMENT_ERRORS["assessment_missing"]},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the doctor finds the employee can and cannot do, and for how long. Never the diagnosis. "
            "This is health information: the employer sees it only if the employee chooses to share it."
        ),
    )
    dates = ("received_on",)


class StatementAgreementForm(StatementForm):
    agreed = forms.CharField(
        label=_("What was agreed"),
        max_length=_TEXT_MAX,
        error_messages={**_TOO_LONG, "required": STATEMENT_ERRORS["agreed_missing"]},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the employer and the employee agreed about the work after the statement came back."),
    )


class StatementShareForm(forms.Form):
    """Share the doctor's part with the manager or HR, or stop; a coordinator says how the employee answered."""

    recipient = forms.ChoiceField(choices=[("manager", _("The manager")), ("hr", _("HR"))])
    share = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    channel = forms.ChoiceField(
        label=_("How the employee answered"),
        required=False,
        choices=[("oral", _("Orally")), ("paper", _("On paper"))],
    )
