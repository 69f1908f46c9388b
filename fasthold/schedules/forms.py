"""Every input rule of the schedule pages, at the field, in the user's language. The generator is the
single source of truth for what makes a schedule: its errors are mapped to the field they concern."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from fasthold.cases.choices import ProfessionCategory
from fasthold.cases.forms import DateInput
from fasthold.schedules.generator import WEEKDAYS, ScheduleError
from fasthold.schedules.models import (
    DIAL_LEVELS,
    GENERATOR_FIELDS,
    WEEKDAY_LABELS,
    ChecklistAnswer,
    ChecklistKey,
    DayKind,
    DialName,
    ScheduleMode,
    TaskColour,
    generate_from,
    parameters_of,
)

PHASE_ROWS = 4
WEEKDAY_CHOICES = [(d, WEEKDAY_LABELS[d]) for d in WEEKDAYS]
PROFESSIONS = [(value, label) for value, label in ProfessionCategory.choices if value != ProfessionCategory.OTHER]

# The generator's messages (English, for the CLI) -> the field they concern and what the user reads.
GENERATOR_MESSAGES = [
    ("no working days", "workdays", _("Choose at least one working day.")),
    ("is not a working day", "rest_days", _("A restitution day must be one of the working days.")),
    (
        "fewer rest days than working days",
        "rest_days",
        _("Keep at least one working day that is not a restitution day."),
    ),
    (
        "rest day start hours are above",
        "rest_day_start_hours",
        _("The hours on a former restitution day cannot be above the most hours in a day."),
    ),
    ("start hours are above", "start_hours", _("The start hours cannot be above the most hours in a day.")),
    ("maximum day hours are below", "max_day_hours", _("The most hours in a day must be at least the rounding.")),
    ("end date is before", "end_date", _("The last day cannot be before the first day.")),
    (
        "past the end of the calendar",
        "start_date",
        _("The schedule would run past the end of the calendar. Choose an earlier first day."),
    ),
    ("target weekly hours exceed", "target_week_hours", _("The target cannot be above the normal weekly hours.")),
    (
        "target weekly hours are never reached",
        "target_week_hours",
        _("With these settings the weekly hours never reach this target. Add hours at each step, or lower the target."),
    ),
    (
        "never reach the maximum",
        "step_hours",
        _("With no increase the hours never reach the most hours in a day. Add hours at each step."),
    ),
    (
        "planned hours exceed",
        "max_day_hours",
        _("The planned hours would be above the normal weekly hours. Lower the most hours in a day."),
    ),
    ("phase weekly hours exceed", "phase_1_hours", _("A phase cannot have more hours than the normal weekly hours.")),
    ("a phase has no days", "rest_days", _("Keep at least one working day that is not a restitution day.")),
    (
        "longer than",
        "step_hours",
        _("The schedule would run for more than two years. Add more hours at each step, or choose a last day."),
    ),
]

HOURS = {"max_digits": 4, "decimal_places": 2}


def _hours(label, *, required=False, low="0.25", high="24", help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(low),
        max_value=Decimal(high),
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
        **HOURS,
    )


class ScheduleForm(forms.Form):
    mode = forms.ChoiceField(label=_("Kind of schedule"), choices=ScheduleMode.choices, widget=forms.RadioSelect)
    start_date = forms.DateField(label=_("First day"), widget=DateInput())
    workdays = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working day.")},
    )
    rest_days = forms.MultipleChoiceField(
        label=_("Restitution days"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A working day kept free to recover, for example Wednesday, or a Friday to lengthen the weekend."),
    )
    normal_week_hours = forms.DecimalField(
        label=_("Normal weekly hours"), min_value=1, max_value=80, max_digits=4, decimal_places=1
    )
    start_hours = _hours(_("Hours per working day at the start"))
    step_hours = _hours(_("More hours per day at each step"), low="0", high="8")
    step_weeks = forms.IntegerField(label=_("Weeks per step"), min_value=1, max_value=8, initial=1)
    max_day_hours = _hours(_("Most hours in a day"))
    max_consecutive_days = forms.IntegerField(
        label=_("Most working days in a row"), required=False, min_value=1, max_value=7
    )
    rest_days_end = forms.ChoiceField(
        label=_("When the most hours in a day are reached"),
        choices=[
            ("never", _("Keep the restitution days")),
            ("at_max", _("The restitution days become working days, escalated the same way")),
        ],
    )
    rest_day_start_hours = _hours(
        _("Hours on a former restitution day at first"),
        help_text=_("Leave empty to start them at the most hours in a day."),
    )
    target_week_hours = forms.DecimalField(
        label=_("End when a week reaches these hours"),
        required=False,
        min_value=1,
        max_value=80,
        max_digits=4,
        decimal_places=1,
    )
    end_date = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DateInput(),
        help_text=_("With a last day, the hours are held at the goal until then."),
    )
    holidays = forms.ChoiceField(
        label=_("Public holidays"),
        choices=[("dk", _("Danish public holidays are days off")), ("none", _("Ignore public holidays"))],
    )
    quantum = forms.TypedChoiceField(
        label=_("Round hours to"),
        coerce=Decimal,
        choices=[("0.25", _("quarter hours")), ("0.5", _("half hours")), ("1", _("whole hours"))],
    )
    lock = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, PHASE_ROWS + 1):
            self.fields[f"phase_{i}_hours"] = forms.DecimalField(
                label=_("Phase %(n)s: hours a week") % {"n": i},
                required=False,
                min_value=Decimal("0.5"),
                max_value=80,
                max_digits=4,
                decimal_places=1,
            )
            self.fields[f"phase_{i}_weeks"] = forms.IntegerField(
                label=_("Phase %(n)s: number of weeks") % {"n": i}, required=False, min_value=1, max_value=52
            )
        self.generated = None

    def clean_start_date(self):
        # A schedule runs for weeks from its first day: a date far outside this century is a typing slip
        # (and years of weeks from 9999-12-31 are past the last date Python knows).
        start = self.cleaned_data["start_date"]
        if not dt.date(2000, 1, 1) <= start <= dt.date(2099, 12, 31):
            raise forms.ValidationError(_("Give a first day between the years 2000 and 2099."))
        return start

    @property
    def phase_rows(self):
        return [(self[f"phase_{i}_hours"], self[f"phase_{i}_weeks"]) for i in range(1, PHASE_ROWS + 1)]

    @property
    def generator_fields(self):
        return [self[name] for name in GENERATOR_FIELDS]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        workdays, rest_days = data["workdays"], data.get("rest_days") or []
        if any(d not in workdays for d in rest_days):
            self.add_error("rest_days", _("A restitution day must be one of the working days."))
        elif len(rest_days) >= len(workdays):
            self.add_error("rest_days", _("Keep at least one working day that is not a restitution day."))
        if data["mode"] == ScheduleMode.PHASES:
            self._clean_phases(data)
        else:
            for name in ("start_hours", "step_hours", "max_day_hours"):
                if data.get(name) is None:
                    self.add_error(name, _("Give this number for a schedule that escalates."))
            data["phases"] = []
        if self.errors:
            return data
        try:
            self.generated = generate_from(parameters_of(data))
        except ScheduleError as error:
            self._generator_error(str(error))
        return data

    def _clean_phases(self, data):
        phases = []
        for i in range(1, PHASE_ROWS + 1):
            hours, weeks = data.get(f"phase_{i}_hours"), data.get(f"phase_{i}_weeks")
            if hours is None and weeks is None:
                continue
            if hours is None or weeks is None:
                self.add_error(
                    f"phase_{i}_hours" if hours is None else f"phase_{i}_weeks",
                    _("Give both the hours a week and the number of weeks."),
                )
                continue
            if hours > data["normal_week_hours"]:
                self.add_error(f"phase_{i}_hours", _("A phase cannot have more hours than the normal weekly hours."))
                continue
            phases.append({"week_hours": float(hours), "weeks": weeks})
        if not phases and not self.errors:
            self.add_error("phase_1_hours", _("Give the hours and weeks of at least one phase."))
        data["phases"] = phases

    def _generator_error(self, message: str) -> None:
        for fragment, name, text in GENERATOR_MESSAGES:
            if fragment in message:
                if name == "step_hours" and self.cleaned_data.get("mode") == ScheduleMode.PHASES:
                    name = "phase_1_weeks"
                self.add_error(name, text)
                return
        self.add_error(None, _("These settings do not give a usable schedule. Check the numbers."))


class DayForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The day is"),
        choices=[
            (DayKind.WORK, DayKind.WORK.label),
            (DayKind.REST, DayKind.REST.label),
            (DayKind.OFF, DayKind.OFF.label),
        ],
    )
    hours = _hours(_("Hours"), low="0", help_text=_("Only for a working day."))
    lock = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, holiday: bool, room: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.holiday, self.room = holiday, room

    def clean(self):
        data = super().clean()
        kind, hours = data.get("kind"), data.get("hours")
        if kind == DayKind.WORK:
            if self.holiday:
                self.add_error("kind", _("This is a public holiday; it cannot be a working day."))
            elif not hours:
                self.add_error("hours", _("A working day needs hours."))
            elif hours > Decimal(str(self.room)):
                self.add_error(
                    "hours",
                    _("That would put the week above the normal weekly hours. At most %(hours)s hours fit on this day.")
                    % {"hours": f"{self.room:g}"},
                )
        elif kind:
            data["hours"] = Decimal(0)
        return data


class ActualForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours worked this week"),
        min_value=0,
        max_value=80,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("Seen by everyone on the case, the employer included. Write about the work, not about health."),
    )
    lock = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MixerForm(forms.Form):
    first_week = forms.IntegerField(label=_("From week"), min_value=1)
    last_week = forms.IntegerField(label=_("To week"), min_value=1)
    colours = forms.MultipleChoiceField(
        label=_("Task colours in this phase"),
        choices=TaskColour.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lock = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, weeks: int, others: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.weeks, self.others = weeks, others
        for name in ("first_week", "last_week"):
            self.fields[name].max_value = max(weeks, 1)
            self.fields[name].validators.append(MaxValueValidator(max(weeks, 1)))
            self.fields[name].widget.attrs["max"] = max(weeks, 1)
        for name, label in DialName.choices:
            self.fields[f"{name}_level"] = forms.TypedChoiceField(label=label, coerce=int, choices=DIAL_LEVELS)
            self.fields[f"{name}_note"] = forms.CharField(
                label=_("%(dial)s in practice") % {"dial": label}, required=False, max_length=300
            )

    @property
    def dial_rows(self):
        return [(self[f"{name}_level"], self[f"{name}_note"]) for name in DialName.values]

    def clean(self):
        data = super().clean()
        first, last = data.get("first_week"), data.get("last_week")
        if first and last:
            if last < first:
                self.add_error("last_week", _("The last week cannot be before the first week."))
            else:
                for other in self.others:
                    if first <= other.last_week and other.first_week <= last:
                        self.add_error(
                            "first_week",
                            _("Weeks %(a)s–%(b)s already have a phase of their own.")
                            % {"a": other.first_week, "b": other.last_week},
                        )
                        break
        data["dials"] = {name: (data.get(f"{name}_level", 0), data.get(f"{name}_note", "")) for name in DialName.values}
        return data


class ChecklistForm(forms.Form):
    lock = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in ChecklistKey.choices:
            self.fields[f"{key}_answer"] = forms.ChoiceField(
                label=label, choices=ChecklistAnswer.choices, required=False
            )
            self.fields[f"{key}_note"] = forms.CharField(label=_("Agreement or note"), required=False, max_length=300)

    @property
    def rows(self):
        return [(self[f"{key}_answer"], self[f"{key}_note"]) for key in ChecklistKey.values]

    def answers(self) -> dict:
        return {
            key: (self.cleaned_data[f"{key}_answer"], self.cleaned_data[f"{key}_note"]) for key in ChecklistKey.values
        }


class TaskForm(forms.Form):
    text = forms.CharField(label=_("Task"), max_length=300)
    colour = forms.ChoiceField(label=_("Colour"), choices=TaskColour.choices)


class RecolourForm(forms.Form):
    colour = forms.ChoiceField(label=_("Colour"), choices=TaskColour.choices)


class ExamplesForm(forms.Form):
    profession = forms.ChoiceField(label=_("Examples for the profession"), choices=PROFESSIONS)


class TemplatesForm(forms.Form):
    """An organisation's own example tasks for one profession: one task per line, per colour."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for colour, label in TaskColour.choices:
            self.fields[colour] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One task per line.")
            )

    def clean(self):
        data = super().clean()
        lines = {}
        for colour in TaskColour.values:
            texts = [line.strip() for line in (data.get(colour) or "").splitlines() if line.strip()]
            if any(len(t) > 300 for t in texts):
                self.add_error(colour, _("A task can be at most 300 characters."))
            elif len(texts) > 30:
                self.add_error(colour, _("At most 30 tasks per colour."))
            lines[colour] = texts
        if not self.errors and not any(lines.values()):
            self.add_error(None, _("Write at least one task, or go back to the examples that ship with Fasthold."))
        data["lines"] = lines
        return data


def default_start(today: dt.date) -> dt.date:
    """Next Monday: a schedule starts at the beginning of a week."""
    return today + dt.timedelta(days=7 - today.weekday())
