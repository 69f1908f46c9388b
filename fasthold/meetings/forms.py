"""Every input rule of meetings, at the field, in the user's language."""

import datetime as dt

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fasthold.cases.forms import DateInput
from fasthold.cases.models import Case
from fasthold.coordination.models import Channel, ContactResponsible
from fasthold.deadlines.engine.dates import is_working_day
from fasthold.forms import BoundedModelMultipleChoiceField
from fasthold.meetings import agenda_builder
from fasthold.meetings.models import AgreementKind, Meeting, MeetingKind
from fasthold.meetings.services import AGREEMENT_FIELDS, MAX_DAYS_AHEAD

# Messages for the services' MeetingError codes (the services raise before writing anything).
ERROR_MESSAGES = {
    "in_past": _("The meeting cannot be in the past. Choose a date and time from now on."),
    "too_far": _("A meeting can be planned at most two years ahead."),
    "day_off": _("The day is a Saturday, a Sunday or a public holiday. Choose a working day."),
    "naive_time": _("Give both a date and a time."),
    "duration": _("A meeting lasts from 5 minutes to 8 hours."),
    "no_place": _("Give a place, a video link, or both."),
    "video_link": _("Write the whole link to the video meeting, starting with https://"),
    "no_participants": _("Invite at least one person besides yourself."),
    "not_on_case": _(
        "Only people taking part in the case can be invited. Someone in the list is not on this case; "
        "add them to the case first."
    ),
    "kind": _("Choose a kind from the list."),
    "not_started": _("Minutes can be written once the meeting has started."),
    "next_exists": _("The next meeting is already planned. Change it on its own page."),
    "minutes_in_error": _(
        "The minutes are marked as entered in error and are kept as they are. They cannot be written again."
    ),
    "agreement_empty": _("Write what was agreed."),
    "not_attendee": _("The responsible person must be one of those invited to the meeting."),
    "task_incomplete": _("A task needs both a responsible person and a date."),
    "contact_incomplete": _("A contact agreement needs how often, by which channel and who takes the initiative."),
    "no_draft_plan": _(
        "The plan has no draft to add the activity to. Start a revision of the plan first. "
        "Until then the agreement stands as it is, with its responsible person and date."
    ),
    "already_carried_out": _("This agreement has already been carried out."),
    "nothing_to_carry_out": _("Only an activity or a contact agreement can be carried out."),
    "contact_cadence_range": _("Contact must be agreed every 1 to 90 days."),
    "due_too_far": _("A date for an agreement can be at most two years ahead."),
}


def error_message(code: str) -> str:
    if code in ERROR_MESSAGES:
        return str(ERROR_MESSAGES[code])
    if code.startswith("contact_"):
        return str(_("The contact agreement could not be saved. Check its terms on the contact page."))
    return str(_("This could not be saved. Check the fields and try again."))


def lock_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LockForm(forms.Form):
    lock = lock_field()


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def when_error(starts_at: dt.datetime) -> str | None:
    """The code of what is wrong with a meeting's start, or None: in the past, too far ahead, or on a
    Saturday, Sunday or Danish public holiday."""
    now = timezone.now()
    if starts_at < now:
        return "in_past"
    if starts_at > now + dt.timedelta(days=MAX_DAYS_AHEAD):
        return "too_far"
    if not is_working_day(timezone.localtime(starts_at).date()):
        return "day_off"
    return None


class VideoLinkField(forms.URLField):
    # Only web links; one validator, so a bad link gives one message (URLField's own would add a second).
    default_validators = [URLValidator(schemes=["https", "http"])]


class ParticipantChoice(BoundedModelMultipleChoiceField):
    def label_from_instance(self, p):
        return f"{p.display_name} ({p.get_role_display()})"


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=MeetingKind.choices,
        error_messages={"invalid_choice": ERROR_MESSAGES["kind"]},
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"),
        min_value=5,
        max_value=480,
        initial=60,
        error_messages={"min_value": ERROR_MESSAGES["duration"], "max_value": ERROR_MESSAGES["duration"]},
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("For example the workplace's address and meeting room."),
    )
    video_link = VideoLinkField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": ERROR_MESSAGES["video_link"]},
        help_text=_("If some or all take part by video."),
    )
    purpose = forms.CharField(
        label=_("Purpose of the meeting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Everyone invited reads this, in the invitation too – the workplace as well. "
            "Write nothing about health: no diagnosis and no cause."
        ),
    )
    purpose_agreed = forms.BooleanField(
        label=_("The purpose is agreed with the employee"),
        required=False,
        help_text=_("Agree the purpose with the employee before the meeting, and what may be said about them."),
    )
    participants = ParticipantChoice(
        label=_("Who is invited"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": ERROR_MESSAGES["not_on_case"],
            "invalid_pk_value": ERROR_MESSAGES["not_on_case"],
            "required": ERROR_MESSAGES["no_participants"],
        },
        help_text=_(
            "You are invited as the coordinator. Everyone invited sees who else comes. If you invite a "
            "health professional together with the workplace, agree it with the employee first."
        ),
    )
    send_invitations = forms.BooleanField(
        label=_("Send invitations by e-mail (with a calendar file)"), required=False, initial=True
    )

    def __init__(self, *args, case: Case, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.meeting = case, meeting
        self.fields["participants"].queryset = case.participants.select_related("user").order_by("added_at", "id")

    def clean(self):
        data = super().clean()
        day, time = data.get("date"), data.get("time")
        if day and time:
            starts_at = aware(day, time)
            unchanged = self.meeting is not None and starts_at == self.meeting.starts_at
            if (code := when_error(starts_at)) and not unchanged:
                self.add_error("date", ERROR_MESSAGES[code])
            data["starts_at"] = starts_at
        place, link = (data.get("place") or "").strip(), data.get("video_link") or ""
        if "video_link" not in self.errors and not place and not link:
            self.add_error("place", ERROR_MESSAGES["no_place"])
        data["place"] = place
        return data

    def values(self) -> dict:
        """The meeting's fields as the services take them."""
        d = self.cleaned_data
        agreed_on = None
        if d["purpose_agreed"]:
            keep = (
                self.meeting is not None
                and self.meeting.purpose_agreed_on
                and self.meeting.purpose == d["purpose"].strip()
            )
            agreed_on = self.meeting.purpose_agreed_on if keep else timezone.localdate()
        return {
            "kind": d["kind"],
            "starts_at": d["starts_at"],
            "duration_minutes": d["duration_minutes"],
            "place": d["place"],
            "video_link": d["video_link"],
            "purpose": d["purpose"].strip(),
            "purpose_agreed_on": agreed_on,
        }

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        local = timezone.localtime(meeting.starts_at)
        return {
            "kind": meeting.kind,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "video_link": meeting.video_link,
            "purpose": meeting.purpose,
            "purpose_agreed": meeting.purpose_agreed_on is not None,
            "participants": [a.participant_id for a in meeting.attendees.all() if a.participant_id],
            "send_invitations": True,
            "lock": meeting.version,
        }


class PlanMeetingForm(MeetingForm):
    checklist = forms.MultipleChoiceField(
        label=_("Agenda from the checklists"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = agenda_builder.choices()


class EditMeetingForm(MeetingForm):
    lock = lock_field()


class AgendaForm(forms.Form):
    """The agenda as text: the existing items (editable, removable), new lines, and checklist ticks."""

    lock = lock_field()
    new_items = forms.CharField(
        label=_("New items, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    checklist = forms.MultipleChoiceField(
        label=_("Add from the checklists"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["checklist"].choices = agenda_builder.choices()
        for n, item in enumerate(self.items, start=1):
            self.fields[f"text_{item.pk}"] = forms.CharField(
                label=_("Item %(n)s") % {"n": n}, max_length=500, required=False, initial=item.text
            )
            self.fields[f"remove_{item.pk}"] = forms.BooleanField(
                label=_("Remove item %(n)s") % {"n": n}, required=False
            )

    def item_rows(self):
        return [(item, self[f"text_{item.pk}"], self[f"remove_{item.pk}"]) for item in self.items]

    def result(self) -> list[dict]:
        d = self.cleaned_data
        items = [
            {
                "text": d[f"text_{i.pk}"],
                "source": i.source if d[f"text_{i.pk}"].strip() == i.text else "",
                "done": i.done,
            }
            for i in self.items
            if not d[f"remove_{i.pk}"] and d[f"text_{i.pk}"].strip()
        ]
        present = {i["source"] for i in items if i["source"]}
        items += [
            {"text": agenda_builder.item_text(key), "source": key, "done": False}
            for key in d["checklist"]
            if key not in present
        ]
        items += [
            {"text": line.strip(), "source": "", "done": False} for line in d["new_items"].splitlines() if line.strip()
        ]
        return items


class MinutesForm(forms.Form):
    lock = lock_field()
    minutes = forms.CharField(
        label=pgettext_lazy("meeting", "Minutes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        required=False,
        help_text=_(
            "Everyone invited reads the minutes, the workplace too. Write what was said about work; "
            "anything about health belongs in the note for professionals below."
        ),
    )
    private_note = forms.CharField(
        label=_("Note for professionals"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_(
            "Seen by the coordinators, the employee and health professionals on the case. Never by the workplace."
        ),
    )
    done = forms.TypedMultipleChoiceField(
        label=_("Agenda items dealt with"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    next_date = forms.DateField(label=_("Date of the next meeting"), widget=DateInput(), required=False)
    next_time = forms.TimeField(label=_("Time of the next meeting"), widget=TimeInput(), required=False)
    send_invitations = forms.BooleanField(
        label=_("Send invitations to the next meeting by e-mail"), required=False, initial=True
    )

    def __init__(self, *args, meeting: Meeting, agenda=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["done"].choices = [(item.pk, item.text) for item in agenda]
        if meeting.next_meeting_id:
            for name in ("next_date", "next_time", "send_invitations"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        day, time = data.get("next_date"), data.get("next_time")
        data["next_starts_at"] = None
        if day and time:
            starts_at = aware(day, time)
            if code := when_error(starts_at):
                self.add_error("next_date", ERROR_MESSAGES[code])
            data["next_starts_at"] = starts_at
        elif day and not time:
            self.add_error("next_time", _("Give the time of the next meeting too."))
        elif time and not day:
            self.add_error("next_date", _("Give the date of the next meeting too."))
        return data


class AttendeeChoice(forms.ModelChoiceField):
    def label_from_instance(self, a):
        return f"{a.name} ({a.role_label()})"


class AgreementForm(forms.Form):
    lock = lock_field()
    text = forms.CharField(
        label=_("What was agreed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Everyone invited reads the agreements and confirms them. Nothing about health."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=AgreementKind.choices,
        help_text=_(
            "An activity can then be added to the draft plan, a contact agreement becomes the case's contact agreement."
        ),
    )
    responsible = AttendeeChoice(
        label=_("Responsible"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": ERROR_MESSAGES["not_attendee"]},
    )
    due = forms.DateField(
        label=_("Date"), widget=DateInput(), required=False, help_text=_("When it should be done. A task needs a date.")
    )
    contact_cadence_days = forms.IntegerField(
        label=_("Contact every (days)"),
        required=False,
        min_value=1,
        max_value=90,
        error_messages={
            "min_value": ERROR_MESSAGES["contact_cadence_range"],
            "max_value": ERROR_MESSAGES["contact_cadence_range"],
        },
    )
    contact_channel = forms.ChoiceField(label=_("Channel"), required=False)
    contact_responsible = forms.ChoiceField(label=_("Who takes the initiative"), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)

        self.meeting = meeting
        self.fields["responsible"].queryset = meeting.attendees.all()
        self.fields["contact_channel"].choices = [("", "–"), *Channel.choices]
        self.fields["contact_responsible"].choices = [("", "–"), *ContactResponsible.choices]

    def clean_due(self):
        due = self.cleaned_data.get("due")
        if due and due > timezone.localdate() + dt.timedelta(days=2 * 366):
            raise forms.ValidationError(ERROR_MESSAGES["due_too_far"])
        return due

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == AgreementKind.TASK:
            if not data.get("responsible") and "responsible" not in self.errors:
                self.add_error("responsible", ERROR_MESSAGES["task_incomplete"])
            if not data.get("due") and "due" not in self.errors:
                self.add_error("due", ERROR_MESSAGES["task_incomplete"])
        if kind == AgreementKind.CONTACT:
            for name in ("contact_cadence_days", "contact_channel", "contact_responsible"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, ERROR_MESSAGES["contact_incomplete"])
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in AGREEMENT_FIELDS}

    @classmethod
    def initial_for(cls, agreement) -> dict:
        return {
            "text": agreement.text,
            "kind": agreement.kind,
            "responsible": agreement.responsible_id,
            "due": agreement.due,
            "contact_cadence_days": agreement.contact_cadence_days,
            "contact_channel": agreement.contact_channel,
            "contact_responsible": agreement.contact_responsible,
        }


class ConfirmForm(forms.Form):
    agreements = forms.CharField(widget=forms.HiddenInput, max_length=64)


class TaskDoneForm(forms.Form):
    done = forms.BooleanField(required=False)
