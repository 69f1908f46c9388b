"""Programs with criteria and arms, visitations, the prognostic profile and questionnaire responses.

Visitation answers, the profile and questionnaire answers are health data: never shown to the
employer side, every read audited (see views.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from fasthold.cases.models import Case
from fasthold.organisations.models import Organisation
from fasthold.screening import visitation as rules


class CriterionKind(models.TextChoices):
    INCLUSION = rules.INCLUSION, _("Inclusion criterion")
    EXCLUSION = rules.EXCLUSION, _("Exclusion criterion")
    SOMATIC_CHECK = rules.SOMATIC_CHECK, _("Somatic check")


class CriterionSource(models.TextChoices):
    COMPUTED = rules.COMPUTED, _("Computed from the case")
    ANSWERED = rules.ANSWERED, _("Answered at visitation")


class ComputedKey(models.TextChoices):
    WEEKS_MAX = rules.WEEKS_MAX, _("Weeks since the first sick day, at most")
    EMPLOYED_NOT_DISMISSED = rules.EMPLOYED_NOT_DISMISSED, _("Employed and not dismissed")
    CAUSE_GROUP_IS = rules.CAUSE_GROUP_IS, _("Cause group is")
    CAUSE_CATEGORY_IS = rules.CAUSE_CATEGORY_IS, _("Cause is")


class SessionKind(models.TextChoices):
    INDIVIDUAL_PSYCHOLOGIST = "individual_psychologist", _("Individual session with a psychologist")
    GROUP = "group", _("Group session")
    COORDINATION = "coordination", _("Coordination meeting")
    WORKPLACE_POLICY = "workplace_policy", _("Workplace policy work")
    CONVERSATION = "conversation", _("Conversation")
    ASSESSMENT = "assessment", _("Assessment")
    WORKPLACE_CONTACT = "workplace_contact", _("Contact with the workplace")


class Decision(models.TextChoices):
    WAITING = "waiting", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class AllocationMethod(models.TextChoices):
    MANUAL = "manual", _("By hand")
    RANDOM = "random", _("At random")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Program(models.Model):
    """An effort that cases are visited into: criteria decide who fits, arms what they get."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="programs")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    randomised = models.BooleanField(_("randomised"), default=False)
    active = models.BooleanField(_("active"), default=True)
    # Set for the built-in examples, so installing them twice does not duplicate them.
    example_key = models.CharField(max_length=40, blank=True)
    # A short name for the command line (`fasthold evaluate --program SLUG`), made from the name once.
    slug = models.SlugField(max_length=80, unique=True, null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "example_key"], condition=~Q(example_key=""), name="program_example_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.name, Program.objects.exclude(pk=self.pk))
        super().save(*args, **kwargs)


DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def unique_slug(name: str, others) -> str:
    # Danish letters as Danes write them without them (slugify would drop them): "forsøg" is "forsoeg".
    base = slugify(name.translate(DANISH_LETTERS))[:70] or "program"
    slug, n = base, 1
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Criterion(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=16, choices=CriterionKind.choices)
    source = models.CharField(_("source"), max_length=16, choices=CriterionSource.choices)
    computed_key = models.CharField(_("computed from"), max_length=48, choices=ComputedKey.choices, blank=True)
    parameter = models.CharField(_("parameter"), max_length=64, blank=True)
    label = models.CharField(_("criterion"), max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    def spec(self) -> rules.CriterionSpec:
        return rules.CriterionSpec(str(self.pk), self.kind, self.source, self.computed_key, self.parameter)


class Arm(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="arms")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class SessionTemplate(models.Model):
    """One row of an arm's session plan: `count` sessions, `interval_days` apart, from day `offset_days`."""

    arm = models.ForeignKey(Arm, on_delete=models.CASCADE, related_name="session_templates")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=SessionKind.choices)
    count = models.PositiveIntegerField(_("number of sessions"), default=1)
    interval_days = models.PositiveIntegerField(_("days between sessions"), default=7)
    offset_days = models.PositiveIntegerField(_("first session after (days)"), default=0)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def row(self) -> rules.SessionRow:
        return rules.SessionRow(
            self.title, self.kind, self.count, self.interval_days, self.offset_days, self.duration_minutes
        )


class Visitation(models.Model):
    """A case visited into a program: answers, result, decision, arm and drop-out."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visitations")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="visitations")
    # {criterion pk: {"value": true|false|null, "note": "..."}}
    answers = models.JSONField(default=dict, blank=True)
    # The computed facts as they were at the last evaluation: {criterion pk: true|false}
    computed = models.JSONField(default=dict, blank=True)
    result = models.CharField(max_length=16, default=rules.INCOMPLETE)
    failing = models.JSONField(default=list, blank=True)  # criterion pks
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    arm = models.ForeignKey(Arm, null=True, blank=True, on_delete=models.PROTECT, related_name="visitations")
    allocation_method = models.CharField(max_length=8, choices=AllocationMethod.choices, blank=True)
    random_seed = models.BigIntegerField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    dropout_on = models.DateField(_("drop-out date"), null=True, blank=True)
    dropout_reason = models.TextField(_("reason for dropping out"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "program"], name="visitation_case_program_unique")]

    @property
    def is_eligible(self) -> bool:
        return self.result == rules.ELIGIBLE


class PlannedSession(models.Model):
    visitation = models.ForeignKey(Visitation, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=SessionKind.choices)
    number = models.PositiveIntegerField(default=1)
    of = models.PositiveIntegerField(default=1)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED)

    class Meta:
        ordering = ["date", "id"]


class PrognosticProfile(models.Model):
    """Answers to the prognostic checklist (fasthold.screening.prognosis): {key: {answer, note}}."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="prognostic_profile")
    answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class ResponseSource(models.TextChoices):
    PAPER = "paper", _("Paper form entered by staff")
    SELF = "self", _("Filled in by the employee")


class QuestionnaireResponse(models.Model):
    """One administration of an instrument, scored when saved by the pure engine."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="questionnaire_responses")
    instrument_id = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=200)
    # The instrument's name as it was, so a deleted custom scale still reads well.
    instrument_name = models.JSONField(default=dict)
    answers = models.JSONField(default=list)
    raw = models.IntegerField()
    score = models.IntegerField()
    band = models.CharField(max_length=40, blank=True)
    band_label = models.JSONField(default=dict, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    algorithms = models.JSONField(default=dict, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=8, choices=ResponseSource.choices)
    answered_on = models.DateField(_("answered on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_on", "id"]
        # The case's questionnaire page: all responses of one case over time.
        indexes = [models.Index(fields=["case", "instrument_id", "answered_on"], name="response_case_time_idx")]


class CustomScale(models.Model):
    """A coordinator-defined self-rating; `definition` is the dict given to custom_scale()."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="custom_scales")
    instrument_id = models.CharField(max_length=40)
    definition = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument_id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "instrument_id"], name="custom_scale_unique")]


class LicensedInstrument(models.Model):
    """An organisation's own licensed instrument file (e.g. with the official item texts)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="licensed_instruments")
    instrument_id = models.CharField(max_length=40)
    content = models.JSONField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instrument_id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "instrument_id"], name="licensed_instrument_unique")
        ]
