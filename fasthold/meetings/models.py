"""Meetings about a case: joint and round-table meetings, follow-up and absence conversations.

A meeting has attendees chosen from the case's participants (plus the coordinator), an ordered
agenda, minutes, agreements and each attendee's confirmation of those agreements. Confirmations
name the text hash of the agreements they confirmed, so a later change asks everyone again.
"""

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.cases.choices import HEALTH_PROFESSIONAL_ROLES, ParticipantRole
from fasthold.cases.models import Case, Participant
from fasthold.kernel import EnteredInErrorMixin, EnteredInErrorQuerySet

COORDINATOR_ROLE = "coordinator"


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("Joint meeting")
    ROUND_TABLE = "round_table", _("Round-table meeting")
    FOLLOW_UP = "follow_up", _("Follow-up conversation")
    ABSENCE_CONVERSATION = "absence_conversation", _("Absence conversation")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    # A planned meeting that will never be held (its time passed unheld, or it duplicates another):
    # closed by staff with a reason, out of every list of upcoming meetings and the calendar.
    CLOSED = "closed", _("Closed as stale or duplicate")


class ClosedReason(models.TextChoices):
    STALE = "stale", _("It was never held")
    DUPLICATE = "duplicate", _("It duplicates another meeting")


class MeetingQuerySet(models.QuerySet):
    def with_attendee(self, user) -> "MeetingQuerySet":
        """Meetings the user is invited to (by login)."""
        return self.filter(attendees__user=user).distinct()


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind of meeting"), max_length=32, choices=MeetingKind.choices, default=MeetingKind.JOINT)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=60)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    # The purpose goes to everyone invited, in the invitation too: no health text.
    purpose = models.TextField(_("purpose"))
    purpose_agreed_on = models.DateField(_("purpose agreed with the employee on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    # For the coordinator, the employee and health professionals; never shown to the employer.
    private_note = models.TextField(_("note for professionals"), blank=True)
    minutes_written_at = models.DateTimeField(null=True, blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Minutes marked as entered in error (fasthold.cases.corrections): kept, struck through for staff,
    # hidden from everyone else.
    minutes_error_at = models.DateTimeField(
        _("minutes entered in error, marked on"), null=True, blank=True, editable=False
    )
    minutes_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("minutes entered in error, marked by"),
    )
    minutes_error_reason = models.TextField(_("why the minutes were entered in error"), blank=True, editable=False)
    closed_reason = models.CharField(_("why it was closed"), max_length=16, choices=ClosedReason.choices, blank=True)
    next_meeting = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="previous_meeting"
    )
    # Hash of the agreements' current text: a confirmation of another hash is out of date.
    agreements_hash = models.CharField(max_length=64, blank=True)
    # iCalendar SEQUENCE: bumped whenever an invitation's content changes.
    sequence = models.PositiveIntegerField(default=0)
    # Optimistic locking for every edit of the meeting, its agenda and its agreements.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            # next_meeting() and calendar_dates(): planned meetings of some cases by time.
            models.Index(fields=["case", "status", "starts_at"], name="meeting_case_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED

    @property
    def minutes_in_error(self) -> bool:
        return self.minutes_error_at is not None

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class MeetingAttendee(models.Model):
    """Someone invited: a participant of the case, or the coordinator (a staff user)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_attendances"
    )
    # The login that confirms agreements and sees the meeting; copied from the participant.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_attendances"
    )
    role = models.CharField(max_length=32)  # a ParticipantRole value, or "coordinator"
    name = models.CharField(max_length=200)  # kept if the participant leaves the case
    email = models.EmailField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"],
                condition=Q(participant__isnull=False),
                name="attendee_participant_unique",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user", "role"], condition=Q(user__isnull=False), name="attendee_user_role_unique"
            ),
        ]
        indexes = [models.Index(fields=["user", "meeting"], name="attendee_user_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR_ROLE

    @property
    def is_health_professional(self) -> bool:
        return self.role in HEALTH_PROFESSIONAL_ROLES

    @property
    def reads_health(self) -> bool:
        """Whose side of the case sees health, as CaseAccess.can_view_health: the coordinator, the
        employee, health professionals. Anyone else invited (the manager, but also a shop steward or a
        colleague contact from the workplace) is shown a health professional's role in general terms."""
        return self.is_coordinator or self.is_health_professional or self.role == ParticipantRole.EMPLOYEE

    def role_label(self, employer_view: bool = False) -> str:
        """The role as shown; the employer sees a health professional's role only in general terms."""
        if self.is_coordinator:
            return str(_("Coordinator"))
        if employer_view and self.is_health_professional:
            return str(_("Health professional"))
        if self.role in ParticipantRole.values:
            return str(ParticipantRole(self.role).label)
        return self.role


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("agenda item"), max_length=500)
    # The checklist item it came from (fasthold.meetings.agenda_builder), if any.
    source = models.CharField(max_length=64, blank=True)
    done = models.BooleanField(_("dealt with"), default=False)

    class Meta:
        ordering = ["position", "id"]


class AgreementKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    TASK = "task", _("Task with a date and a responsible person")
    ACTIVITY = "activity", _("Activity for the plan")
    CONTACT = "contact", _("Contact agreement")


class MeetingAgreement(EnteredInErrorMixin, models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agreements")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("agreement"))
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices, default=AgreementKind.DECISION)
    responsible = models.ForeignKey(
        MeetingAttendee,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
        verbose_name=_("responsible"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    # For a contact agreement: the terms passed to fasthold.coordination.
    contact_cadence_days = models.PositiveSmallIntegerField(_("contact every (days)"), null=True, blank=True)
    contact_channel = models.CharField(_("channel"), max_length=16, blank=True)
    contact_responsible = models.CharField(_("who takes the initiative"), max_length=16, blank=True)
    # Carried out: "activity" (added to the draft plan) or "contact" (the case's contact agreement).
    carried_out = models.CharField(max_length=16, blank=True)
    carried_out_at = models.DateTimeField(null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = EnteredInErrorQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        # open_tasks_for(): one user's open dated agreements.
        indexes = [models.Index(fields=["responsible", "done_on"], name="agreement_responsible_idx")]

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def is_task(self) -> bool:
        return self.due is not None and self.responsible_id is not None


def agreements_hash(agreements) -> str:
    """A fingerprint of what was agreed: the text, kind, responsible person and date of each."""
    if not agreements:
        return ""
    canonical = "\n".join(
        f"{a.kind}\x1f{a.text.strip()}\x1f{a.responsible_id or ''}\x1f{a.due or ''}"
        f"\x1f{a.contact_cadence_days or ''}\x1f{a.contact_channel}\x1f{a.contact_responsible}"
        for a in agreements
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class MeetingConfirmation(models.Model):
    """One attendee's click: "I confirm these agreements". Renewed when the agreements change."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreements_hash = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="confirmation_unique")]
