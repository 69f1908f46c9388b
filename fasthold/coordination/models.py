"""Contact agreements ("who calls whom, how often, by which channel") and the contact log."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.cases.models import Audience
from fasthold.coordination import cadence
from fasthold.kernel import EnteredInErrorMixin, EnteredInErrorQuerySet


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting in person")
    VIDEO = "video", _("Video call")


class ContactResponsible(models.TextChoices):
    """Who takes the initiative. The values are the case calendar's (deadlines.models.Responsible)."""

    COORDINATOR = "coordinator", _("The coordinator")
    EMPLOYER = "employer", _("The employer (the manager)")
    EMPLOYEE = "employee", _("The employee")


class ContactAgreement(models.Model):
    """One version of a case's contact agreement. A change adds a version; the history stays.

    `version` numbers a case's agreements 1, 2, 3 … and is also the optimistic lock: a change
    names the version it started from, and (case, version) is unique, so two concurrent changes
    from the same version cannot both be saved.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contact_agreements")
    version = models.PositiveIntegerField()
    current = models.BooleanField(default=True)
    cadence_days = models.PositiveSmallIntegerField(_("contact every (days)"))
    lighter_start_weeks = models.PositiveSmallIntegerField(_("start period (weeks)"), null=True, blank=True)
    lighter_cadence_days = models.PositiveSmallIntegerField(
        _("contact during the start period every (days)"), null=True, blank=True
    )
    responsible = models.CharField(_("who takes the initiative"), max_length=16, choices=ContactResponsible.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    description = models.CharField(_("who calls whom"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="contact_agreement_version_unique"),
            # Consumer: contact_status and calendar_dates read the current agreement per case.
            models.UniqueConstraint(fields=["case"], condition=Q(current=True), name="contact_agreement_one_current"),
        ]

    @property
    def cadence(self) -> cadence.Cadence:
        return cadence.Cadence(self.cadence_days, self.lighter_start_weeks, self.lighter_cadence_days)

    @property
    def has_lighter_start(self) -> bool:
        return self.cadence.has_start


class ContactEntry(EnteredInErrorMixin, models.Model):
    """A contact that took place. The note may hold health text: it carries an audience, and
    employer-side users see only notes for everyone (Audience.ALL)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contacts")
    occurred_on = models.DateField(_("date"))
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # With whom: a participant of the case, the case's coordinator, or a free name. The name is
    # kept as it was, so the log still reads right after a participant is removed.
    participant = models.ForeignKey(
        "cases.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    with_role = models.CharField(max_length=32, blank=True)  # participant role, "coordinator" or ""
    with_name = models.CharField(_("with whom"), max_length=200)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    audience = models.CharField(
        _("who may read the note"), max_length=16, choices=Audience.choices, default=Audience.ALL
    )
    # A contact by or with a health professional is kept from the employer altogether (that the
    # employee sees a psychologist is itself health information) and does not count as contact
    # under the agreement, which is about the employee and the workplace.
    involves_health_professional = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = EnteredInErrorQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # Consumer: the contact log and the last contact of a case (selectors).
            models.Index(fields=["case", "-occurred_on"], name="contact_case_date_idx"),
        ]


class StatementEvent(models.TextChoices):
    """The timeline kind of the fitness-for-work statement (registered in CoordinationConfig.ready())."""

    POSSIBILITY_STATEMENT = "possibility_statement", _("Fitness-for-work statement")


class PossibilityStatement(models.Model):
    """A fitness-for-work statement (mulighedserklæring) on a case, from the request to what was agreed.

    The employer may ask for one at any time; part 1 (the job and what can be adapted) is written by
    the employer together with the employee; part 2 is the doctor's assessment of what the employee can
    and cannot do. Part 1, the dates and the agreement are about the work and are shown to everyone on
    the case. Part 2 is health information: staff, the employee and health professionals see it, the
    employer's people only while the employee shares this statement's part 2 with them
    (`shared_with_manager_at`, `shared_with_hr_at`; coordination.statements decides). A diagnosis is
    never recorded here. A case may have several statements over time.

    `version` is the optimistic lock (fasthold.kernel.update_versioned).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="possibility_statements")
    version = models.PositiveIntegerField(default=1)
    # The request: who asked (a name as written, usually the manager) and when.
    requested_on = models.DateField(_("requested on"))
    requested_by_name = models.CharField(_("requested by"), max_length=200)
    # Part 1: the conversation between employer and employee about the job and what can be adapted.
    conversation_on = models.DateField(_("conversation held on"), null=True, blank=True)
    job_description = models.TextField(_("the job"), max_length=2000, blank=True)
    adaptations = models.TextField(_("what can be adapted"), max_length=2000, blank=True)
    sent_on = models.DateField(_("sent to the doctor on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    # Part 2: the doctor's assessment of functional limits. Health information; never a diagnosis.
    doctor_assessment = models.TextField(_("the doctor's assessment"), max_length=2000, blank=True)
    # What the employer and the employee agreed once the statement was back.
    agreed = models.TextField(_("what was agreed"), max_length=2000, blank=True)
    # The employee's consent to show part 2 to their manager / to HR: when it was given, None when not
    # in force. Who gave or withdrew it, when and how is on the timeline and in the audit log.
    shared_with_manager_at = models.DateTimeField(_("part 2 shared with the manager since"), null=True, blank=True)
    shared_with_hr_at = models.DateTimeField(_("part 2 shared with HR since"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("fitness-for-work statement")
        verbose_name_plural = _("fitness-for-work statements")
        ordering = ["-requested_on", "-id"]
        indexes = [
            # Consumer: the statements of one case, newest first (selectors.statements_of).
            models.Index(fields=["case", "-requested_on"], name="statement_case_date_idx"),
        ]

    @property
    def step(self) -> str:
        """How far the statement has come: the last step recorded."""
        if self.agreed:
            return "agreed"
        if self.received_on or self.doctor_assessment:
            return "received"
        if self.sent_on:
            return "sent"
        if self.conversation_on:
            return "part1"
        return "requested"

    @property
    def has_part1(self) -> bool:
        return bool(self.conversation_on or self.job_description or self.adaptations)
