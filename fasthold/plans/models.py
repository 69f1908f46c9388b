"""The return plan: the step model, versioned plans (goal, sub-goals, activities), measurements,
the employee's agreement and comments, the manager's proposals, and the retention tools catalogue."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fasthold.cases.models import Case, Participant
from fasthold.kernel import ERROR_FIELDS, AppendOnlyCorrectableQuerySet, AppendOnlyModel, EnteredInErrorMixin
from fasthold.plans import indicators


class StepTrack(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    UNEMPLOYED = "unemployed", _("Unemployed")


TOP_STEP = {StepTrack.EMPLOYED: 4, StepTrack.UNEMPLOYED: 3}

# What each step means, in plain words. Highest step first, as the staircase is drawn.
STEP_MEANINGS = {
    StepTrack.EMPLOYED: {
        4: _("Partial return to work: fewer hours, or adjusted setting, pace or demands."),
        3: _("Company internship leading to partial return, expected to be realistic when the internship ends."),
        2: _(
            "Company internship, usually at the own workplace, while it is unclear when partial return will be realistic."
        ),
        1: _("Support first, for example a mentor, before any of the other steps can start."),
    },
    StepTrack.UNEMPLOYED: {
        3: _("Company internship leading to a job or a job with wage subsidy."),
        2: _("Company internship."),
        1: _("Support first, for example a mentor, before any of the other steps can start."),
    },
}


def step_meaning(track: str, step: int) -> str:
    return str(STEP_MEANINGS.get(track, {}).get(step, ""))


class StepPlacement(AppendOnlyModel):
    """One move on the step model. Append-only: the history shows progress and setbacks."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="step_placements")
    placed_on = models.DateField(_("date"))
    track = models.CharField(_("track"), max_length=16, choices=StepTrack.choices)
    step = models.PositiveSmallIntegerField(_("step"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(step__gte=1, step__lte=4) & (Q(track="employed") | Q(step__lte=3)),
                name="step_within_track",
            )
        ]
        # The plan page: one case's placements in date order.
        indexes = [models.Index(fields=["case", "placed_on"], name="step_case_date_idx")]

    @property
    def meaning(self) -> str:
        return step_meaning(self.track, self.step)


class RetentionTool(models.Model):
    """A legal or practical tool for keeping someone in work. Edited by administrators."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_da = models.TextField(_("what it is (Danish)"))
    description_en = models.TextField(_("what it is (English)"))
    when_used_da = models.TextField(_("when it is used (Danish)"))
    when_used_en = models.TextField(_("when it is used (English)"))
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "key"]

    def _in_language(self, field: str) -> str:
        lang = (get_language() or "da")[:2]
        return getattr(self, f"{field}_{'en' if lang == 'en' else 'da'}")

    @property
    def name(self) -> str:
        return self._in_language("name")

    @property
    def description(self) -> str:
        return self._in_language("description")

    @property
    def when_used(self) -> str:
        return self._in_language("when_used")

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A case's plan. Its content lives in versions; a version is revised, never overwritten."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    # Guards structural moves (revise, publish, accept a proposal) against double submission.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason for the change"))
    goal = models.TextField(_("goal"))
    goal_target_date = models.DateField(_("goal target date"))
    evaluation_date = models.DateField(_("evaluation date"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreed by the employee"), null=True, blank=True)
    # Optimistic lock for edits of a draft: every edit names the counter it started from.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.UniqueConstraint(fields=["plan"], condition=Q(status="draft"), name="plan_one_draft"),
            models.UniqueConstraint(fields=["plan"], condition=Q(status="current"), name="plan_one_current"),
        ]
        # evaluation_dates(): the current version of many cases at once.
        indexes = [models.Index(fields=["status", "plan"], name="plan_version_status_idx")]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status == VersionStatus.CURRENT


class SubGoalArea(models.TextChoices):
    HOURS = "hours", _("Hours")
    TASKS = "tasks", _("Tasks")
    RESPONSIBILITY = "responsibility", _("Responsibility")
    SOCIAL = "social", _("Social participation")
    HEALTH = "health", _("Health")
    OTHER = "other", pgettext_lazy("sub-goal area", "Other")


class IndicatorKind(models.TextChoices):
    NONE = "none", _("No indicator")
    SCALE = "scale", _("Scale")
    MILESTONE = "milestone", _("Yes/no milestone")


class SubGoal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The same sub-goal across versions: measurements follow it through revisions.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sub_goals")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("sub-goal"))
    target_date = models.DateField(_("target date"))
    area = models.CharField(_("area"), max_length=16, choices=SubGoalArea.choices, default=SubGoalArea.OTHER)
    work_related = models.BooleanField(
        _("work-related (shown to the employer)"),
        default=True,
    )
    indicator = models.CharField(
        _("indicator"), max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.NONE
    )
    unit = models.CharField(_("what is measured"), max_length=80, blank=True)
    scale_min = models.DecimalField(
        _("lowest value on the scale"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    scale_max = models.DecimalField(
        _("highest value on the scale"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    start_value = models.DecimalField(_("start value"), max_digits=6, decimal_places=1, null=True, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=6, decimal_places=1, null=True, blank=True)
    milestone_reached_on = models.DateField(_("milestone reached on"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    @property
    def is_scale(self) -> bool:
        return self.indicator == IndicatorKind.SCALE

    @property
    def direction(self) -> str:
        return indicators.direction(self.start_value, self.target_value) if self.is_scale else ""

    @property
    def number(self) -> int:
        return self.position + 1


class ActivityKind(models.TextChoices):
    WORKPLACE = "workplace", _("At the workplace")
    TREATMENT = "treatment", _("Treatment or health")
    OTHER = "other", pgettext_lazy("activity kind", "Other")


class Activity(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(default=0)
    what = models.TextField(_("what"))
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices, default=ActivityKind.WORKPLACE)
    responsible_participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible participant"),
    )
    responsible_text = models.CharField(_("responsible (someone not in the case)"), max_length=200, blank=True)
    frequency = models.CharField(_("how often and how long"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    sub_goals = models.ManyToManyField(
        SubGoal, related_name="activities", blank=True, verbose_name=_("supports sub-goals")
    )
    tool = models.ForeignKey(
        RetentionTool,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("retention tool"),
    )

    class Meta:
        ordering = ["position", "id"]

    @property
    def is_treatment(self) -> bool:
        return self.kind == ActivityKind.TREATMENT

    @property
    def responsible(self) -> str:
        if self.responsible_participant_id:
            return self.responsible_participant.display_name
        return self.responsible_text


class Measurement(AppendOnlyModel, EnteredInErrorMixin):
    """One score on a sub-goal's scale. Append-only; a score entered in error is marked, kept, and
    no longer counts (every indicator reads `valid()`)."""

    amendable_fields = ERROR_FIELDS
    objects = AppendOnlyCorrectableQuerySet.as_manager()

    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, related_name="measurements")
    lineage = models.UUIDField(db_index=True)
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=1)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "id"]


class PlanChange(models.Model):
    """Who changed what in a version. Names of sections and fields, never their text."""

    class Action(models.TextChoices):
        CREATED = "created", _("created the version")
        GOAL_EDITED = "goal_edited", _("changed the goal")
        SUB_GOAL_ADDED = "sub_goal_added", _("added a sub-goal")
        SUB_GOAL_EDITED = "sub_goal_edited", _("changed a sub-goal")
        SUB_GOAL_REMOVED = "sub_goal_removed", _("removed a sub-goal")
        ACTIVITY_ADDED = "activity_added", _("added an activity")
        ACTIVITY_EDITED = "activity_edited", _("changed an activity")
        ACTIVITY_REMOVED = "activity_removed", _("removed an activity")
        PROPOSAL_ACCEPTED = "proposal_accepted", _("accepted the manager's proposal")
        PUBLISHED = "published", _("made the version current")
        AGREED = "agreed", _("agreed to the version")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=32, choices=Action.choices)
    # Which item (sub-goal 2, activity 3) and which fields: positions and names only.
    item = models.PositiveSmallIntegerField(null=True, blank=True)
    fields = models.JSONField(default=list, blank=True)
    # Whether the change concerns something hidden from the employer.
    private = models.BooleanField(default=False)

    class Meta:
        ordering = ["occurred_at", "id"]


class PlanComment(models.Model):
    """The employee's (or a professional's) comment on a version. Never shown to the employer."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Proposal(models.Model):
    """The manager's proposed change to the workplace activities; the coordinator decides."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="proposals")
    based_on = models.ForeignKey(PlanVersion, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("proposed change"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("answer to the manager"), blank=True)
    accepted_into = models.ForeignKey(PlanVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
