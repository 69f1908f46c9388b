import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from fasthold.accounts.models import Language
from fasthold.cases import cpr, names, timeline
from fasthold.cases.choices import (
    EMPLOYER_SIDE_ROLES,
    HEALTH_PROFESSIONAL_ROLES,
    AbsenceExtent,
    BenefitCategory,
    CaseStatus,
    CauseCategory,
    CauseGroup,
    EmployerPays,
    EmploymentStatus,
    HealthAgreement,
    Outcome,
    ParticipantRole,
    ProfessionCategory,
    ReferralSource,
    WorkInjury,
)
from fasthold.kernel import ERROR_FIELDS, AppendOnlyCorrectableQuerySet, AppendOnlyModel, EnteredInErrorMixin
from fasthold.organisations.models import EMPLOYER_ROLES, STAFF_ROLES, Membership, Organisation, OrgRole


def validate_cpr(value: str) -> None:
    if value and cpr.birth_date(value) is None:
        raise ValidationError(_("A CPR number is 10 digits whose first six are a real date (DDMMYY)."), code="cpr")


class Person(models.Model):
    """A sick-listed person. Reached only through their cases."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    # The name case-folded in Python: SQLite's LIKE folds only ASCII, so "øster" would miss "Østergaard".
    search_name = models.CharField(max_length=200, editable=False, default="")
    # Special-category identifier: shown masked, revealed on purpose (audited), never logged.
    cpr = models.CharField(_("CPR number"), max_length=10, blank=True, validators=[validate_cpr])
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.DANISH
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = self.name.casefold()
        super().save(*args, **kwargs)

    @property
    def cpr_masked(self) -> str:
        return cpr.mask(self.cpr)


class Employment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    employer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employments",
        limit_choices_to={"kind": "employer"},
        verbose_name=_("employer"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    profession_category = models.CharField(
        _("profession"), max_length=32, choices=ProfessionCategory.choices, default=ProfessionCategory.OTHER
    )
    weekly_hours = models.DecimalField(_("normal weekly hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    status = models.CharField(
        _("employment status"), max_length=32, choices=EmploymentStatus.choices, default=EmploymentStatus.EMPLOYED
    )
    # The last day of the employment. From then on the employer's people lose access to the case.
    ended_on = models.DateField(
        _("employment ended on"),
        null=True,
        blank=True,
        help_text=_("From this day the employer's manager and HR no longer have access to the case."),
    )

    def __str__(self) -> str:
        return f"{self.job_title} ({self.employer or _('no employer')})"

    def has_ended(self, today: dt.date | None = None) -> bool:
        return self.ended_on is not None and self.ended_on <= (today or timezone.localdate())


def employment_current(today: dt.date | None = None, prefix: str = "employment__") -> Q:
    """Cases (or rows reached through `prefix`) whose employment has not ended by today.

    The employer side's access rule; case_access applies the same rule in Python (Employment.has_ended).
    """
    today = today or timezone.localdate()
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": today})


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        """Cases the user may open at all. What they may see inside is fasthold.cases.access.

        The user's memberships, participations and own person are read first (three small
        queries) so the case query itself is a plain, index-friendly filter at any scale.
        """
        if not user.is_authenticated:
            return self.none()
        roles = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        staff_orgs = sorted({org for org, role in roles if role in STAFF_ROLES})
        employer_orgs = {org for org, role in roles if role in EMPLOYER_ROLES}
        health_professional = any(role == OrgRole.HEALTH_PROFESSIONAL for _org, role in roles)
        today = timezone.localdate()
        extra = sorted(
            {
                case_id
                for case_id, role, employer_id, ended_on in Participant.objects.filter(user=user).values_list(
                    "case_id", "role", "case__employment__employer_id", "case__employment__ended_on"
                )
                if (role in HEALTH_PROFESSIONAL_ROLES and health_professional)
                or (
                    role in EMPLOYER_SIDE_ROLES
                    and employer_id in employer_orgs
                    and (ended_on is None or ended_on > today)
                )
            }
        )
        own = list(Person.objects.filter(user=user).values_list("pk", flat=True))
        condition = Q()
        if staff_orgs:
            condition |= Q(organisation_id__in=staff_orgs)
        if extra:
            condition |= Q(pk__in=extra)
        if own:
            condition |= Q(person_id__in=own)
        return self.filter(condition) if condition else self.none()


class Case(models.Model):
    """A return-to-work case, from the first sick day to closure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_cases",
        verbose_name=_("coordinator"),
    )
    employment = models.ForeignKey(Employment, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    # The person's name as the case list sorts it (fasthold.cases.names): kept here so that "by name" walks
    # an index. Written when the case is opened and when the person's name is edited (cases.services).
    sort_name = models.CharField(max_length=names.MAX_LENGTH, editable=False, default="")
    first_sick_day = models.DateField(_("first sick day"))
    cause_category = models.CharField(_("cause"), max_length=32, choices=CauseCategory.choices)
    work_injury = models.CharField(_("work injury"), max_length=32, choices=WorkInjury.choices, default=WorkInjury.NONE)
    absence_extent = models.CharField(
        _("extent of absence"), max_length=8, choices=AbsenceExtent.choices, default=AbsenceExtent.FULL
    )
    absence_hours_per_week = models.DecimalField(
        _("absence hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    employer_pays = models.CharField(
        _("the employer pays in the employer period"),
        max_length=8,
        choices=EmployerPays.choices,
        blank=True,
        help_text=_("Sets the deadline for reporting the absence to the municipality (§ 40). Unknown counts as wages."),
    )
    # Earlier absences with sickness benefit inside the 9 months before the first sick day, as
    # [[first day, last day], ...] ISO dates in order: they count towards the 22 weeks of § 24.
    earlier_absences = models.JSONField(_("earlier absences with sickness benefit"), default=list, blank=True)
    expected_weeks = models.PositiveSmallIntegerField(
        _("expected weeks until full return"),
        null=True,
        blank=True,
        help_text=_("Counted from the first sick day. Several legal deadlines depend on it."),
    )
    referral_source = models.CharField(_("referral source"), max_length=16, choices=ReferralSource.choices)
    benefit_category = models.CharField(
        _("benefit category"), max_length=1, choices=BenefitCategory.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_on = models.DateField(_("closure date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True)
    # Optimistic locking: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-first_sick_day", "-id"]
        indexes = [
            # The case list: one organisation's cases by status, newest first.
            models.Index(fields=["organisation", "status", "first_sick_day"], name="case_list_idx"),
            models.Index(fields=["organisation", "first_sick_day"], name="case_org_sickday_idx"),
            models.Index(fields=["organisation", "sort_name", "id"], name="case_org_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.first_sick_day:%d-%m-%Y})"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.sort_name and self.person_id:
            self.sort_name = names.sort_key(self.person.name)
        super().save(*args, **kwargs)

    @property
    def cause_group(self) -> str:
        return CauseCategory.group_of(self.cause_category)

    def get_cause_group_display(self):
        return CauseGroup(self.cause_group).label

    def weeks_since_first_sick_day(self, today: dt.date | None = None) -> int:
        end = self.closed_on or today or timezone.localdate()
        return max(0, (end - self.first_sick_day).days // 7)

    def earlier_absence_periods(self) -> tuple[tuple[dt.date, dt.date], ...]:
        """The earlier absences as date pairs, in order (for the deadline engine)."""
        return tuple(
            sorted((dt.date.fromisoformat(first), dt.date.fromisoformat(last)) for first, last in self.earlier_absences)
        )

    def get_earlier_absences_display(self) -> str:
        return (
            "; ".join(
                f"{date_format(first, 'SHORT_DATE_FORMAT')} – {date_format(last, 'SHORT_DATE_FORMAT')}"
                for first, last in self.earlier_absence_periods()
            )
            or "–"
        )

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class HealthRecord(models.Model):
    """The health part of a case: special-category data, read-logged, never shown to employers."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="health")
    diagnosis = models.TextField(_("diagnosis in plain words"), blank=True)
    symptoms = models.TextField(_("symptoms"), blank=True)
    treatment = models.TextField(_("treatment"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Participant(models.Model):
    """Someone taking part in a case: an internal user, or an external contact."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=32, choices=ParticipantRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    # A health professional takes part only with the employee's agreement: how it was given, and
    # who recorded it when (fasthold/cases/eligibility.py; the service refuses without it).
    health_agreement = models.CharField(
        _("how the employee agreed"), max_length=16, choices=HealthAgreement.choices, blank=True
    )
    health_agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    health_agreement_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "role", "user"], condition=Q(user__isnull=False), name="participant_user_role_unique"
            ),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="participant_has_user_or_name"),
        ]
        indexes = [models.Index(fields=["user", "role"], name="participant_user_role_idx")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user_id else self.name

    @property
    def is_health_professional(self) -> bool:
        return self.role in HEALTH_PROFESSIONAL_ROLES


class EventKind(models.TextChoices):
    CASE_OPENED = "case_opened", _("Case opened")
    CASE_UPDATED = "case_updated", _("Case updated")
    CASE_CLOSED = "case_closed", _("Case closed")
    CASE_REOPENED = "case_reopened", _("Case reopened")
    PARTICIPANT_ADDED = "participant_added", _("Participant added")
    PARTICIPANT_REMOVED = "participant_removed", _("Participant removed")
    HEALTH_UPDATED = "health_updated", _("Health information updated")
    NOTE = "note", _("Note")
    STEP_PLACED = "step_placed", _("Step on the step model recorded")
    PLAN_CREATED = "plan_created", _("Plan created")
    PLAN_REVISED = "plan_revised", _("Plan revision started")
    PLAN_PUBLISHED = "plan_published", _("Plan version made current")
    PLAN_AGREED = "plan_agreed", _("The employee agreed to the plan")
    PLAN_COMMENTED = "plan_commented", _("Comment on the plan")
    PLAN_PROPOSAL = "plan_proposal", _("The manager proposed a change to the plan")
    PLAN_PROPOSAL_ACCEPTED = "plan_proposal_accepted", _("A proposed change was accepted")
    PLAN_PROPOSAL_DECLINED = "plan_proposal_declined", _("A proposed change was declined")
    CONTACT_AGREEMENT = "contact_agreement", _("Contact agreement changed")
    CONTACT_LOGGED = "contact_logged", _("Contact")
    MEETING_PLANNED = "meeting_planned", _("Meeting planned")
    MEETING_CHANGED = "meeting_changed", _("Meeting changed")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MEETING_HELD = "meeting_held", _("Meeting minutes written")
    AGREEMENTS_CONFIRMED = "agreements_confirmed", _("Agreements confirmed")
    CONSENT_CHANGED = "consent_changed", _("Consent changed")
    COLLEAGUE_MESSAGE = "colleague_message", _("Colleague information")
    ENTERED_IN_ERROR = "entered_in_error", _("Marked as entered in error")
    COORDINATOR_REASSIGNED = "coordinator_reassigned", _("New coordinator")


class Audience(models.TextChoices):
    """Who may see a timeline event. Employer-side users see only ALL."""

    ALL = "all", _("Everyone on the case")
    PROFESSIONALS = "professionals", _("Coordinator, employee and health professionals")


class TimelineEvent(AppendOnlyModel, EnteredInErrorMixin):
    """Append-only history of a case. Params hold field names and labels, never health text.
    A note may be marked as entered in error (fasthold.cases.corrections): its only amendable fields."""

    amendable_fields = ERROR_FIELDS
    objects = AppendOnlyCorrectableQuerySet.as_manager()

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    # Kinds come from the timeline registry (each app registers its own); an unregistered kind is refused.
    kind = models.CharField(max_length=32, validators=[timeline.validate_kind])
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.ALL)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        # The case page's timeline: newest events of one case.
        indexes = [models.Index(fields=["case", "-occurred_at"], name="event_case_time_idx")]

    def save(self, *args, **kwargs):
        timeline.validate_kind(self.kind)
        super().save(*args, **kwargs)


class Handover(models.Model):
    """A case passed to a new coordinator, with the note the old one (or an administrator) wrote for the
    new one. The note may hold case text: it is shown to the case-owning organisation's staff only, and
    the audit log names the change, never the note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("handover note"), max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
