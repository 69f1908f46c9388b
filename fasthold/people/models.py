import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.accounts.models import Language
from fasthold.cases.choices import HealthAgreement, ParticipantRole
from fasthold.organisations.models import OrgRole


class Purpose(models.TextChoices):
    CASE = "case", _("Take part in a case")
    STAFF = "staff", _("Staff of the organisation")
    EMPLOYER = "employer", _("Manager or HR at the employer")


class State(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An e-mailed link that gives one person a login and, with it, a place: a case's participant, a
    member of staff, or a manager or HR person at an employer.

    The link carries a signed random token (fasthold/people/tokens.py), never a name or an id of a
    person; only the token's hash is stored, so a copy of the database cannot be used to accept.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    # Where the invitee lands: the organisation whose membership they get (the employer, the
    # case-owning organisation, or a health practice), and for a case invitation the case and role.
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    org_role = models.CharField(_("role"), max_length=32, choices=OrgRole.choices, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    participant_role = models.CharField(
        _("role in the case"), max_length=32, choices=ParticipantRole.choices, blank=True
    )
    health_agreement = models.CharField(
        _("how the employee agreed"), max_length=16, choices=HealthAgreement.choices, blank=True
    )

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    language = models.CharField(_("language of the e-mail"), max_length=2, choices=Language.choices)

    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()
    send_count = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the invitee last asked for a new link from an expired one (at most one request a day).
    renewal_asked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The case page's pending invitations, and the inviter's hourly limit.
            models.Index(fields=["case", "-created_at"], name="invitation_case_idx", condition=Q(case__isnull=False)),
            models.Index(fields=["organisation", "-created_at"], name="invitation_org_idx"),
            models.Index(fields=["invited_by", "-created_at"], name="invitation_inviter_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="case") | Q(case__isnull=False), name="invitation_case_has_case"
            ),
        ]

    def __str__(self) -> str:
        return f"invitation {self.public_id}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.accepted_at:
            return State.ACCEPTED
        if self.revoked_at:
            return State.REVOKED
        if self.expires_at <= now:
            return State.EXPIRED
        return State.PENDING

    def state_label(self) -> str:
        return State(self.state()).label

    @property
    def sso_audience(self) -> str:
        """Which single sign-on providers may accept it: staff use their organisation's ("staff"),
        everyone else a public one such as a MitID broker ("public")."""
        return "staff" if self.purpose == Purpose.STAFF else "public"

    @property
    def role_label(self) -> str:
        if self.purpose == Purpose.CASE:
            return ParticipantRole(self.participant_role).label
        return OrgRole(self.org_role).label
