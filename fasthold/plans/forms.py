"""Every input rule of the plan, at the field, in the user's language."""

import datetime as dt

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.cases.choices import HEALTH_PROFESSIONAL_ROLES, EmploymentStatus
from fasthold.cases.forms import DateInput
from fasthold.cases.models import Case
from fasthold.forms import BoundedModelMultipleChoiceField
from fasthold.plans import indicators
from fasthold.plans.models import (
    TOP_STEP,
    Activity,
    ActivityKind,
    IndicatorKind,
    PlanVersion,
    RetentionTool,
    StepTrack,
    SubGoal,
    SubGoalArea,
)

SCALE_MESSAGES = {
    "required": _("Give all four numbers of the scale."),
    "max_not_above_min": _("The highest value must be above the lowest."),
    "outside": _("The value must lie on the scale, between the lowest and the highest value."),
    "equals_start": _("The target must differ from the start value, or there is nothing to move towards."),
}


def _not_future(day: dt.date, message) -> dt.date:
    if day and day > timezone.localdate():
        raise forms.ValidationError(message, code="future")
    return day


def lock_field() -> forms.IntegerField:
    """The version an edit started from (optimistic locking)."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LockForm(forms.Form):
    lock = lock_field()


class StepForm(forms.Form):
    placed_on = forms.DateField(label=_("Date"), widget=DateInput())
    track = forms.ChoiceField(label=_("The person is"), choices=StepTrack.choices)
    step = forms.TypedChoiceField(
        label=_("Step"),
        coerce=int,
        choices=[(4, _("Step 4")), (3, _("Step 3")), (2, _("Step 2")), (1, _("Step 1"))],
        help_text=_("Start on the highest step that is possible. Step 4 exists only for employed people."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Why this step now: progress, a setback, a new agreement."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    @staticmethod
    def initial_for(case: Case, last=None) -> dict:
        track = (
            last.track
            if last
            else (
                StepTrack.UNEMPLOYED
                if case.employment and case.employment.status == EmploymentStatus.UNEMPLOYED
                else StepTrack.EMPLOYED
            )
        )
        return {"placed_on": timezone.localdate(), "track": track, "step": last.step if last else TOP_STEP[track]}

    def clean_placed_on(self):
        day = _not_future(self.cleaned_data["placed_on"], _("The date cannot be in the future."))
        if day < self.case.first_sick_day:
            raise forms.ValidationError(_("The date cannot be before the first sick day."), code="before")
        return day

    def clean(self):
        data = super().clean()
        track, step = data.get("track"), data.get("step")
        if track and step and step > TOP_STEP[track]:
            self.add_error(
                "step", _("Step 4 (partial return) is only for employed people. Unemployed people have steps 1–3.")
            )
        return data


class GoalForm(forms.Form):
    goal = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The long-term goal, in words everyone understands."),
    )
    goal_target_date = forms.DateField(label=_("Goal reached by"), widget=DateInput())
    evaluation_date = forms.DateField(
        label=_("Evaluate the plan on"),
        widget=DateInput(),
        required=False,
        help_text=_("The date the plan is followed up. It appears in the case calendar."),
    )

    def clean(self):
        data = super().clean()
        target, evaluation = data.get("goal_target_date"), data.get("evaluation_date")
        if target and evaluation and evaluation > target:
            self.add_error("evaluation_date", _("Evaluate the plan before the goal's date, not after it."))
        return data


class GoalEditForm(GoalForm):
    lock = lock_field()


def _item_field(field, **kwargs):
    """A sub-goal's or an activity's form field: dates are date pickers, long texts three rows high."""
    if isinstance(field, models.DateField):
        kwargs.setdefault("widget", DateInput())
    elif isinstance(field, models.TextField):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return field.formfield(**kwargs)


class SubGoalForm(forms.ModelForm):
    lock = lock_field()

    class Meta:
        model = SubGoal
        fields = [
            "text",
            "target_date",
            "area",
            "work_related",
            "indicator",
            "unit",
            "scale_min",
            "scale_max",
            "start_value",
            "target_value",
            "milestone_reached_on",
        ]
        formfield_callback = _item_field
        help_texts = {
            "area": _("Sub-goals can be about hours, tasks, responsibility or social participation – not only hours."),
            "work_related": _("Only work-related sub-goals are shown to the employer. Health sub-goals never are."),
            "unit": _("For example: pain, or belief in own skills."),
            "start_value": _("The score today."),
            "target_value": _("The score the sub-goal aims at. It may be lower than the start (pain 8 → 3)."),
        }

    def __init__(self, *args, plan_version: PlanVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_version = plan_version
        for name in ("scale_min", "scale_max", "start_value", "target_value"):
            self.fields[name].widget.attrs.update({"step": "0.5", "inputmode": "decimal"})
        if not self.instance.pk:
            self.initial.setdefault("scale_min", 0)
            self.initial.setdefault("scale_max", 10)
            # Shown to the employer only when ticked on purpose: pre-ticked, a health sub-goal was refused
            # for a box the coordinator never ticked.
            self.initial["work_related"] = False

    def clean_target_date(self):
        day = self.cleaned_data["target_date"]
        if day > self.plan_version.goal_target_date:
            raise forms.ValidationError(
                _("A sub-goal must be reached no later than the goal (%(date)s).")
                % {"date": self.plan_version.goal_target_date.strftime("%d-%m-%Y")},
                code="after_goal",
            )
        return day

    def clean(self):
        data = super().clean()
        if data.get("area") == SubGoalArea.HEALTH and data.get("work_related"):
            self.add_error("work_related", _("A health sub-goal is never shown to the employer. Untick the box."))
        if data.get("indicator") == IndicatorKind.SCALE:
            if not (data.get("unit") or "").strip():
                self.add_error("unit", _("Say what the scale measures."))
            names = ("scale_min", "scale_max", "start_value", "target_value")
            if not any(n in self.errors for n in names):
                problems = indicators.scale_problems(*(data.get(n) for n in names))
                for name, code in problems.items():
                    self.add_error(name, forms.ValidationError(SCALE_MESSAGES[code], code=code))
        else:
            for name in ("unit", "scale_min", "scale_max", "start_value", "target_value"):
                data[name] = "" if name == "unit" else None
        if data.get("indicator") != IndicatorKind.MILESTONE:
            data["milestone_reached_on"] = None
        return data


class ActivityForm(forms.ModelForm):
    lock = lock_field()

    class Meta:
        model = Activity
        fields = [
            "what",
            "kind",
            "responsible_participant",
            "responsible_text",
            "frequency",
            "starts_on",
            "ends_on",
            "sub_goals",
            "tool",
        ]
        formfield_callback = _item_field
        widgets = {"sub_goals": forms.CheckboxSelectMultiple}
        field_classes = {"sub_goals": BoundedModelMultipleChoiceField}  # a huge id is a 400, not a 500
        help_texts = {
            "kind": _(
                "Treatment and health activities (for example sessions with a psychologist) are never shown to the employer."
            ),
            "responsible_text": _("Only if the responsible person does not take part in the case."),
            "frequency": _("For example: 15 hours a week for 4 weeks, then more."),
        }

    def __init__(self, *args, plan_version: PlanVersion, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_participant"].queryset = case.participants.select_related("user")
        self.fields["responsible_participant"].label_from_instance = lambda p: (
            f"{p.display_name} ({p.get_role_display()})"
        )
        self.fields["sub_goals"].queryset = plan_version.sub_goals.all()
        self.fields["sub_goals"].label_from_instance = lambda s: f"{s.number}. {s.text[:80]}"
        tools = RetentionTool.objects.filter(active=True)
        if self.instance.tool_id:
            tools = RetentionTool.objects.filter(pk=self.instance.tool_id) | tools
        self.fields["tool"].queryset = tools
        self.fields["tool"].label_from_instance = lambda t: t.name

    def clean(self):
        data = super().clean()
        participant, text = data.get("responsible_participant"), (data.get("responsible_text") or "").strip()
        data["responsible_text"] = text
        if not participant and not text:
            self.add_error("responsible_participant", _("Choose who is responsible, or write their name below."))
        elif participant and text:
            self.add_error("responsible_text", _("Leave this empty when you choose a participant."))
        if participant and participant.role in HEALTH_PROFESSIONAL_ROLES and data.get("kind") == ActivityKind.WORKPLACE:
            self.add_error("kind", _("An activity led by a health professional is a treatment or health activity."))
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data


class ReviseForm(LockForm):
    reason = forms.CharField(
        label=_("Why is the plan being revised?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Everyone on the case sees the reason."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Your proposed change to the activities at the workplace"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("For example other tasks, other hours, or a colleague who can help. The coordinator decides."),
    )


class DecisionForm(LockForm):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Answer to the manager"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(label=_("Date"), widget=DateInput())
    value = forms.DecimalField(label=_("Score"), max_digits=6, decimal_places=1)

    def __init__(self, *args, sub_goal: SubGoal, **kwargs):
        super().__init__(*args, **kwargs)
        self.sub_goal = sub_goal
        self.fields["value"].label = sub_goal.unit or _("Score")
        self.fields["value"].help_text = _("From %(low)s to %(high)s.") % {
            "low": indicators.fmt(sub_goal.scale_min),
            "high": indicators.fmt(sub_goal.scale_max),
        }
        self.fields["value"].widget.attrs.update(
            {
                "min": sub_goal.scale_min,
                "max": sub_goal.scale_max,
                "step": "0.5",
                "inputmode": "decimal",
            }
        )

    def clean_measured_on(self):
        return _not_future(self.cleaned_data["measured_on"], _("The date cannot be in the future."))

    def clean_value(self):
        value = self.cleaned_data["value"]
        sg = self.sub_goal
        if not indicators.within(value, sg.scale_min, sg.scale_max):
            raise forms.ValidationError(
                _("The score must be between %(low)s and %(high)s.")
                % {"low": indicators.fmt(sg.scale_min), "high": indicators.fmt(sg.scale_max)},
                code="outside",
            )
        return value


class RetentionToolForm(forms.ModelForm):
    lock = lock_field()

    class Meta:
        model = RetentionTool
        fields = ["name_da", "name_en", "description_da", "description_en", "when_used_da", "when_used_en", "active"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("description_da", "description_en", "when_used_da", "when_used_en")
        }
