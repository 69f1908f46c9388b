from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    ORGANISATION_CREATED = "organisation.created", _("Created employer")


class AuditEntry(models.Model):
    """Who did or read what, when. Append-only.

    `fields` names the changed fields; values are never stored, so no CPR number,
    diagnosis or health text can reach this table.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey("cases.Case", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    fields = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        # The organisation admin's audit browser: one organisation, newest first.
        indexes = [models.Index(fields=["organisation", "-occurred_at"], name="audit_org_time_idx")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only.")
