"""Graded return schedules in the product: a schedule belongs to a plan version (and is copied when the
plan is revised), stores the generator's parameters or explicit phases, and single-day adjustments
on top. Actual hours, tasks and the example task lists belong to the case and the organisation.

Everything here is functional information the employer may see: hours, dials, tasks. No health text."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fasthold.cases.choices import ProfessionCategory
from fasthold.cases.models import Case
from fasthold.organisations.models import Organisation
from fasthold.plans.models import PlanVersion
from fasthold.schedules import generator

WEEKDAY_LABELS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
WEEKDAY_SHORT = {
    "mon": _("Mon"),
    "tue": _("Tue"),
    "wed": _("Wed"),
    "thu": _("Thu"),
    "fri": _("Fri"),
    "sat": _("Sat"),
    "sun": _("Sun"),
}


class ScheduleMode(models.TextChoices):
    GENERATED = "generated", _("Escalate the hours per day step by step")
    PHASES = "phases", _("Fixed weekly hours in phases")


class DayKind(models.TextChoices):
    WORK = "work", _("Work")
    REST = "rest", _("Restitution day")
    HOLIDAY = "holiday", _("Public holiday")
    OFF = "off", _("Day off")


class ReturnSchedule(models.Model):
    """The graded return schedule (optrapningsplan) of one plan version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan_version = models.OneToOneField(PlanVersion, on_delete=models.CASCADE, related_name="schedule")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="return_schedules")
    mode = models.CharField(
        _("kind of schedule"), max_length=16, choices=ScheduleMode.choices, default=ScheduleMode.GENERATED
    )
    start_date = models.DateField(_("first day"))
    workdays = models.CharField(_("working days"), max_length=40, default="mon,tue,wed,thu,fri")
    rest_days = models.CharField(_("restitution days"), max_length=40, blank=True)
    normal_week_hours = models.DecimalField(_("normal weekly hours"), max_digits=4, decimal_places=1)
    holidays = models.CharField(_("public holidays"), max_length=8, default="dk")
    quantum = models.DecimalField(_("round hours to"), max_digits=3, decimal_places=2, default=Decimal("0.5"))
    # The escalation (mode "generated").
    start_hours = models.DecimalField(_("hours per day at the start"), max_digits=4, decimal_places=2, null=True)
    step_hours = models.DecimalField(_("more hours per day at each step"), max_digits=4, decimal_places=2, null=True)
    step_weeks = models.PositiveSmallIntegerField(_("weeks per step"), default=1)
    max_day_hours = models.DecimalField(_("most hours in a day"), max_digits=4, decimal_places=2, null=True)
    max_consecutive_days = models.PositiveSmallIntegerField(_("most working days in a row"), null=True, blank=True)
    rest_days_end = models.CharField(_("restitution days end"), max_length=8, default="never")
    rest_day_start_hours = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    target_week_hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    # Explicit phases (mode "phases"): [{"week_hours": 10.0, "weeks": 2}, ...] over the working days
    # that are not restitution days.
    phases = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic lock for every edit of the schedule, its days, its mixer and its checklist.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["case"], name="schedule_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.plan_version_id}"

    @property
    def workday_list(self) -> tuple[str, ...]:
        return generator.parse_weekdays(self.workdays)

    @property
    def rest_day_list(self) -> tuple[str, ...]:
        return generator.parse_weekdays(self.rest_days)

    def generate(self) -> generator.Schedule:
        """The generator's output for the stored parameters, without the single-day adjustments."""
        return generate_from(parameters_of(self))


def _num(value):
    return None if value is None else float(value)


# The generator's settings of an escalating schedule, as the form shows them.
GENERATOR_FIELDS = (
    "start_hours",
    "step_hours",
    "step_weeks",
    "max_day_hours",
    "max_consecutive_days",
    "rest_days_end",
    "rest_day_start_hours",
    "target_week_hours",
    "end_date",
)
# The stored parameter fields of a schedule (what the form edits).
PARAMETER_FIELDS = (
    "mode",
    "start_date",
    "workdays",
    "rest_days",
    "normal_week_hours",
    "holidays",
    "quantum",
    *GENERATOR_FIELDS,
    "phases",
)


def parameters_of(obj) -> dict:
    """The stored parameters as plain values (from a ReturnSchedule or a form's cleaned data)."""
    get = obj.get if isinstance(obj, dict) else (lambda name, default=None: getattr(obj, name, default))
    workdays = get("workdays")
    rest_days = get("rest_days") or ()
    return {
        "mode": get("mode"),
        "start_date": get("start_date"),
        "workdays": generator.parse_weekdays(workdays) if isinstance(workdays, str) else tuple(workdays or ()),
        "rest_days": generator.parse_weekdays(rest_days) if isinstance(rest_days, str) else tuple(rest_days),
        "normal_week_hours": _num(get("normal_week_hours")),
        "holidays": get("holidays") or "dk",
        "quantum": _num(get("quantum")) or 0.5,
        "start_hours": _num(get("start_hours")),
        "step_hours": _num(get("step_hours")),
        "step_weeks": get("step_weeks") or 1,
        "max_day_hours": _num(get("max_day_hours")),
        "max_consecutive_days": get("max_consecutive_days"),
        "rest_days_end": get("rest_days_end") or "never",
        "rest_day_start_hours": _num(get("rest_day_start_hours")),
        "target_week_hours": _num(get("target_week_hours")),
        "end_date": get("end_date"),
        "phases": [{"week_hours": float(p["week_hours"]), "weeks": int(p["weeks"])} for p in (get("phases") or [])],
    }


def generate_from(p: dict) -> generator.Schedule:
    """Call the pure generator with stored parameters. Raises generator.ScheduleError."""
    if p["mode"] == ScheduleMode.PHASES:
        days = tuple(d for d in p["workdays"] if d not in p["rest_days"])
        return generator.schedule_from_phases(
            p["start_date"],
            [generator.Phase(week_hours=ph["week_hours"], days=days, weeks=ph["weeks"]) for ph in p["phases"]],
            workdays=p["workdays"],
            normal_week_hours=p["normal_week_hours"],
            holidays=p["holidays"],
            quantum=p["quantum"],
        )
    return generator.generate_schedule(
        p["start_date"],
        workdays=p["workdays"],
        start_hours=p["start_hours"],
        step_hours=p["step_hours"],
        max_day_hours=p["max_day_hours"],
        step_weeks=p["step_weeks"],
        rest_days=p["rest_days"],
        normal_week_hours=p["normal_week_hours"],
        max_consecutive_days=p["max_consecutive_days"],
        rest_days_end=p["rest_days_end"],
        rest_day_start_hours=p["rest_day_start_hours"],
        target_week_hours=p["target_week_hours"],
        end_date=p["end_date"],
        holidays=p["holidays"],
        quantum=p["quantum"],
    )


class ScheduleDayOverride(models.Model):
    """One day adjusted by hand, applied on top of the generated schedule."""

    schedule = models.ForeignKey(ReturnSchedule, on_delete=models.CASCADE, related_name="overrides")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2, default=0)
    kind = models.CharField(_("kind of day"), max_length=8, choices=DayKind.choices)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["schedule", "date"], name="schedule_override_unique")]


class ActualWeek(models.Model):
    """Hours actually worked in a week, recorded by the employee, the manager or the coordinator.

    Belongs to the case, not to a plan version: what happened stays true when the plan is revised."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actual_weeks")
    week_start = models.DateField(_("week starting"))
    hours = models.DecimalField(_("hours worked"), max_digits=4, decimal_places=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(fields=["case", "week_start"], name="actual_week_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="actual_week_hours_not_negative"),
        ]


class DialName(models.TextChoices):
    HOURS = "hours", _("Hours")
    SETTING = "setting", _("Physical setting")
    TASKS = "tasks", _("Tasks")
    RESPONSIBILITY = "responsibility", _("Responsibility")
    PREDICTABILITY = "predictability", _("Predictability")
    INTENSITY = "intensity", _("Work intensity")


DIAL_LEVELS = [
    (0, _("0 – large accommodation need")),
    (1, _("1 – clear accommodation need")),
    (2, _("2 – some accommodation")),
    (3, _("3 – close to ordinary terms")),
    (4, _("4 – ordinary terms")),
]
DIAL_MAX = 4


class TaskColour(models.TextChoices):
    GREEN = "green", _("Green: manageable from the start")
    YELLOW = "yellow", _("Yellow: manageable soon")
    RED = "red", _("Red: later, not now")


COLOUR_ORDER = [TaskColour.GREEN, TaskColour.YELLOW, TaskColour.RED]


class MixerSetting(models.Model):
    """The mixer console (mixerpult) for one phase of the schedule: a range of weeks."""

    schedule = models.ForeignKey(ReturnSchedule, on_delete=models.CASCADE, related_name="mixer_settings")
    first_week = models.PositiveSmallIntegerField(_("from week"))
    last_week = models.PositiveSmallIntegerField(_("to week"))
    # Which task colours are in for this phase: a list of TaskColour values.
    colours = models.JSONField(_("task colours in this phase"), default=list, blank=True)

    class Meta:
        ordering = ["first_week", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(last_week__gte=models.F("first_week")), name="mixer_weeks_in_order")
        ]


class Dial(models.Model):
    setting = models.ForeignKey(MixerSetting, on_delete=models.CASCADE, related_name="dials")
    name = models.CharField(max_length=16, choices=DialName.choices)
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    note = models.CharField(_("what it means in practice"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["setting", "name"], name="dial_unique"),
            models.CheckConstraint(condition=Q(level__lte=DIAL_MAX), name="dial_level_range"),
        ]

    @property
    def order(self) -> int:
        return DialName.values.index(self.name)


class TaskItem(models.Model):
    """One of the employee's tasks, coloured by how manageable it is now."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="task_items")
    text = models.CharField(_("task"), max_length=300)
    colour = models.CharField(_("colour"), max_length=8, choices=TaskColour.choices)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]


class TaskTemplate(models.Model):
    """An example task for a profession. Rows without an organisation ship with Fasthold; an
    organisation's own rows for a profession and language replace the shipped ones for its cases."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="task_templates"
    )
    profession_category = models.CharField(max_length=32, choices=ProfessionCategory.choices)
    language = models.CharField(max_length=2, default="da")
    colour = models.CharField(max_length=8, choices=TaskColour.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        # Copying examples into a case: one profession and language, the organisation's or the shipped.
        indexes = [models.Index(fields=["profession_category", "language", "organisation"], name="task_template_idx")]


class ChecklistKey(models.TextChoices):
    """What a graded return plan must consider."""

    SLOW_START_HOURS = "slow_start_hours", _("A slow start in hours")
    SLOW_START_DAYS = "slow_start_days", _("A slow start in working days in a row")
    RESTITUTION = "restitution", _("Restitution, for example days placed to lengthen the weekend")
    CONFRONTATION = "confrontation", _("Hours with customers, citizens, users, children or parents")
    TASK_AMOUNT = "task_amount", _("The amount and complexity of the tasks")
    REASSIGNMENT = "reassignment", _("Other tasks or another place to work for a time")
    RESPONSIBILITY = "responsibility", _("How much responsibility")
    NO_SHORT_DEADLINES = "no_short_deadlines", _("No tasks with short deadlines")
    NO_PRESENTATIONS = "no_presentations", _("No tasks that demand presenting or performing")


class ChecklistAnswer(models.TextChoices):
    UNANSWERED = "", _("Not considered yet")
    YES = "yes", _("Yes, agreed")
    NO = "no", _("No")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class AccommodationItem(models.Model):
    """One line of the schedule's accommodation checklist."""

    schedule = models.ForeignKey(ReturnSchedule, on_delete=models.CASCADE, related_name="checklist")
    key = models.CharField(max_length=32, choices=ChecklistKey.choices)
    answer = models.CharField(max_length=16, choices=ChecklistAnswer.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["schedule", "key"], name="checklist_item_unique")]

    @property
    def order(self) -> int:
        return ChecklistKey.values.index(self.key)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
