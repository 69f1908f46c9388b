from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.audit.labels import field_labels
from fasthold.kernel import AppendOnlyModel


class AuditAction(models.TextChoices):
    CASE_VIEWED = "case.viewed", _("Viewed case")
    CASE_CREATED = "case.created", _("Opened case")
    CASE_UPDATED = "case.updated", _("Changed case")
    CASE_CLOSED = "case.closed", _("Closed case")
    CASE_REOPENED = "case.reopened", _("Reopened case")
    HEALTH_VIEWED = "health.viewed", _("Read health information")
    HEALTH_UPDATED = "health.updated", _("Changed health information")
    CPR_REVEALED = "cpr.revealed", _("Revealed CPR number")
    PERSON_UPDATED = "person.updated", _("Changed person")
    PARTICIPANT_ADDED = "participant.added", _("Added participant")
    PARTICIPANT_REMOVED = "participant.removed", _("Removed participant")
    ENTERED_IN_ERROR = "record.in_error", _("Marked as entered in error")
    COORDINATOR_REASSIGNED = "case.reassigned", _("Gave the case a new coordinator")
    MEETING_CLOSED = "meeting.closed", _("Closed a stale or duplicate meeting")
    ORGANISATION_CREATED = "organisation.created", _("Created employer")
    # Coordination
    CONTACT_AGREEMENT_CHANGED = "contact.agreement", _("Changed contact agreement")
    CONTACT_LOGGED = "contact.logged", _("Logged contact")
    MEETING_PLANNED = "meeting.planned", _("Planned meeting")
    MEETING_CHANGED = "meeting.changed", _("Changed meeting")
    MEETING_CANCELLED = "meeting.cancelled", _("Cancelled meeting")
    MEETING_MINUTES = "meeting.minutes", _("Wrote meeting minutes")
    AGREEMENTS_CONFIRMED = "meeting.confirmed", _("Confirmed meeting agreements")
    INVITATION_SENT = "meeting.invited", _("Sent meeting invitation")
    # Consent and sharing
    CONSENT_GIVEN = "consent.given", _("Gave consent")
    CONSENT_WITHDRAWN = "consent.withdrawn", _("Withdrew consent")
    SHARED_VIEWED = "shared.viewed", _("Read information shared with consent")
    COLLEAGUE_MESSAGE_CHANGED = "colleague.changed", _("Changed colleague information")
    COLLEAGUE_MESSAGE_APPROVED = "colleague.approved", _("Approved colleague information")
    COLLEAGUE_MESSAGE_SHARED = "colleague.shared", _("Marked colleague information as shared")
    # Security
    LOGIN_FAILED = "login.failed", _("Failed login")
    LOGIN_LOCKED = "login.locked", _("Login locked after failed attempts")
    TWO_FACTOR_ENABLED = "2fa.enabled", _("Turned on two-factor authentication")
    TWO_FACTOR_DISABLED = "2fa.disabled", _("Turned off two-factor authentication")
    TWO_FACTOR_FAILED = "2fa.failed", _("Wrong two-factor code")
    # Privacy: the data's life
    RETENTION_CHANGED = "retention.changed", _("Changed storage period")
    CASE_ERASED = "case.erased", _("Erased case after the storage period")
    DATA_EXPORTED = "data.exported", _("Downloaded own data")
    # People: invitations and the administrator's work
    INVITATION_CREATED = "invitation.created", _("Invited a person")
    INVITATION_RESENT = "invitation.resent", _("Sent an invitation again")
    INVITATION_REVOKED = "invitation.revoked", _("Withdrew an invitation")
    INVITATION_ACCEPTED = "invitation.accepted", _("Accepted an invitation")
    MEMBERSHIP_GRANTED = "membership.granted", _("Gave a role in an organisation")
    ROLES_CHANGED = "roles.changed", _("Changed a user's roles")
    USER_DEACTIVATED = "user.deactivated", _("Deactivated a user")
    USER_REACTIVATED = "user.reactivated", _("Reactivated a user")
    TWO_FACTOR_RESET = "2fa.reset", _("Reset a user's two-factor authentication")
    ORGANISATION_UPDATED = "organisation.updated", _("Changed employer")
    # Evaluation
    OUTCOME_RECORDED = "outcome.recorded", _("Recorded return-to-work outcome")
    REGISTER_IMPORTED = "register.imported", _("Imported register weeks")
    EVALUATION_EXPORTED = "evaluation.exported", _("Downloaded an analysis dataset")
    # Exports and bulk import of cases
    CASES_EXPORTED = "cases.exported", _("Downloaded the case list")
    CASES_IMPORTED = "cases.imported", _("Imported sick-listed persons")
    # The worklist
    WORKLIST_HANDLED = "worklist.handled", _("Marked a worklist item handled")
    REQUEST_CREATED = "request.created", _("Asked for a meeting")
    REQUEST_WITHDRAWN = "request.withdrawn", _("Withdrew a request for a meeting")
    MESSAGE_SENT = "message.sent", _("Sent a message to the coordinator")
    MESSAGE_ANSWERED = "message.answered", _("Answered a message")
    # API clients (the administrator's work); the token's text is never recorded
    API_CLIENT_CREATED = "api.client_created", _("Created an API client")
    API_TOKEN_ISSUED = "api.token_issued", _("Issued an API token")
    API_TOKEN_REVOKED = "api.token_revoked", _("Revoked an API token")
    API_CLIENT_REVOKED = "api.client_revoked", _("Revoked an API client")


class AuditEntry(AppendOnlyModel):
    """Who did or read what, when. Append-only.

    `fields` names the changed fields; values are never stored, so no CPR number,
    diagnosis or health text can reach this table.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey("cases.Case", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    fields = models.JSONField(default=list, blank=True)
    # Set when the case is erased (fasthold.privacy): a keyed hash of the case's public id, so rows
    # about one erased subject can still be counted together without saying who it was.
    subject_pseudonym = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        # The organisation admin's audit browser: one organisation, newest first.
        indexes = [models.Index(fields=["organisation", "-occurred_at"], name="audit_org_time_idx")]

    @property
    def field_labels(self) -> list[str]:
        """The stored names as words for the log's readers ("closed on", not "closed_on"), translated."""
        return field_labels(self.fields)
